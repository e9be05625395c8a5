package api

import (
	"context"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1/configv1connect"
	"github.com/switchboard-pbx/switchboard/server/config"
)

// Classes of service.

func (h *configHandler) GetClassOfService(ctx context.Context, req *configv1.GetClassOfServiceRequest) (*configv1.GetClassOfServiceResponse, error) {
	v, err := h.svc.GetClassOfService(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &configv1.GetClassOfServiceResponse{ClassOfService: classToProto(v)}, nil
}

func (h *configHandler) ListClassesOfService(ctx context.Context, req *configv1.ListClassesOfServiceRequest) (*configv1.ListClassesOfServiceResponse, error) {
	items, next, err := h.svc.ListClassesOfService(ctx, page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &configv1.ListClassesOfServiceResponse{ClassesOfService: mapSlice(items, classToProto), NextPageToken: next}, nil
}

func (h *configHandler) CreateClassOfService(ctx context.Context, req *configv1.CreateClassOfServiceRequest) (*configv1.CreateClassOfServiceResponse, error) {
	v, err := h.svc.CreateClassOfService(ctx, classFromProto(req.GetClassOfService()))
	if err != nil {
		return nil, err
	}
	return &configv1.CreateClassOfServiceResponse{ClassOfService: classToProto(v)}, nil
}

func (h *configHandler) UpdateClassOfService(ctx context.Context, req *configv1.UpdateClassOfServiceRequest) (*configv1.UpdateClassOfServiceResponse, error) {
	p := req.GetClassOfService()
	if err := required("class_of_service", p != nil); err != nil {
		return nil, err
	}
	v, err := h.classes.update(ctx, p, req.GetUpdateMask(), p.GetId(), p.GetEtag(), h.svc.UpdateClassOfService)
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateClassOfServiceResponse{ClassOfService: v}, nil
}

func (h *configHandler) DeleteClassOfService(ctx context.Context, req *configv1.DeleteClassOfServiceRequest) (*configv1.DeleteClassOfServiceResponse, error) {
	version, err := parseEtag("etag", req.GetEtag())
	if err != nil {
		return nil, err
	}
	return &configv1.DeleteClassOfServiceResponse{}, h.svc.DeleteClassOfService(ctx, req.GetId(), version)
}

// Users.

func (h *configHandler) GetUser(ctx context.Context, req *configv1.GetUserRequest) (*configv1.GetUserResponse, error) {
	v, err := h.svc.GetUser(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &configv1.GetUserResponse{User: userToProto(v)}, nil
}

func (h *configHandler) ListUsers(ctx context.Context, req *configv1.ListUsersRequest) (*configv1.ListUsersResponse, error) {
	items, next, err := h.svc.ListUsers(ctx, page(req.GetPageSize(), req.GetPageToken()),
		config.Filter{SiteID: req.GetSiteId(), ClassOfServiceID: req.GetClassOfServiceId()})
	if err != nil {
		return nil, err
	}
	return &configv1.ListUsersResponse{Users: mapSlice(items, userToProto), NextPageToken: next}, nil
}

func (h *configHandler) CreateUser(ctx context.Context, req *configv1.CreateUserRequest) (*configv1.CreateUserResponse, error) {
	v, err := h.svc.CreateUser(ctx, userFromProto(req.GetUser()))
	if err != nil {
		return nil, err
	}
	return &configv1.CreateUserResponse{User: userToProto(v)}, nil
}

func (h *configHandler) UpdateUser(ctx context.Context, req *configv1.UpdateUserRequest) (*configv1.UpdateUserResponse, error) {
	p := req.GetUser()
	if err := required("user", p != nil); err != nil {
		return nil, err
	}
	v, err := h.users.update(ctx, p, req.GetUpdateMask(), p.GetId(), p.GetEtag(), h.svc.UpdateUser)
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateUserResponse{User: v}, nil
}

func (h *configHandler) DeleteUser(ctx context.Context, req *configv1.DeleteUserRequest) (*configv1.DeleteUserResponse, error) {
	version, err := parseEtag("etag", req.GetEtag())
	if err != nil {
		return nil, err
	}
	return &configv1.DeleteUserResponse{}, h.svc.DeleteUser(ctx, req.GetId(), version)
}

// Devices.

func (h *configHandler) GetDevice(ctx context.Context, req *configv1.GetDeviceRequest) (*configv1.GetDeviceResponse, error) {
	v, err := h.svc.GetDevice(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &configv1.GetDeviceResponse{Device: deviceToProto(v)}, nil
}

func (h *configHandler) ListDevices(ctx context.Context, req *configv1.ListDevicesRequest) (*configv1.ListDevicesResponse, error) {
	items, next, err := h.svc.ListDevices(ctx, page(req.GetPageSize(), req.GetPageToken()),
		config.Filter{UserID: req.GetUserId()})
	if err != nil {
		return nil, err
	}
	return &configv1.ListDevicesResponse{Devices: mapSlice(items, deviceToProto), NextPageToken: next}, nil
}

func (h *configHandler) CreateDevice(ctx context.Context, req *configv1.CreateDeviceRequest) (*configv1.CreateDeviceResponse, error) {
	v, err := h.svc.CreateDevice(ctx, deviceFromProto(req.GetDevice()), req.GetDevice().GetPassword())
	if err != nil {
		return nil, err
	}
	return &configv1.CreateDeviceResponse{Device: deviceToProto(v)}, nil
}

func (h *configHandler) UpdateDevice(ctx context.Context, req *configv1.UpdateDeviceRequest) (*configv1.UpdateDeviceResponse, error) {
	p := req.GetDevice()
	if err := required("device", p != nil); err != nil {
		return nil, err
	}
	password := ""
	for _, path := range req.GetUpdateMask().GetPaths() {
		if path == "password" {
			password = p.GetPassword()
		}
	}
	if len(req.GetUpdateMask().GetPaths()) == 0 {
		password = p.GetPassword()
	}
	v, err := h.devices.update(ctx, p, req.GetUpdateMask(), p.GetId(), p.GetEtag(),
		func(ctx context.Context, d *config.Device) (*config.Device, error) {
			return h.svc.UpdateDevice(ctx, d, password)
		})
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateDeviceResponse{Device: v}, nil
}

func (h *configHandler) DeleteDevice(ctx context.Context, req *configv1.DeleteDeviceRequest) (*configv1.DeleteDeviceResponse, error) {
	version, err := parseEtag("etag", req.GetEtag())
	if err != nil {
		return nil, err
	}
	return &configv1.DeleteDeviceResponse{}, h.svc.DeleteDevice(ctx, req.GetId(), version)
}

// Dial plan and change feed.

func (h *configHandler) GetDialPlan(ctx context.Context, _ *configv1.GetDialPlanRequest) (*configv1.GetDialPlanResponse, error) {
	v, err := h.svc.GetDialPlan(ctx)
	if err != nil {
		return nil, err
	}
	return &configv1.GetDialPlanResponse{DialPlan: dialPlanToProto(v)}, nil
}

func (h *configHandler) UpdateDialPlan(ctx context.Context, req *configv1.UpdateDialPlanRequest) (*configv1.UpdateDialPlanResponse, error) {
	p := req.GetDialPlan()
	if err := required("dial_plan", p != nil); err != nil {
		return nil, err
	}
	v, err := h.plan.update(ctx, p, req.GetUpdateMask(), "", p.GetEtag(), h.svc.UpdateDialPlan)
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateDialPlanResponse{DialPlan: v}, nil
}

func (h *configHandler) WatchChanges(ctx context.Context, req *configv1.WatchChangesRequest, stream configv1connect.ConfigServiceWatchChangesServerStream) error {
	// Flush headers at once so the client knows the watch is established
	// even when no change comes for a while.
	if err := stream.SendHeaders(); err != nil {
		return err
	}
	return h.svc.Watch(ctx, req.GetAfterRevision(), func(c config.Change) error {
		return stream.Send(&configv1.WatchChangesResponse{Change: changeToProto(c)})
	})
}
