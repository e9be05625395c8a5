package config

import (
	"context"
	"time"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// GetSite returns one site.
func (s *Service) GetSite(ctx context.Context, id string) (*Site, error) {
	return s.store.GetSite(ctx, id)
}

// ListSites returns one page of sites and the token of the next page.
func (s *Service) ListSites(ctx context.Context, p PageRequest) ([]*Site, string, error) {
	return list(p, func(v *Site) string { return v.ID }, func(pg Page) ([]*Site, error) {
		return s.store.ListSites(ctx, pg)
	})
}

// CreateSite adds a site. An empty time zone means UTC.
func (s *Service) CreateSite(ctx context.Context, v *Site) (*Site, error) {
	if err := checkSite(v); err != nil {
		return nil, err
	}
	out, err := s.store.CreateSite(ctx, v)
	return out, s.wrote(derrors.Qualify("site", err))
}

// UpdateSite stores v, which carries the version it was read at.
func (s *Service) UpdateSite(ctx context.Context, v *Site) (*Site, error) {
	if err := checkSite(v); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateSite(ctx, v)
	return out, s.wrote(derrors.Qualify("site", err))
}

// DeleteSite removes a site that has no users, route points or servers.
// version 0 deletes whatever the current version is.
func (s *Service) DeleteSite(ctx context.Context, id string, version int64) error {
	return s.wrote(s.store.DeleteSite(ctx, id, version))
}

func checkSite(v *Site) error {
	if v.TimeZone == "" {
		v.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(v.TimeZone); err != nil {
		return derrors.New(derrors.InvalidArgument, "site.time_zone", "%q is not an IANA time zone name", v.TimeZone)
	}
	return nil
}

// GetServer returns one server.
func (s *Service) GetServer(ctx context.Context, id string) (*Server, error) {
	return s.store.GetServer(ctx, id)
}

// ListServers returns one page of servers and the token of the next page.
func (s *Service) ListServers(ctx context.Context, p PageRequest, f Filter) ([]*Server, string, error) {
	return list(p, func(v *Server) string { return v.ID }, func(pg Page) ([]*Server, error) {
		return s.store.ListServers(ctx, pg, f)
	})
}

// UpdateServer stores v (name, site, description), which carries the
// version it was read at. The role cannot change.
func (s *Service) UpdateServer(ctx context.Context, v *Server) (*Server, error) {
	cur, err := s.store.GetServer(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	if v.Role != cur.Role {
		return nil, derrors.New(derrors.InvalidArgument, "server.role", "cannot be changed")
	}
	if err := s.siteExists(ctx, "server.site_id", v.SiteID); err != nil {
		return nil, err
	}
	out, err := s.store.UpdateServer(ctx, v)
	return out, s.wrote(derrors.Qualify("server", err))
}

func (s *Service) siteExists(ctx context.Context, field, id string) error {
	if id == "" {
		return derrors.New(derrors.InvalidArgument, field, "is required")
	}
	if _, err := s.store.GetSite(ctx, id); err != nil {
		if derrors.Category(err) == derrors.NotFound {
			return derrors.New(derrors.NotFound, field, "site %s does not exist", id)
		}
		return err
	}
	return nil
}
