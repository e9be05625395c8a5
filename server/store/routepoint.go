package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/predicate"
	"github.com/switchboard-pbx/switchboard/server/store/ent/routepoint"
	"github.com/switchboard-pbx/switchboard/server/store/ent/user"
)

// Users and route points share one extension space. Each table's unique
// index guards its own extensions; the write transaction (writes are
// serialised) checks the other table before it inserts or updates.

// GetRoutePoint returns the route point with id.
func (s *Store) GetRoutePoint(ctx context.Context, id string) (*config.RoutePoint, error) {
	e, err := s.client.RoutePoint.Get(ctx, id)
	if err != nil {
		return nil, mapReadErr(err, "route point "+id)
	}
	return routePointFromEnt(e), nil
}

// ListRoutePoints returns one page of route points in id order, narrowed
// by f.SiteID.
func (s *Store) ListRoutePoints(ctx context.Context, p config.Page, f config.Filter) ([]*config.RoutePoint, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	q := s.client.RoutePoint.Query().Order(ent.Asc(routepoint.FieldID)).Limit(p.Size)
	if p.After != "" {
		q.Where(routepoint.IDGT(p.After))
	}
	if f.SiteID != "" {
		q.Where(routepoint.SiteID(f.SiteID))
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "route points")
	}
	return convert(rows, routePointFromEnt), nil
}

// CountRoutePointsWithExtensionLengthNot counts route points whose
// extension is not n characters long.
func (s *Store) CountRoutePointsWithExtensionLengthNot(ctx context.Context, n int) (int, error) {
	c, err := s.client.RoutePoint.Query().
		Where(predicate.RoutePoint(lengthNot(routepoint.FieldExtension, n))).
		Count(ctx)
	if err != nil {
		return 0, mapReadErr(err, "route points")
	}
	return c, nil
}

// FindRoutePointByExtensionPrefix returns the first route point, in id
// order, whose extension starts with prefix.
func (s *Store) FindRoutePointByExtensionPrefix(ctx context.Context, prefix string) (*config.RoutePoint, error) {
	e, err := s.client.RoutePoint.Query().
		Where(routepoint.ExtensionHasPrefix(prefix)).
		Order(ent.Asc(routepoint.FieldID)).
		First(ctx)
	if err != nil {
		return nil, mapReadErr(err, "route point with extension prefix "+prefix)
	}
	return routePointFromEnt(e), nil
}

// CreateRoutePoint creates a route point.
func (s *Store) CreateRoutePoint(ctx context.Context, in *config.RoutePoint) (*config.RoutePoint, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		m, err := w.newMeta()
		if err != nil {
			return err
		}
		out.Meta = m
		if err := w.checkRoutePointRefs(ctx, &out); err != nil {
			return err
		}
		err = w.RoutePoint.Create().
			SetID(out.ID).SetVersion(out.Version).SetCreated(out.Created).SetUpdated(out.Updated).
			SetName(out.Name).SetExtension(out.Extension).SetSiteID(out.SiteID).
			SetFallbackExtension(out.FallbackExtension).SetAnswerTimeoutSeconds(out.AnswerTimeoutSeconds).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "route point "+out.Extension, routePointExtensionUnique(out.Extension))
		}
		return w.record(ctx, config.KindRoutePoint, out.ID, config.OpCreated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateRoutePoint replaces everything but the meta of a route point.
func (s *Store) UpdateRoutePoint(ctx context.Context, in *config.RoutePoint) (*config.RoutePoint, error) {
	out := *in
	err := s.write(ctx, func(w *writeTx) error {
		cur, err := w.RoutePoint.Get(ctx, in.ID)
		if err != nil {
			return mapReadErr(err, "route point "+in.ID)
		}
		if out.Meta, err = w.nextMeta(cur.ID, in.Version, cur.Version, cur.Created); err != nil {
			return err
		}
		if err := w.checkRoutePointRefs(ctx, &out); err != nil {
			return err
		}
		err = w.RoutePoint.UpdateOne(cur).
			SetVersion(out.Version).SetUpdated(out.Updated).
			SetName(out.Name).SetExtension(out.Extension).SetSiteID(out.SiteID).
			SetFallbackExtension(out.FallbackExtension).SetAnswerTimeoutSeconds(out.AnswerTimeoutSeconds).
			Exec(ctx)
		if err != nil {
			return mapWriteErr(err, "route point "+in.ID, routePointExtensionUnique(out.Extension))
		}
		return w.record(ctx, config.KindRoutePoint, out.ID, config.OpUpdated, &out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// checkRoutePointRefs checks that the route point's site exists and that
// no user has its extension.
func (w *writeTx) checkRoutePointRefs(ctx context.Context, r *config.RoutePoint) error {
	if err := w.requireSite(ctx, r.SiteID); err != nil {
		return err
	}
	return w.requireNoUserExtension(ctx, r.Extension)
}

// DeleteRoutePoint deletes a route point.
func (s *Store) DeleteRoutePoint(ctx context.Context, id string, version int64) error {
	return s.write(ctx, func(w *writeTx) error {
		cur, err := w.RoutePoint.Get(ctx, id)
		if err != nil {
			return mapReadErr(err, "route point "+id)
		}
		if err := checkVersion(version, cur.Version); err != nil {
			return err
		}
		if err := w.RoutePoint.DeleteOne(cur).Exec(ctx); err != nil {
			return mapWriteErr(err, "route point "+id)
		}
		return w.record(ctx, config.KindRoutePoint, id, config.OpDeleted, routePointFromEnt(cur))
	})
}

// requireNoUserExtension answers AlreadyExists naming "extension" when a
// user has ext.
func (w *writeTx) requireNoUserExtension(ctx context.Context, ext string) error {
	taken, err := w.User.Query().Where(user.Extension(ext)).Exist(ctx)
	if err != nil {
		return mapReadErr(err, "users with extension "+ext)
	}
	if taken {
		return derrors.New(derrors.AlreadyExists, "extension", "extension %s is already in use by a user", ext)
	}
	return nil
}

// requireNoRoutePointExtension answers AlreadyExists naming "extension"
// when a route point has ext.
func (w *writeTx) requireNoRoutePointExtension(ctx context.Context, ext string) error {
	rp, err := w.RoutePoint.Query().Where(routepoint.Extension(ext)).Only(ctx)
	switch {
	case ent.IsNotFound(err):
		return nil
	case err != nil:
		return mapReadErr(err, "route points with extension "+ext)
	}
	return derrors.New(derrors.AlreadyExists, "extension",
		"extension %s is already in use by route point %s", ext, rp.Name)
}

func routePointExtensionUnique(ext string) unique {
	return unique{routepoint.Table, routepoint.FieldExtension, "extension", "extension " + ext + " is already in use"}
}

func routePointFromEnt(e *ent.RoutePoint) *config.RoutePoint {
	return &config.RoutePoint{
		Meta:                 meta(e.ID, e.Version, e.Created, e.Updated),
		Name:                 e.Name,
		Extension:            e.Extension,
		SiteID:               e.SiteID,
		FallbackExtension:    e.FallbackExtension,
		AnswerTimeoutSeconds: e.AnswerTimeoutSeconds,
	}
}
