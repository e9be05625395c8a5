package api

import (
	"context"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
	"github.com/switchboard-pbx/switchboard/server/callcontrol"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// callControlHandler adapts CallControlService to the callcontrol domain.
type callControlHandler struct {
	callcontrolv1connect.UnimplementedCallControlServiceHandler
	svc *callcontrol.Service
	cfg *config.Service // resolves application tokens' route points (callcontrol_scope.go)
}

func (h *callControlHandler) ready() error {
	if h.svc == nil {
		return derrors.New(derrors.FailedPrecondition, "", "call control needs a switch; this server runs none")
	}
	return nil
}

func (h *callControlHandler) MakeCall(ctx context.Context, req *callcontrolv1.MakeCallRequest) (*callcontrolv1.MakeCallResponse, error) {
	if err := h.ready(); err != nil {
		return nil, err
	}
	if err := h.guardLine(ctx, req.GetLine()); err != nil {
		return nil, err
	}
	c, err := h.svc.MakeCall(ctx, req.GetLine(), req.GetDestination())
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.MakeCallResponse{Call: callToProto(c)}, nil
}

func (h *callControlHandler) Drop(ctx context.Context, req *callcontrolv1.DropRequest) (*callcontrolv1.DropResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.DropResponse{}, h.svc.Drop(ctx, req.GetCallId(), req.GetExpectedVersion())
}

func (h *callControlHandler) SendDigits(ctx context.Context, req *callcontrolv1.SendDigitsRequest) (*callcontrolv1.SendDigitsResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.SendDigitsResponse{}, h.svc.SendDigits(ctx, req.GetCallId(), req.GetDigits())
}

func (h *callControlHandler) Hold(ctx context.Context, req *callcontrolv1.HoldRequest) (*callcontrolv1.HoldResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.HoldResponse{}, h.svc.Hold(ctx, req.GetCallId(), req.GetExpectedVersion())
}

func (h *callControlHandler) Retrieve(ctx context.Context, req *callcontrolv1.RetrieveRequest) (*callcontrolv1.RetrieveResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.RetrieveResponse{}, h.svc.Retrieve(ctx, req.GetCallId(), req.GetExpectedVersion())
}

func (h *callControlHandler) BlindTransfer(ctx context.Context, req *callcontrolv1.BlindTransferRequest) (*callcontrolv1.BlindTransferResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.BlindTransferResponse{}, h.svc.BlindTransfer(ctx, req.GetCallId(), req.GetDestination(), req.GetExpectedVersion())
}

func (h *callControlHandler) Redirect(ctx context.Context, req *callcontrolv1.RedirectRequest) (*callcontrolv1.RedirectResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	return &callcontrolv1.RedirectResponse{}, h.svc.Redirect(ctx, req.GetCallId(), req.GetDestination())
}

func (h *callControlHandler) Pickup(ctx context.Context, req *callcontrolv1.PickupRequest) (*callcontrolv1.PickupResponse, error) {
	if err := h.ready(); err != nil {
		return nil, err
	}
	if err := h.guardLine(ctx, req.GetLine()); err != nil {
		return nil, err
	}
	id, err := h.svc.Pickup(ctx, req.GetLine(), req.GetCallId())
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.PickupResponse{CallId: id}, nil
}

func (h *callControlHandler) Park(ctx context.Context, req *callcontrolv1.ParkRequest) (*callcontrolv1.ParkResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	orbit, err := h.svc.Park(ctx, req.GetCallId())
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.ParkResponse{Orbit: orbit}, nil
}

func (h *callControlHandler) Unpark(ctx context.Context, req *callcontrolv1.UnparkRequest) (*callcontrolv1.UnparkResponse, error) {
	if err := h.ready(); err != nil {
		return nil, err
	}
	if err := h.guardLine(ctx, req.GetLine()); err != nil {
		return nil, err
	}
	return &callcontrolv1.UnparkResponse{}, h.svc.Unpark(ctx, req.GetLine(), req.GetOrbit())
}

func (h *callControlHandler) GetCall(ctx context.Context, req *callcontrolv1.GetCallRequest) (*callcontrolv1.GetCallResponse, error) {
	if err := h.guardCallReady(ctx, req.GetCallId()); err != nil {
		return nil, err
	}
	c, err := h.svc.GetCall(req.GetCallId())
	if err != nil {
		return nil, err
	}
	return &callcontrolv1.GetCallResponse{Call: callToProto(c)}, nil
}

func (h *callControlHandler) ListCalls(ctx context.Context, req *callcontrolv1.ListCallsRequest) (*callcontrolv1.ListCallsResponse, error) {
	if err := h.ready(); err != nil {
		return nil, err
	}
	lines, err := h.lines(ctx, req.GetLines())
	if err != nil {
		return nil, err
	}
	calls, seq := h.svc.ListCalls(lines)
	return &callcontrolv1.ListCallsResponse{Calls: mapSlice(calls, callToProto), Sequence: seq}, nil
}

func (h *callControlHandler) WatchEvents(ctx context.Context, req *callcontrolv1.WatchEventsRequest, stream callcontrolv1connect.CallControlServiceWatchEventsServerStream) error {
	if err := h.ready(); err != nil {
		return err
	}
	lines, err := h.lines(ctx, req.GetLines())
	if err != nil {
		return err
	}
	return h.svc.Watch(ctx, lines, req.GetAfterSequence(), stream.SendHeaders, func(ev callcontrol.Event) error {
		return stream.Send(&callcontrolv1.WatchEventsResponse{Event: eventToProto(ev)})
	})
}

func callToProto(c callcontrol.Call) *callcontrolv1.Call {
	out := &callcontrolv1.Call{Id: c.ID, Line: c.Line, State: callcontrolv1.CallState(c.State),
		Direction: callcontrolv1.Direction_DIRECTION_INCOMING, DisconnectReason: callcontrolv1.DisconnectReason(c.Reason),
		StartTime: ts(c.Start), AnswerTime: ts(c.Answer), Version: c.Version, Dialed: c.Dialed, RelatedCallId: c.Related}
	if c.Outgoing {
		out.Direction = callcontrolv1.Direction_DIRECTION_OUTGOING
	}
	for _, p := range c.Parties {
		out.Parties = append(out.Parties, &callcontrolv1.Party{Number: p.Number, Name: p.Name})
	}
	for _, a := range c.Allowed() {
		out.AllowedActions = append(out.AllowedActions, callcontrolv1.Action(a))
	}
	return out
}

func eventToProto(ev callcontrol.Event) *callcontrolv1.Event {
	out := &callcontrolv1.Event{Sequence: ev.Sequence, Time: ts(ev.Time), Line: ev.Line}
	switch {
	case ev.Call != nil:
		out.Kind = &callcontrolv1.Event_Call{Call: callToProto(*ev.Call)}
	case ev.Digit != nil:
		out.Kind = &callcontrolv1.Event_Digit{Digit: &callcontrolv1.DigitEvent{CallId: ev.Digit.CallID, Digit: ev.Digit.Digit}}
	case ev.Phone != nil:
		out.Kind = &callcontrolv1.Event_Registration{Registration: &callcontrolv1.RegistrationEvent{DeviceId: ev.Phone.DeviceID,
			SipUsername: ev.Phone.SIPUsername, Contact: ev.Phone.Contact, UserAgent: ev.Phone.UserAgent,
			Registered: ev.Phone.Registered}}
	case ev.Recording != nil:
		out.Kind = &callcontrolv1.Event_Recording{Recording: &callcontrolv1.RecordingEvent{RecordingId: ev.Recording.ID,
			CallId: ev.Recording.CallID, DurationMs: ev.Recording.Duration.Milliseconds(), Error: ev.Recording.Error}}
	}
	return out
}
