package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/server"
	"github.com/switchboard-pbx/switchboard/server/store/ent/site"
)

// GetServer returns the server with id.
func (s *Store) GetServer(ctx context.Context, id string) (*config.Server, error) {
	e, err := s.client.Server.Get(ctx, id)
	if err != nil {
		return nil, mapReadErr(err, "server "+id)
	}
	return serverFromEnt(e), nil
}

// ListServers returns one page of servers in id order, of one site when
// f.SiteID is set.
func (s *Store) ListServers(ctx context.Context, p config.Page, f config.Filter) ([]*config.Server, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	q := s.client.Server.Query().Order(ent.Asc(server.FieldID)).Limit(p.Size)
	if p.After != "" {
		q.Where(server.IDGT(p.After))
	}
	if f.SiteID != "" {
		q.Where(server.SiteID(f.SiteID))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "servers")
	}
	return convert(rows, serverFromEnt), nil
}

// CreateServer creates a server in an existing site.
func (s *Store) CreateServer(ctx context.Context, in *config.Server) (*config.Server, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		return w.createServer(ctx, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (w *writeTx) createServer(ctx context.Context, out *config.Server) error {
	m, err := w.newMeta()
	if err != nil {
		return err
	}
	out.Meta = m
	if err := w.requireSite(ctx, out.SiteID); err != nil {
		return err
	}
	err = w.Server.Create().
		SetID(out.ID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
		SetName(out.Name).SetRole(int(out.Role)).SetSiteID(out.SiteID).SetDescription(out.Description).
		Exec(ctx)
	if err != nil {
		return mapWriteErr(err, "server "+out.Name, serverNameUnique(out.Name))
	}
	return w.record(ctx, config.KindServer, out.ID, config.OpCreated, out)
}

// UpdateServer replaces the server's name, role, site and description.
func (s *Store) UpdateServer(ctx context.Context, in *config.Server) (*config.Server, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.Server.Get(ctx, in.ID)
		if err != nil {
			return mapReadErr(err, "server "+in.ID)
		}
		if out.Meta, err = w.nextMeta(cur.ID, in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		if err := w.requireSite(ctx, out.SiteID); err != nil {
			return err
		}
		err = w.Server.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetName(out.Name).SetRole(int(out.Role)).SetSiteID(out.SiteID).SetDescription(out.Description).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "server "+in.ID, serverNameUnique(out.Name))
		}
		return w.record(ctx, config.KindServer, out.ID, config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// requireSite answers FailedPrecondition when site id does not exist.
func (w *writeTx) requireSite(ctx context.Context, id string) error {
	return requireRef(ctx, w.Site.Query().Where(site.ID(id)).Exist, "site_id", "site "+id)
}

func serverNameUnique(name string) unique {
	return unique{server.Table, server.FieldName, "name", "server name " + name + " is already in use"}
}

func serverFromEnt(e *ent.Server) *config.Server {
	return &config.Server{
		Meta:        meta(e.ID, e.Version, e.Created, e.Updated),
		Name:        e.Name,
		Role:        config.Role(e.Role),
		SiteID:      e.SiteID,
		Description: e.Description,
	}
}
