package callcontrol

import (
	"context"
	"errors"
	"io"
	"sort"
	"strings"
	"time"

	"connectrpc.com/connect/v2"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/media/eventlog"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// lineCall is the state kept for one line's view of a switch call.
type lineCall struct {
	snap     Call
	switchID string
	userID   string
	legs     map[string]*switchv1.Leg // this user's legs
	ended    time.Time
}

type legRef struct{ switchID, userID string }

// Follow consumes a switch's event stream until ctx ends, resuming from
// the last sequence after a disconnect.
func (s *Service) Follow(ctx context.Context, name string, sw switchv1connect.SwitchServiceClient) {
	var seq int64
	for ctx.Err() == nil {
		err := s.followOnce(ctx, sw, &seq)
		if ctx.Err() != nil {
			return
		}
		if connect.CodeOf(err) == connect.CodeOutOfRange {
			seq = 0 // the switch restarted or we fell behind: take what it has
		}
		s.log.Debug("callcontrol: switch event stream ended; resuming", "switch", name, "after", seq, "error", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

func (s *Service) followOnce(ctx context.Context, sw switchv1connect.SwitchServiceClient, seq *int64) error {
	stream, err := sw.Events(ctx, &switchv1.EventsRequest{AfterSequence: *seq})
	if err != nil {
		return err
	}
	for {
		res, err := stream.Receive()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		ev := res.GetEvent()
		*seq = ev.GetSequence()
		switch k := ev.GetKind().(type) {
		case *switchv1.Event_Leg:
			s.onLeg(ctx, sw, k.Leg.GetLeg())
		case *switchv1.Event_Dtmf:
			s.onDigit(k.Dtmf)
		case *switchv1.Event_Recording:
			s.onRecording(k.Recording)
		case *switchv1.Event_Registration:
			s.onRegistration(ctx, k.Registration)
		}
	}
}

// onLeg records a leg's new state and publishes the line's call if its
// view changed.
func (s *Service) onLeg(ctx context.Context, sw switchv1connect.SwitchServiceClient, l *switchv1.Leg) {
	if rp := l.GetRoutePointId(); rp != "" {
		l.UserId = routePointKey + rp // the route point's line, keyed like a user's
		defer s.offerOrFallBack(ctx, sw, l)
	}
	if l.GetUserId() == "" {
		return
	}
	s.user(ctx, l.GetUserId())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[l.GetCallId()] = sw
	if ref, ok := s.legs[l.GetId()]; ok && ref.switchID != l.GetCallId() {
		// The leg moved to another call (a completed transfer): the line's
		// view of the old call loses it.
		if old := s.byCall[ref.switchID][ref.userID]; old != nil {
			delete(old.legs, l.GetId())
			for _, other := range s.byCall[ref.switchID] {
				s.refreshLocked(other)
			}
		}
	}
	lc := s.lineCallLocked(l.GetCallId(), l.GetUserId())
	lc.legs[l.GetId()] = l
	s.legs[l.GetId()] = legRef{switchID: l.GetCallId(), userID: l.GetUserId()}
	for _, other := range s.byCall[l.GetCallId()] {
		s.refreshLocked(other)
	}
	s.pruneLocked()
}

// lineCallLocked returns (creating) the line call of a user in a switch
// call. Callers hold s.mu.
func (s *Service) lineCallLocked(switchID, userID string) *lineCall {
	m := s.byCall[switchID]
	if m == nil {
		m = make(map[string]*lineCall)
		s.byCall[switchID] = m
	}
	lc := m[userID]
	if lc == nil {
		u := s.users[userID]
		lc = &lineCall{switchID: switchID, userID: userID, legs: make(map[string]*switchv1.Leg),
			snap: Call{ID: switchID + "." + u.Extension, Line: u.Extension, State: Idle, Start: time.Now()}}
		m[userID] = lc
		s.calls[lc.snap.ID] = lc
	}
	return lc
}

// refreshLocked recomputes a line's view and publishes it if it changed.
func (s *Service) refreshLocked(lc *lineCall) {
	next := s.derive(lc)
	if sameView(lc.snap, next) {
		return
	}
	next.Version = lc.snap.Version + 1
	lc.snap = next
	if next.State == Disconnected && lc.ended.IsZero() {
		lc.ended = time.Now()
		s.ended = append(s.ended, endedLine{switchID: lc.switchID, at: lc.ended})
	}
	snap := next
	s.publish(Event{Line: snap.Line, Call: &snap})
}

// derive computes a line's view of its call from the legs of the call.
func (s *Service) derive(lc *lineCall) Call {
	c := lc.snap
	mine := lc.legs
	var others []*switchv1.Leg
	for uid, o := range s.byCall[lc.switchID] {
		if uid == lc.userID {
			continue
		}
		for _, l := range o.legs {
			others = append(others, l)
		}
	}
	c.Parties = s.parties(lc, others)
	calling, answered, live, holding, conferenced := false, false, false, false, false
	var endReason switchv1.EndReason
	c.Related = ""
	for _, l := range mine {
		up := l.GetState() == switchv1.LegState_LEG_STATE_ANSWERED
		calling = calling || l.GetCalling()
		holding = holding || (l.GetHolding() && up)
		conferenced = conferenced || (l.GetConferenced() && up)
		if r := l.GetRelatedCallId(); r != "" && up {
			c.Related = r + "." + c.Line
		}
		c.Dialed = l.GetDialed()
		switch l.GetState() {
		case switchv1.LegState_LEG_STATE_ANSWERED:
			answered, live = true, true
			if c.Answer.IsZero() && l.GetAnswerTime() != nil {
				c.Answer = l.GetAnswerTime().AsTime()
			}
		case switchv1.LegState_LEG_STATE_ENDED:
			if endReason == switchv1.EndReason_END_REASON_UNSPECIFIED || l.GetEndReason() == switchv1.EndReason_END_REASON_NORMAL {
				endReason = l.GetEndReason()
			}
		default:
			live = true
		}
	}
	c.Outgoing = calling
	c.RoutePoint = strings.HasPrefix(lc.userID, routePointKey)
	switch {
	case !live:
		c.State, c.Reason, c.Related = Disconnected, reasonFor(endReason), ""
	case conferenced && holding:
		c.State = OnHoldPendingConference
	case conferenced:
		c.State = Conferenced
	case holding && c.Related != "":
		c.State = OnHoldPendingTransfer
	case holding:
		c.State = OnHold
	case calling:
		c.State = callingState(mine, others, answered)
	case answered:
		c.State = Connected
	default:
		c.State = Offering
	}
	return c
}

// callingState is the state of the line that placed the call.
func callingState(mine map[string]*switchv1.Leg, others []*switchv1.Leg, answered bool) State {
	originated := false
	for _, l := range mine {
		originated = originated || l.GetDirection() == switchv1.LegDirection_LEG_DIRECTION_OUTBOUND
	}
	if originated && !answered {
		return Dialing
	}
	ringing := false
	for _, o := range others {
		switch o.GetState() {
		case switchv1.LegState_LEG_STATE_ANSWERED:
			return Connected
		case switchv1.LegState_LEG_STATE_RINGING:
			ringing = true
		}
	}
	if ringing {
		return Ringback
	}
	return Proceeding
}

// parties lists the other users of the call, or the number dialled while
// nobody else is in it yet.
func (s *Service) parties(lc *lineCall, others []*switchv1.Leg) []Party {
	seen := map[string]bool{}
	var out []Party
	for _, l := range others {
		if seen[l.GetUserId()] || l.GetUserId() == "" {
			continue
		}
		seen[l.GetUserId()] = true
		u := s.users[l.GetUserId()]
		out = append(out, Party{Number: u.Extension, Name: strings.TrimSpace(u.FirstName + " " + u.LastName)})
	}
	if len(out) == 0 {
		for _, l := range lc.legs {
			if d := l.GetDialed(); d != "" && l.GetCalling() {
				out = append(out, Party{Number: d})
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func sameView(a, b Call) bool {
	if a.State != b.State || a.Reason != b.Reason || a.Outgoing != b.Outgoing || a.Related != b.Related ||
		len(a.Parties) != len(b.Parties) {
		return false
	}
	for i := range a.Parties {
		if a.Parties[i] != b.Parties[i] {
			return false
		}
	}
	return true
}

// reasonFor maps a leg's end reason to a disconnect reason.
func reasonFor(r switchv1.EndReason) Reason {
	switch r {
	case switchv1.EndReason_END_REASON_BUSY:
		return ReasonBusy
	case switchv1.EndReason_END_REASON_NO_ANSWER:
		return ReasonNoAnswer
	case switchv1.EndReason_END_REASON_REJECTED:
		return ReasonRejected
	case switchv1.EndReason_END_REASON_UNREACHABLE:
		return ReasonUnreachable
	case switchv1.EndReason_END_REASON_TRANSFERRED:
		return ReasonTransferred
	case switchv1.EndReason_END_REASON_PARKED:
		return ReasonParked
	case switchv1.EndReason_END_REASON_FAILED, switchv1.EndReason_END_REASON_MEDIA_TIMEOUT:
		return ReasonFailed
	default:
		return ReasonNormal
	}
}

// onRegistration publishes a phone that registered or went away on its
// user's line (refreshes are not events).
func (s *Service) onRegistration(ctx context.Context, ev *switchv1.RegistrationEvent) {
	r := ev.GetRegistration()
	if r.GetUserId() == "" {
		return
	}
	s.user(ctx, r.GetUserId())
	s.mu.Lock()
	defer s.mu.Unlock()
	key := r.GetDeviceId() + "\x00" + r.GetContact()
	if s.bindings[key] == !ev.GetRemoved() {
		return
	}
	if ev.GetRemoved() {
		delete(s.bindings, key)
	} else {
		s.bindings[key] = true
	}
	line := s.users[r.GetUserId()].Extension
	p := Phone{DeviceID: r.GetDeviceId(), SIPUsername: r.GetSipUsername(), Contact: r.GetContact(),
		UserAgent: r.GetUserAgent(), Registered: !ev.GetRemoved()}
	s.publish(Event{Line: line, Phone: &p})
}

// publish numbers an event, stamps it and adds it to the log watchers
// follow.
func (s *Service) publish(ev Event) {
	s.events.Append(func(seq int64) Event {
		ev.Sequence, ev.Time = seq, time.Now()
		return ev
	})
}

// onDigit publishes a DTMF digit on the line whose phone sent it.
func (s *Service) onDigit(d *switchv1.DtmfEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref, ok := s.legs[d.GetLegId()]
	if !ok {
		return
	}
	lc := s.byCall[ref.switchID][ref.userID]
	if lc == nil {
		return
	}
	line, id, digit := lc.snap.Line, lc.snap.ID, d.GetDigit()
	s.publish(Event{Line: line, Digit: &Digit{CallID: id, Digit: digit}})
}

// user caches a user's extension and names.
func (s *Service) user(ctx context.Context, id string) {
	s.mu.Lock()
	_, ok := s.users[id]
	s.mu.Unlock()
	if ok {
		return
	}
	if rpID, isRP := strings.CutPrefix(id, routePointKey); isRP {
		rp, err := s.cfg.GetRoutePoint(ctx, rpID)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.users[id] = config.User{Extension: rp.Extension, FirstName: rp.Name}
		s.routePoints[rp.Extension] = *rp
		s.mu.Unlock()
		return
	}
	u, err := s.cfg.GetUser(ctx, id)
	if err != nil {
		return
	}
	s.mu.Lock()
	s.users[id] = *u
	s.mu.Unlock()
}

// endedLine records when a line of a switch call was disconnected, in
// order, so that pruning looks only at calls old enough to forget.
type endedLine struct {
	switchID string
	at       time.Time
}

// pruneLocked forgets calls whose every line was disconnected longer than
// keep ago. It costs the entries it retires, not a scan of every call.
func (s *Service) pruneLocked() {
	now := time.Now()
	n := 0
	for ; n < len(s.ended) && now.Sub(s.ended[n].at) >= s.keep; n++ {
		s.forgetLocked(s.ended[n].switchID, now)
	}
	if n > 0 {
		s.ended = append(s.ended[:0], s.ended[n:]...)
	}
}

// forgetLocked drops a switch call if all its lines ended keep ago; a line
// that ended later has its own entry further on in s.ended.
func (s *Service) forgetLocked(switchID string, now time.Time) {
	m := s.byCall[switchID]
	for _, lc := range m {
		if lc.ended.IsZero() || now.Sub(lc.ended) < s.keep {
			return
		}
	}
	for _, lc := range m {
		delete(s.calls, lc.snap.ID)
		for legID := range lc.legs {
			delete(s.legs, legID)
		}
	}
	delete(s.byCall, switchID)
	delete(s.owners, switchID)
}

// outOfRange maps the event log's error to the domain category.
func outOfRange(err error, seq int64) error {
	if errors.Is(err, eventlog.ErrAhead) {
		return derrors.New(derrors.OutOfRange, "after_sequence",
			"%d is newer than the newest event (the server restarted); re-list with ListCalls and watch from its sequence", seq)
	}
	if errors.Is(err, eventlog.ErrOutOfRange) {
		return derrors.New(derrors.OutOfRange, "after_sequence",
			"%d is older than the retained events; re-list with ListCalls and watch from its sequence", seq)
	}
	return err
}
