package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/change"
)

// Revision returns the newest committed revision, 0 when there is none.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	return latestRevision(ctx, s.client)
}

// Changes returns up to limit changes with revision > after, in revision
// order. Revisions are gapless, so when the first change returned is not
// after+1 the ones in between have been pruned: OutOfRange.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]config.Change, error) {
	if after < 0 {
		return nil, derrors.New(derrors.InvalidArgument, "after", "must not be negative, got %d", after)
	}
	if limit <= 0 {
		return nil, derrors.New(derrors.InvalidArgument, "limit", "must be greater than 0, got %d", limit)
	}
	rows, err := s.client.Change.Query().
		Where(change.RevisionGT(after)).
		Order(ent.Asc(change.FieldRevision)).
		Limit(limit).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: changes after %d: %w", after, err)
	}
	if len(rows) > 0 && rows[0].Revision != after+1 {
		return nil, derrors.New(derrors.OutOfRange, "after",
			"changes after revision %d are no longer retained; the oldest is %d", after, rows[0].Revision)
	}
	out := make([]config.Change, len(rows))
	for i, r := range rows {
		res, err := decodeResource(config.Kind(r.Kind), r.Data)
		if err != nil {
			return nil, fmt.Errorf("store: change %d: %w", r.Revision, err)
		}
		out[i] = config.Change{
			Revision:   r.Revision,
			Time:       r.Time.UTC(),
			Kind:       config.Kind(r.Kind),
			ResourceID: r.ResourceID,
			Op:         config.Op(r.Op),
			Resource:   res,
		}
	}
	return out, nil
}

// decodeResource decodes a change's data into a pointer to the config
// struct of its kind.
func decodeResource(kind config.Kind, data []byte) (any, error) {
	var v any
	switch kind {
	case config.KindSite:
		v = new(config.Site)
	case config.KindServer:
		v = new(config.Server)
	case config.KindClassOfService:
		v = new(config.ClassOfService)
	case config.KindUser:
		v = new(config.User)
	case config.KindDevice:
		v = new(config.Device)
	case config.KindDialPlan:
		v = new(config.DialPlan)
	case config.KindRoutePoint:
		v = new(config.RoutePoint)
	default:
		return nil, fmt.Errorf("unknown kind %d", kind)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return nil, fmt.Errorf("decode %T: %w", v, err)
	}
	return v, nil
}
