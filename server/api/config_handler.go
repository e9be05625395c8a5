package api

import (
	"context"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1/configv1connect"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// configHandler adapts ConfigService to the config domain.
type configHandler struct {
	configv1connect.UnimplementedConfigServiceHandler
	svc *config.Service

	sites   resource[*config.Site, *configv1.Site]
	servers resource[*config.Server, *configv1.Server]
	classes resource[*config.ClassOfService, *configv1.ClassOfService]
	users   resource[*config.User, *configv1.User]
	devices resource[*config.Device, *configv1.Device]
	points  resource[*config.RoutePoint, *configv1.RoutePoint]
	plan    resource[*config.DialPlan, *configv1.DialPlan]
}

func newConfigHandler(svc *config.Service) *configHandler {
	return &configHandler{
		svc: svc,
		sites: resource[*config.Site, *configv1.Site]{field: "site", number: 1,
			writable: []string{"name", "description", "time_zone"},
			get:      svc.GetSite, toProto: siteToProto, fromProto: siteFromProto,
			meta: func(v *config.Site) *config.Meta { return &v.Meta }},
		servers: resource[*config.Server, *configv1.Server]{field: "server", number: 1,
			writable: []string{"name", "site_id", "description"},
			get:      svc.GetServer, toProto: serverToProto, fromProto: serverFromProto,
			meta: func(v *config.Server) *config.Meta { return &v.Meta }},
		classes: resource[*config.ClassOfService, *configv1.ClassOfService]{field: "class_of_service", number: 1,
			writable: []string{"name", "description", "dialing_scope", "permissions"},
			get:      svc.GetClassOfService, toProto: classToProto, fromProto: classFromProto,
			meta: func(v *config.ClassOfService) *config.Meta { return &v.Meta }},
		users: resource[*config.User, *configv1.User]{field: "user", number: 1,
			writable: []string{"extension", "first_name", "last_name", "email", "site_id", "class_of_service_id", "virtual"},
			get:      svc.GetUser, toProto: userToProto, fromProto: userFromProto,
			meta: func(v *config.User) *config.Meta { return &v.Meta }},
		devices: resource[*config.Device, *configv1.Device]{field: "device", number: 1,
			writable: []string{"sip_username", "password", "label"},
			get:      svc.GetDevice, toProto: deviceToProto, fromProto: deviceFromProto,
			meta: func(v *config.Device) *config.Meta { return &v.Meta }},
		points: resource[*config.RoutePoint, *configv1.RoutePoint]{field: "route_point", number: 1,
			writable: []string{"name", "extension", "site_id", "fallback_extension", "answer_timeout_seconds"},
			get:      svc.GetRoutePoint, toProto: routePointToProto, fromProto: routePointFromProto,
			meta: func(v *config.RoutePoint) *config.Meta { return &v.Meta }},
		plan: resource[*config.DialPlan, *configv1.DialPlan]{field: "dial_plan", number: 1,
			writable: []string{"extension_length", "trunk_access_code", "operator_extension", "default_class_of_service_id"},
			get:      func(ctx context.Context, _ string) (*config.DialPlan, error) { return svc.GetDialPlan(ctx) },
			toProto:  dialPlanToProto, fromProto: dialPlanFromProto,
			meta: func(v *config.DialPlan) *config.Meta { return &v.Meta }},
	}
}

// required reports a missing resource in a request.
func required(field string, present bool) error {
	if !present {
		return derrors.New(derrors.InvalidArgument, field, "is required")
	}
	return nil
}

func page(size int32, token string) config.PageRequest {
	return config.PageRequest{Size: int(size), Token: token}
}

// Sites.

func (h *configHandler) GetSite(ctx context.Context, req *configv1.GetSiteRequest) (*configv1.GetSiteResponse, error) {
	v, err := h.svc.GetSite(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &configv1.GetSiteResponse{Site: siteToProto(v)}, nil
}

func (h *configHandler) ListSites(ctx context.Context, req *configv1.ListSitesRequest) (*configv1.ListSitesResponse, error) {
	items, next, err := h.svc.ListSites(ctx, page(req.GetPageSize(), req.GetPageToken()))
	if err != nil {
		return nil, err
	}
	return &configv1.ListSitesResponse{Sites: mapSlice(items, siteToProto), NextPageToken: next}, nil
}

func (h *configHandler) CreateSite(ctx context.Context, req *configv1.CreateSiteRequest) (*configv1.CreateSiteResponse, error) {
	v, err := h.svc.CreateSite(ctx, siteFromProto(req.GetSite()))
	if err != nil {
		return nil, err
	}
	return &configv1.CreateSiteResponse{Site: siteToProto(v)}, nil
}

func (h *configHandler) UpdateSite(ctx context.Context, req *configv1.UpdateSiteRequest) (*configv1.UpdateSiteResponse, error) {
	if err := required("site", req.GetSite() != nil); err != nil {
		return nil, err
	}
	v, err := h.sites.update(ctx, req.GetSite(), req.GetUpdateMask(), req.GetSite().GetId(), req.GetSite().GetEtag(), h.svc.UpdateSite)
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateSiteResponse{Site: v}, nil
}

func (h *configHandler) DeleteSite(ctx context.Context, req *configv1.DeleteSiteRequest) (*configv1.DeleteSiteResponse, error) {
	version, err := parseEtag("etag", req.GetEtag())
	if err != nil {
		return nil, err
	}
	return &configv1.DeleteSiteResponse{}, h.svc.DeleteSite(ctx, req.GetId(), version)
}

// Servers.

func (h *configHandler) GetServer(ctx context.Context, req *configv1.GetServerRequest) (*configv1.GetServerResponse, error) {
	v, err := h.svc.GetServer(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &configv1.GetServerResponse{Server: serverToProto(v)}, nil
}

func (h *configHandler) ListServers(ctx context.Context, req *configv1.ListServersRequest) (*configv1.ListServersResponse, error) {
	items, next, err := h.svc.ListServers(ctx, page(req.GetPageSize(), req.GetPageToken()),
		config.Filter{SiteID: req.GetSiteId()})
	if err != nil {
		return nil, err
	}
	return &configv1.ListServersResponse{Servers: mapSlice(items, serverToProto), NextPageToken: next}, nil
}

func (h *configHandler) UpdateServer(ctx context.Context, req *configv1.UpdateServerRequest) (*configv1.UpdateServerResponse, error) {
	if err := required("server", req.GetServer() != nil); err != nil {
		return nil, err
	}
	v, err := h.servers.update(ctx, req.GetServer(), req.GetUpdateMask(), req.GetServer().GetId(), req.GetServer().GetEtag(), h.svc.UpdateServer)
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateServerResponse{Server: v}, nil
}

func mapSlice[A, B any](in []A, f func(A) B) []B {
	out := make([]B, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}
