package config

import (
	"context"
	"strings"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// GetRoutePoint returns one route point.
func (s *Service) GetRoutePoint(ctx context.Context, id string) (*RoutePoint, error) {
	return s.store.GetRoutePoint(ctx, id)
}

// ListRoutePoints returns one page of route points and the token of the
// next page.
func (s *Service) ListRoutePoints(ctx context.Context, p PageRequest, f Filter) ([]*RoutePoint, string, error) {
	return list(p, func(v *RoutePoint) string { return v.ID }, func(pg Page) ([]*RoutePoint, error) {
		return s.store.ListRoutePoints(ctx, pg, f)
	})
}

// CreateRoutePoint adds a route point. An answer timeout of 0 means
// DefaultAnswerTimeoutSeconds.
func (s *Service) CreateRoutePoint(ctx context.Context, v *RoutePoint) (*RoutePoint, error) {
	if err := s.checkRoutePoint(ctx, v); err != nil {
		return nil, err
	}
	out, err := s.store.CreateRoutePoint(ctx, v)
	return out, s.wrote(derrors.Qualify("route_point", err))
}

// UpdateRoutePoint stores v, which carries the version it was read at.
func (s *Service) UpdateRoutePoint(ctx context.Context, v *RoutePoint) (*RoutePoint, error) {
	if err := s.checkRoutePoint(ctx, v); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateRoutePoint(ctx, v)
	return out, s.wrote(derrors.Qualify("route_point", err))
}

// DeleteRoutePoint removes a route point.
func (s *Service) DeleteRoutePoint(ctx context.Context, id string, version int64) error {
	return s.wrote(s.store.DeleteRoutePoint(ctx, id, version))
}

// checkRoutePoint applies the dial plan and reference rules to v and fills
// in the default answer timeout.
func (s *Service) checkRoutePoint(ctx context.Context, v *RoutePoint) error {
	if strings.TrimSpace(v.Name) == "" {
		return derrors.New(derrors.InvalidArgument, "route_point.name", "is required")
	}
	dp, err := s.store.GetDialPlan(ctx)
	if err != nil {
		return err
	}
	if err := dp.checkExtension("route_point.extension", v.Extension); err != nil {
		return err
	}
	if v.FallbackExtension != "" {
		if err := dp.checkExtension("route_point.fallback_extension", v.FallbackExtension); err != nil {
			return err
		}
		if v.FallbackExtension == v.Extension {
			return derrors.New(derrors.InvalidArgument, "route_point.fallback_extension",
				"%q is the route point's own extension", v.FallbackExtension)
		}
	}
	if v.AnswerTimeoutSeconds == 0 {
		v.AnswerTimeoutSeconds = DefaultAnswerTimeoutSeconds
	}
	if v.AnswerTimeoutSeconds < MinAnswerTimeoutSeconds || v.AnswerTimeoutSeconds > MaxAnswerTimeoutSeconds {
		return derrors.New(derrors.InvalidArgument, "route_point.answer_timeout_seconds",
			"must be between %d and %d seconds, got %d", MinAnswerTimeoutSeconds, MaxAnswerTimeoutSeconds,
			v.AnswerTimeoutSeconds)
	}
	return s.siteExists(ctx, "route_point.site_id", v.SiteID)
}
