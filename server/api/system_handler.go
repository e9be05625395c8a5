package api

import (
	"context"
	"time"

	"connectrpc.com/connect/v2"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	systemv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1/systemv1connect"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/tms"
)

// Identity describes the running server for SystemService.GetInfo.
type Identity struct {
	Version string
	Server  *config.Server
	Started time.Time
}

// systemHandler serves SystemService.
type systemHandler struct {
	systemv1connect.UnimplementedSystemServiceHandler
	id       Identity
	cfg      *config.Service
	switches *tms.Registry // nil when the server manages no switch
}

// clients returns the managed switches, or FailedPrecondition when none.
func (h *systemHandler) clients() ([]switchv1connect.SwitchServiceClient, error) {
	var cs []switchv1connect.SwitchServiceClient
	if h.switches != nil {
		cs = h.switches.Clients()
	}
	if len(cs) == 0 {
		return nil, derrors.New(derrors.FailedPrecondition, "", "this server manages no switch")
	}
	return cs, nil
}

func (h *systemHandler) ListRegistrations(ctx context.Context, req *systemv1.ListRegistrationsRequest) (*systemv1.ListRegistrationsResponse, error) {
	cs, err := h.clients()
	if err != nil {
		return nil, err
	}
	var regs []*switchv1.Registration
	for _, sw := range cs {
		res, err := sw.ListRegistrations(ctx, &switchv1.ListRegistrationsRequest{})
		if err != nil {
			return nil, derrors.New(derrors.Unavailable, "", "a switch is unreachable: %v", connect.CodeOf(err))
		}
		regs = append(regs, res.GetRegistrations()...)
	}
	out := &systemv1.ListRegistrationsResponse{}
	for _, r := range regs {
		if req.GetUserId() != "" && r.GetUserId() != req.GetUserId() {
			continue
		}
		out.Registrations = append(out.Registrations, &systemv1.Registration{DeviceId: r.GetDeviceId(),
			UserId: r.GetUserId(), SipUsername: r.GetSipUsername(), Contact: r.GetContact(), Source: r.GetSource(),
			Transport: r.GetTransport(), UserAgent: r.GetUserAgent(), ExpireTime: r.GetExpireTime()})
	}
	return out, nil
}

func (h *systemHandler) ListActiveCalls(ctx context.Context, _ *systemv1.ListActiveCallsRequest) (*systemv1.ListActiveCallsResponse, error) {
	cs, err := h.clients()
	if err != nil {
		return nil, err
	}
	var legs []*switchv1.Leg
	for _, sw := range cs {
		res, err := sw.ListLegs(ctx, &switchv1.ListLegsRequest{})
		if err != nil {
			return nil, derrors.New(derrors.Unavailable, "", "a switch is unreachable: %v", connect.CodeOf(err))
		}
		legs = append(legs, res.GetLegs()...)
	}
	out := &systemv1.ListActiveCallsResponse{}
	for _, l := range legs {
		out.Legs = append(out.Legs, &systemv1.CallLeg{Id: l.GetId(), CallId: l.GetCallId(),
			State: legState(l.GetState()), Outgoing: l.GetDirection() == switchv1.LegDirection_LEG_DIRECTION_INBOUND,
			UserId: l.GetUserId(), DeviceId: l.GetDeviceId(), Dialed: l.GetDialed(), Caller: l.GetCaller(),
			Codec: l.GetCodec(), StartTime: l.GetStartTime(), AnswerTime: l.GetAnswerTime(), Held: l.GetHeld()})
	}
	return out, nil
}

// legState maps a switch leg state to the public one.
func legState(s switchv1.LegState) systemv1.CallLegState {
	switch s {
	case switchv1.LegState_LEG_STATE_TRYING:
		return systemv1.CallLegState_CALL_LEG_STATE_TRYING
	case switchv1.LegState_LEG_STATE_RINGING:
		return systemv1.CallLegState_CALL_LEG_STATE_RINGING
	case switchv1.LegState_LEG_STATE_ANSWERED:
		return systemv1.CallLegState_CALL_LEG_STATE_CONNECTED
	default:
		return systemv1.CallLegState_CALL_LEG_STATE_UNSPECIFIED
	}
}

func (h *systemHandler) GetInfo(ctx context.Context, _ *systemv1.GetInfoRequest) (*systemv1.GetInfoResponse, error) {
	rev, err := h.cfg.Revision(ctx)
	if err != nil {
		return nil, err
	}
	return &systemv1.GetInfoResponse{
		Version: h.id.Version, Role: configv1.ServerRole(h.id.Server.Role),
		ServerId: h.id.Server.ID, ServerName: h.id.Server.Name,
		StartTime: ts(h.id.Started), ConfigurationRevision: rev,
	}, nil
}
