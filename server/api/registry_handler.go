package api

import (
	"context"

	"connectrpc.com/connect/v2"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/tms"
)

// registryHandler lets remote switches attach themselves.
type registryHandler struct {
	switchv1connect.UnimplementedSwitchRegistryServiceHandler
	switches *tms.Registry
}

// AttachSwitch manages the switch at the URL given, calling it with the
// same bearer token the switch presented.
func (h *registryHandler) AttachSwitch(ctx context.Context, req *switchv1.AttachSwitchRequest) (*switchv1.AttachSwitchResponse, error) {
	if h.switches == nil {
		return nil, derrors.New(derrors.FailedPrecondition, "", "this server does not manage switches")
	}
	info, _ := connect.CallInfoForServerContext(ctx)
	token, _ := bearer(info.RequestHeader().Get("Authorization"))
	h.switches.Attach(req.GetName(), req.GetUrl(), req.GetSipAddress(), token)
	return &switchv1.AttachSwitchResponse{HeartbeatSeconds: tms.HeartbeatSeconds}, nil
}
