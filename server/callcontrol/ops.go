package callcontrol

import (
	"context"
	"errors"
	"sort"
	"strings"

	"connectrpc.com/connect/v2"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// MakeCall rings the line's phones and, once one answers, calls dest.
// (A retry with an idempotency key never gets here: the API answers it
// with the first outcome.)
func (s *Service) MakeCall(ctx context.Context, line, dest string) (Call, error) {
	u, err := s.cfg.UserByExtension(ctx, line)
	if err != nil {
		return Call{}, derrors.New(derrors.NotFound, "line", "no user has extension %s", line)
	}
	s.user(ctx, u.ID)
	var lastErr error
	for _, sw := range s.switches.Clients() {
		res, err := sw.Originate(ctx, &switchv1.OriginateRequest{UserId: u.ID, Destination: dest})
		switch connect.CodeOf(err) {
		case connect.CodeNotFound, connect.CodeFailedPrecondition:
			lastErr = err // not this switch's user, or no phone registered there
			continue
		}
		if err != nil {
			return Call{}, s.switchError(err, dest, "")
		}
		return s.placed(res.GetCallId(), u.ID, dest, sw), nil
	}
	if lastErr == nil {
		return Call{}, derrors.New(derrors.FailedPrecondition, "", "this server manages no switch")
	}
	return Call{}, derrors.New(derrors.FailedPrecondition, "line", "line %s has no registered phone", line)
}

// placed records a call MakeCall started, before its first leg event.
func (s *Service) placed(switchID, userID, dest string, sw switchv1connect.SwitchServiceClient) Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[switchID] = sw
	lc := s.lineCallLocked(switchID, userID)
	if lc.snap.State == Idle {
		lc.snap.State, lc.snap.Outgoing, lc.snap.Dialed = Dialing, true, dest
		lc.snap.Parties = []Party{{Number: dest}}
		lc.snap.Version++
		snap := lc.snap
		s.publish(Event{Line: snap.Line, Call: &snap})
	}
	return lc.snap
}

// Drop hangs up a call. expected is the version the caller saw (0: any).
func (s *Service) Drop(ctx context.Context, id string, expected int64) error {
	legID, sw, err := s.actOn(id, expected, ActionDrop, false)
	if err != nil {
		return err
	}
	if _, err := sw.HangupLeg(ctx, &switchv1.HangupLegRequest{LegId: legID}); err != nil &&
		connect.CodeOf(err) != connect.CodeNotFound {
		return derrors.New(derrors.Unavailable, "", "switch unreachable: %v", connect.CodeOf(err))
	}
	return nil
}

// SendDigits sends DTMF from the line to the other party.
func (s *Service) SendDigits(ctx context.Context, id, digits string) error {
	legID, sw, err := s.actOn(id, 0, ActionSendDigits, true)
	if err != nil {
		return err
	}
	if _, err := sw.SendDigits(ctx, &switchv1.SendDigitsRequest{LegId: legID, Digits: digits}); err != nil {
		return derrors.New(derrors.FailedPrecondition, "", "digits not sent: %v", connect.CodeOf(err))
	}
	return nil
}

// Hold puts a CONNECTED call on hold (music for the other party).
func (s *Service) Hold(ctx context.Context, id string, expected int64) error {
	legID, sw, err := s.actOn(id, expected, ActionHold, true)
	if err != nil {
		return err
	}
	if _, err := sw.HoldLeg(ctx, &switchv1.HoldLegRequest{LegId: legID}); err != nil {
		return derrors.New(derrors.FailedPrecondition, "call_id", "call %s cannot be held now: %v", id, connect.CodeOf(err))
	}
	return nil
}

// Retrieve takes an ON_HOLD call off hold.
func (s *Service) Retrieve(ctx context.Context, id string, expected int64) error {
	legID, sw, err := s.actOn(id, expected, ActionRetrieve, true)
	if err != nil {
		return err
	}
	if _, err := sw.RetrieveLeg(ctx, &switchv1.RetrieveLegRequest{LegId: legID}); err != nil {
		return derrors.New(derrors.FailedPrecondition, "call_id", "call %s cannot be retrieved now: %v", id, connect.CodeOf(err))
	}
	return nil
}

// BlindTransfer sends the other party of a call to dest.
func (s *Service) BlindTransfer(ctx context.Context, id, dest string, expected int64) error {
	legID, sw, err := s.actOn(id, expected, ActionTransfer, true)
	if err != nil {
		return err
	}
	_, err = sw.TransferLeg(ctx, &switchv1.TransferLegRequest{LegId: legID, Destination: dest})
	return s.switchError(err, dest, dest+" has no registered phone")
}

// Redirect deflects an OFFERING call to dest.
func (s *Service) Redirect(ctx context.Context, id, dest string) error {
	legID, sw, err := s.actOn(id, 0, ActionRedirect, false)
	if err != nil {
		return err
	}
	_, err = sw.RedirectLeg(ctx, &switchv1.RedirectLegRequest{LegId: legID, Destination: dest})
	return s.switchError(err, dest, "")
}

// Pickup takes a call OFFERING on another line to line; it returns the
// handle of the call on line.
func (s *Service) Pickup(ctx context.Context, line, id string) (string, error) {
	u, err := s.cfg.UserByExtension(ctx, line)
	if err != nil {
		return "", derrors.New(derrors.NotFound, "line", "no user has extension %s", line)
	}
	legID, sw, err := s.actOn(id, 0, ActionPickup, false)
	if err != nil {
		return "", err
	}
	_, err = sw.PickupLeg(ctx, &switchv1.PickupLegRequest{LegId: legID, UserId: u.ID})
	if err := s.switchError(err, line, ""); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.legs[legID].switchID + "." + line, nil
}

// Park parks the other party of a call and returns the orbit.
func (s *Service) Park(ctx context.Context, id string) (string, error) {
	legID, sw, err := s.actOn(id, 0, ActionPark, true)
	if err != nil {
		return "", err
	}
	res, err := sw.ParkLeg(ctx, &switchv1.ParkLegRequest{LegId: legID})
	if connect.CodeOf(err) == connect.CodeResourceExhausted {
		return "", derrors.New(derrors.FailedPrecondition, "", "every park orbit is taken")
	}
	if err := s.switchError(err, id, ""); err != nil {
		return "", err
	}
	return res.GetOrbit(), nil
}

// Unpark rings line's phones to take the call parked in orbit.
func (s *Service) Unpark(ctx context.Context, line, orbit string) error {
	u, err := s.cfg.UserByExtension(ctx, line)
	if err != nil {
		return derrors.New(derrors.NotFound, "line", "no user has extension %s", line)
	}
	for _, sw := range s.switches.Clients() {
		_, err := sw.UnparkCall(ctx, &switchv1.UnparkCallRequest{Orbit: orbit, UserId: u.ID})
		if connect.CodeOf(err) == connect.CodeNotFound {
			continue // not parked on this switch
		}
		return s.switchError(err, line, "line "+line+" has no registered phone")
	}
	return derrors.New(derrors.NotFound, "orbit", "no call is parked in %s", orbit)
}

// switchError maps a switch's answer to a domain error; what names the
// destination or line concerned, and unready (when not empty) says what a
// FailedPrecondition means for this operation.
func (s *Service) switchError(err error, what, unready string) error {
	if err == nil {
		return nil
	}
	switch connect.CodeOf(err) {
	case connect.CodeInvalidArgument:
		return derrors.New(derrors.InvalidArgument, "destination", "%s cannot be reached", what)
	case connect.CodeFailedPrecondition:
		if unready != "" {
			return derrors.New(derrors.FailedPrecondition, "", "%s", unready)
		}
		return derrors.New(derrors.FailedPrecondition, "", "%s: %s", what,
			switchReason(err, "the call is not ringing, or no phone is registered"))
	case connect.CodeNotFound:
		return derrors.New(derrors.NotFound, "call_id", "the call is over")
	}
	return derrors.New(derrors.Unavailable, "", "switch unreachable: %v", connect.CodeOf(err))
}

// switchReason is why the switch refused a leg operation, as its error
// says after "leg <id>: " (the consultation is not answered, the
// conference is full, ...), or fallback when it gives none.
func switchReason(err error, fallback string) string {
	var cerr *connect.Error
	if !errors.As(err, &cerr) {
		return fallback
	}
	msg := cerr.Message()
	if !strings.HasPrefix(msg, "leg ") {
		return fallback
	}
	_, reason, ok := strings.Cut(msg, ": ")
	if !ok || reason == "" {
		return fallback
	}
	return reason
}

// actOn checks that the call allows act (naming the state when it does
// not) and returns a leg of the line to act on and its switch.
func (s *Service) actOn(id string, expected int64, act Action, answeredLeg bool) (string, switchv1connect.SwitchServiceClient, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lc, ok := s.calls[id]
	if !ok {
		return "", nil, derrors.New(derrors.NotFound, "call_id", "no call %s", id)
	}
	if expected != 0 && expected != lc.snap.Version {
		return "", nil, derrors.New(derrors.Aborted, "expected_version",
			"call %s is at version %d, not %d", id, lc.snap.Version, expected)
	}
	allowed := false
	for _, a := range lc.snap.Allowed() {
		allowed = allowed || a == act
	}
	if !allowed {
		return "", nil, derrors.New(derrors.FailedPrecondition, "call_id",
			"call %s is %s, which does not allow this operation", id, lc.snap.State)
	}
	for legID, l := range lc.legs {
		live := l.GetState() != switchv1.LegState_LEG_STATE_ENDED
		if live && (!answeredLeg || l.GetState() == switchv1.LegState_LEG_STATE_ANSWERED) {
			return legID, s.owners[lc.switchID], nil
		}
	}
	return "", nil, derrors.New(derrors.FailedPrecondition, "call_id", "call %s has no leg to act on yet", id)
}

// GetCall returns a call, including recently disconnected ones.
func (s *Service) GetCall(id string) (Call, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lc, ok := s.calls[id]
	if !ok {
		return Call{}, derrors.New(derrors.NotFound, "call_id", "no call %s", id)
	}
	return lc.snap, nil
}

// ListCalls returns the calls in progress on the lines given (all when
// empty), and the newest event sequence they reflect.
func (s *Service) ListCalls(lines []string) ([]Call, int64) {
	want := make(map[string]bool, len(lines))
	for _, l := range lines {
		want[l] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, lc := range s.calls {
		if lc.snap.State == Disconnected || (len(want) > 0 && !want[lc.snap.Line]) {
			continue
		}
		out = append(out, lc.snap)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, s.events.Last()
}

// LineOf returns the extension of a user (the line a user token acts on).
func (s *Service) LineOf(ctx context.Context, userID string) (string, error) {
	u, err := s.cfg.GetUser(ctx, userID)
	if err != nil {
		return "", derrors.New(derrors.PermissionDenied, "", "the token's user no longer exists")
	}
	return u.Extension, nil
}

// ConsultTransfer holds a CONNECTED call's other party and places a
// consultation call from the same line to dest; it returns that call.
func (s *Service) ConsultTransfer(ctx context.Context, id, dest string, expected int64) (Call, error) {
	legID, sw, err := s.actOn(id, expected, ActionConsult, true)
	if err != nil {
		return Call{}, err
	}
	s.mu.Lock()
	userID := s.legs[legID].userID
	s.mu.Unlock()
	res, err := sw.ConsultLeg(ctx, &switchv1.ConsultLegRequest{LegId: legID, Destination: dest})
	if err != nil {
		return Call{}, s.switchError(err, dest, dest+" has no registered phone")
	}
	return s.placed(res.GetCallId(), userID, dest, sw), nil
}

// CompleteTransfer finishes the consultation id belongs to, as a transfer
// or as a conference; for a conference it returns the line's conference
// call (the call that was held).
func (s *Service) CompleteTransfer(ctx context.Context, id string, conference bool) (Call, error) {
	legID, sw, err := s.actOn(id, 0, ActionComplete, true)
	if err != nil {
		return Call{}, err
	}
	s.mu.Lock()
	held := id
	if lc := s.calls[id]; lc != nil && lc.snap.State == Connected {
		held = lc.snap.Related // id is the consultation call
	}
	s.mu.Unlock()
	_, err = sw.CompleteTransferLeg(ctx, &switchv1.CompleteTransferLegRequest{LegId: legID, Conference: conference})
	if err := s.switchError(err, id, "call "+id+": "+switchReason(err, "the consulted party has not answered yet")); err != nil {
		return Call{}, err
	}
	if !conference {
		return Call{}, nil
	}
	return s.GetCall(held)
}
