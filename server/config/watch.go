package config

import (
	"context"
	"time"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// watchBatch is how many changes Watch reads from the store at a time.
const watchBatch = 500

// Watch calls fn for every change with a revision greater than after, in
// revision order: first the retained history, then new changes as they
// commit. It returns when ctx ends (with ctx's error) or fn fails, or with
// an OutOfRange error when after is older than the retained history.
func (s *Service) Watch(ctx context.Context, after int64, fn func(Change) error) error {
	poll := time.NewTimer(s.pollInterval)
	defer poll.Stop()
	for {
		wake := s.wait() // before reading, so a write after the read still wakes us
		changes, err := s.store.Changes(ctx, after, watchBatch)
		if err != nil {
			return err
		}
		for _, c := range changes {
			if err := fn(c); err != nil {
				return err
			}
			after = c.Revision
		}
		if len(changes) == watchBatch {
			continue
		}
		poll.Reset(s.pollInterval)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closing:
			return derrors.New(derrors.Unavailable, "", "server is shutting down; resume from revision %d elsewhere or later", after)
		case <-wake:
		case <-poll.C:
		}
	}
}

// Defaults are the values a new system starts with.
type Defaults struct {
	SiteName   string // "Headquarters" when empty
	TimeZone   string // "UTC" when empty
	ServerName string // "hq" when empty
	SIPRealm   string // "switchboard" when empty
}

// Bootstrap creates the initial configuration when the store is empty: the
// HQ site and server, the dial plan (4-digit extensions, trunk access code
// 9) and a default class of service (national dialling). It returns the HQ
// server and whether anything was created.
func (s *Service) Bootstrap(ctx context.Context, d Defaults) (*Server, bool, error) {
	def := func(v, fallback string) string {
		if v == "" {
			return fallback
		}
		return v
	}
	site := Site{Name: def(d.SiteName, "Headquarters"), TimeZone: def(d.TimeZone, "UTC"),
		Description: "Created at first start"}
	if err := checkSite(&site); err != nil {
		return nil, false, err
	}
	b := Bootstrap{
		Site:   site,
		Server: Server{Name: def(d.ServerName, "hq"), Role: RoleHQ, Description: "Headquarters server"},
		DialPlan: DialPlan{ExtensionLength: 4, TrunkAccessCode: "9",
			SIPRealm: def(d.SIPRealm, "switchboard")},
		ClassOfService: ClassOfService{Name: "Default", Description: "National dialling, common features",
			DialingScope: ScopeNational,
			Permissions: Permissions{Pickup: true, Park: true, Voicemail: true, Intercom: true,
				TransferExternal: true}},
	}
	hq, created, err := s.store.Bootstrap(ctx, b)
	if err != nil {
		return nil, false, err
	}
	if created {
		s.notify()
	}
	return hq, created, nil
}
