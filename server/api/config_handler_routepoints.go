package api

import (
	"context"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/server/config"
)

// Route points.

func (h *configHandler) GetRoutePoint(ctx context.Context, req *configv1.GetRoutePointRequest) (*configv1.GetRoutePointResponse, error) {
	v, err := h.svc.GetRoutePoint(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &configv1.GetRoutePointResponse{RoutePoint: routePointToProto(v)}, nil
}

func (h *configHandler) ListRoutePoints(ctx context.Context, req *configv1.ListRoutePointsRequest) (*configv1.ListRoutePointsResponse, error) {
	items, next, err := h.svc.ListRoutePoints(ctx, page(req.GetPageSize(), req.GetPageToken()),
		config.Filter{SiteID: req.GetSiteId()})
	if err != nil {
		return nil, err
	}
	return &configv1.ListRoutePointsResponse{RoutePoints: mapSlice(items, routePointToProto), NextPageToken: next}, nil
}

func (h *configHandler) CreateRoutePoint(ctx context.Context, req *configv1.CreateRoutePointRequest) (*configv1.CreateRoutePointResponse, error) {
	v, err := h.svc.CreateRoutePoint(ctx, routePointFromProto(req.GetRoutePoint()))
	if err != nil {
		return nil, err
	}
	return &configv1.CreateRoutePointResponse{RoutePoint: routePointToProto(v)}, nil
}

func (h *configHandler) UpdateRoutePoint(ctx context.Context, req *configv1.UpdateRoutePointRequest) (*configv1.UpdateRoutePointResponse, error) {
	p := req.GetRoutePoint()
	if err := required("route_point", p != nil); err != nil {
		return nil, err
	}
	v, err := h.points.update(ctx, p, req.GetUpdateMask(), p.GetId(), p.GetEtag(), h.svc.UpdateRoutePoint)
	if err != nil {
		return nil, err
	}
	return &configv1.UpdateRoutePointResponse{RoutePoint: v}, nil
}

func (h *configHandler) DeleteRoutePoint(ctx context.Context, req *configv1.DeleteRoutePointRequest) (*configv1.DeleteRoutePointResponse, error) {
	version, err := parseEtag("etag", req.GetEtag())
	if err != nil {
		return nil, err
	}
	return &configv1.DeleteRoutePointResponse{}, h.svc.DeleteRoutePoint(ctx, req.GetId(), version)
}
