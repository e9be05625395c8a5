package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/routepoint"
	"github.com/switchboard-pbx/switchboard/server/store/ent/server"
	"github.com/switchboard-pbx/switchboard/server/store/ent/site"
	"github.com/switchboard-pbx/switchboard/server/store/ent/user"
)

// GetSite returns the site with id.
func (s *Store) GetSite(ctx context.Context, id string) (*config.Site, error) {
	e, err := s.client.Site.Get(ctx, id)
	if err != nil {
		return nil, mapReadErr(err, "site "+id)
	}
	return siteFromEnt(e), nil
}

// ListSites returns one page of sites in id order.
func (s *Store) ListSites(ctx context.Context, p config.Page) ([]*config.Site, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	q := s.client.Site.Query().Order(ent.Asc(site.FieldID)).Limit(p.Size)
	if p.After != "" {
		q.Where(site.IDGT(p.After))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "sites")
	}
	return convert(rows, siteFromEnt), nil
}

// CreateSite creates a site; TimeZone defaults to "UTC".
func (s *Store) CreateSite(ctx context.Context, in *config.Site) (*config.Site, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		return w.createSite(ctx, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (w *writeTx) createSite(ctx context.Context, out *config.Site) error {
	m, err := w.newMeta()
	if err != nil {
		return err
	}
	out.Meta = m
	if out.TimeZone == "" {
		out.TimeZone = "UTC"
	}
	err = w.Site.Create().
		SetID(out.ID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
		SetName(out.Name).SetDescription(out.Description).SetTimeZone(out.TimeZone).
		Exec(ctx)
	if err != nil {
		return mapWriteErr(err, "site "+out.Name, siteNameUnique(out.Name))
	}
	return w.record(ctx, config.KindSite, out.ID, config.OpCreated, out)
}

// UpdateSite replaces the site's name, description and time zone.
func (s *Store) UpdateSite(ctx context.Context, in *config.Site) (*config.Site, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.Site.Get(ctx, in.ID)
		if err != nil {
			return mapReadErr(err, "site "+in.ID)
		}
		if out.Meta, err = w.nextMeta(cur.ID, in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		if out.TimeZone == "" {
			out.TimeZone = "UTC"
		}
		err = w.Site.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetName(out.Name).SetDescription(out.Description).SetTimeZone(out.TimeZone).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "site "+in.ID, siteNameUnique(out.Name))
		}
		return w.record(ctx, config.KindSite, out.ID, config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSite deletes a site that no user, route point or server refers to.
func (s *Store) DeleteSite(ctx context.Context, id string, version int64) error {
	return s.write(ctx, func(w *writeTx) error {
		cur, err := w.Site.Get(ctx, id)
		if err != nil {
			return mapReadErr(err, "site "+id)
		}
		if err := checkVersion(version, cur.Version); err != nil {
			return err
		}
		users, err := w.User.Query().Where(user.SiteID(id)).Count(ctx)
		if err != nil {
			return mapReadErr(err, "users of site "+id)
		}
		if users > 0 {
			return inUse("site %s still has %s", cur.Name, count(users, "user"))
		}
		points, err := w.RoutePoint.Query().Where(routepoint.SiteID(id)).Count(ctx)
		if err != nil {
			return mapReadErr(err, "route points of site "+id)
		}
		if points > 0 {
			return inUse("site %s still has %s", cur.Name, count(points, "route point"))
		}
		servers, err := w.Server.Query().Where(server.SiteID(id)).Count(ctx)
		if err != nil {
			return mapReadErr(err, "servers of site "+id)
		}
		if servers > 0 {
			return inUse("site %s still has %s", cur.Name, count(servers, "server"))
		}
		if err := w.Site.DeleteOne(cur).Exec(ctx); err != nil {
			return mapWriteErr(err, "site "+id)
		}
		return w.record(ctx, config.KindSite, id, config.OpDeleted, siteFromEnt(cur))
	})
}

func siteNameUnique(name string) unique {
	return unique{site.Table, site.FieldName, "name", "site name " + name + " is already in use"}
}

func siteFromEnt(e *ent.Site) *config.Site {
	return &config.Site{
		Meta:        meta(e.ID, e.Version, e.Created, e.Updated),
		Name:        e.Name,
		Description: e.Description,
		TimeZone:    e.TimeZone,
	}
}
