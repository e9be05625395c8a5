package store

import (
	"context"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/server"
)

// Bootstrap creates the class of service, site, HQ server and dial plan of
// b in one transaction (a change each, in that order) unless a dial plan
// exists, and returns the HQ server either way. The server is always
// created with RoleHQ.
func (s *Store) Bootstrap(ctx context.Context, b config.Bootstrap) (*config.Server, bool, error) {
	var (
		hq      *config.Server
		created bool
	)
	err := s.write(ctx, func(w *writeTx) error {
		exists, err := w.DialPlan.Query().Exist(ctx)
		if err != nil {
			return mapReadErr(err, "dial plan")
		}
		if exists {
			e, err := w.Server.Query().
				Where(server.Role(int(config.RoleHQ))).
				Order(ent.Asc(server.FieldID)).
				First(ctx)
			if err != nil {
				return mapReadErr(err, "HQ server")
			}
			hq = serverFromEnt(e)
			return nil
		}
		hq, err = w.bootstrap(ctx, b)
		created = err == nil
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return hq, created, nil
}

func (w *writeTx) bootstrap(ctx context.Context, b config.Bootstrap) (*config.Server, error) {
	cos, st, srv, dp := b.ClassOfService, b.Site, b.Server, b.DialPlan
	if err := w.createClassOfService(ctx, &cos); err != nil {
		return nil, err
	}
	if err := w.createSite(ctx, &st); err != nil {
		return nil, err
	}
	srv.SiteID = st.ID
	srv.Role = config.RoleHQ
	if err := w.createServer(ctx, &srv); err != nil {
		return nil, err
	}
	dp.DefaultClassOfServiceID = cos.ID
	if err := w.createDialPlan(ctx, &dp); err != nil {
		return nil, err
	}
	return &srv, nil
}
