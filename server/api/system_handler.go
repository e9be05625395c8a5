package api

import (
	"context"
	"time"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	systemv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1/systemv1connect"
	"github.com/switchboard-pbx/switchboard/server/config"
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
	id  Identity
	cfg *config.Service
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
