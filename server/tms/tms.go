// Package tms is the telephony management service: it keeps the switches
// assigned to this server in step with the configuration (it builds their
// routing table and pushes it through the generated SwitchService client
// at start and after every relevant change) and answers the public API's
// questions about registrations and calls.
package tms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1/switchv1connect"
	"github.com/switchboard-pbx/switchboard/server/config"
)

// TMS manages one switch.
type TMS struct {
	cfg   *config.Service
	sw    switchv1connect.SwitchServiceClient
	log   *slog.Logger
	dirty chan struct{}
}

// New returns a TMS for the switch reached through sw.
func New(cfg *config.Service, sw switchv1connect.SwitchServiceClient, log *slog.Logger) *TMS {
	return &TMS{cfg: cfg, sw: sw, log: log, dirty: make(chan struct{}, 1)}
}

// Switch is the client of the managed switch.
func (t *TMS) Switch() switchv1connect.SwitchServiceClient { return t.sw }

// Run pushes the routing table now and after every change to users,
// devices, route points or the dial plan, until ctx ends. Bursts of changes are
// coalesced into one push.
func (t *TMS) Run(ctx context.Context) error {
	rev, err := t.pushWithRetry(ctx)
	if err != nil {
		return err
	}
	go func() {
		err := t.cfg.Watch(ctx, rev, func(c config.Change) error {
			if routed(c.Kind) {
				select {
				case t.dirty <- struct{}{}:
				default:
				}
			}
			return nil
		})
		if err != nil && ctx.Err() == nil {
			t.log.Error("tms: change feed ended", "error", err)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.dirty:
			if _, err := t.pushWithRetry(ctx); err != nil {
				return err
			}
		}
	}
}

// routed reports whether changes of kind alter the routing table.
func routed(kind config.Kind) bool {
	switch kind {
	case config.KindUser, config.KindDevice, config.KindRoutePoint, config.KindDialPlan:
		return true
	}
	return false
}

// pushWithRetry pushes the table, retrying with backoff while the switch
// is unreachable.
func (t *TMS) pushWithRetry(ctx context.Context) (int64, error) {
	backoff := 100 * time.Millisecond
	for {
		rev, err := t.Push(ctx)
		if err == nil {
			return rev, nil
		}
		t.log.Warn("tms: routing table push failed; retrying", "error", err, "in", backoff)
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

// Push builds the routing table from the configuration and applies it to
// the switch. It returns the revision the table reflects.
func (t *TMS) Push(ctx context.Context) (int64, error) {
	table, err := BuildTable(ctx, t.cfg)
	if err != nil {
		return 0, err
	}
	if _, err := t.sw.ApplyRoutingTable(ctx, &switchv1.ApplyRoutingTableRequest{Table: table}); err != nil {
		return 0, fmt.Errorf("apply routing table: %w", err)
	}
	return table.GetRevision(), nil
}

// BuildTable reads users, devices, route points and the dial plan into a
// routing table. The revision is read first, so the table is at least that
// new.
func BuildTable(ctx context.Context, cfg *config.Service) (*switchv1.RoutingTable, error) {
	rev, err := cfg.Revision(ctx)
	if err != nil {
		return nil, err
	}
	dp, err := cfg.GetDialPlan(ctx)
	if err != nil {
		return nil, err
	}
	users, err := all(func(p config.PageRequest) ([]*config.User, string, error) {
		return cfg.ListUsers(ctx, p, config.Filter{})
	})
	if err != nil {
		return nil, err
	}
	devices, err := all(func(p config.PageRequest) ([]*config.Device, string, error) {
		return cfg.ListDevices(ctx, p, config.Filter{})
	})
	if err != nil {
		return nil, err
	}
	points, err := all(func(p config.PageRequest) ([]*config.RoutePoint, string, error) {
		return cfg.ListRoutePoints(ctx, p, config.Filter{})
	})
	if err != nil {
		return nil, err
	}
	byUser := make(map[string][]*switchv1.RoutingDevice)
	for _, d := range devices {
		byUser[d.UserID] = append(byUser[d.UserID], &switchv1.RoutingDevice{Id: d.ID, SipUsername: d.SIPUsername,
			Ha1Md5: d.HA1MD5, Ha1Sha256: d.HA1SHA256})
	}
	out := &switchv1.RoutingTable{Revision: rev, Realm: dp.SIPRealm, ExtensionLength: int32(dp.ExtensionLength),
		TrunkAccessCode: dp.TrunkAccessCode, OperatorExtension: dp.OperatorExtension}
	for _, u := range users {
		out.Users = append(out.Users, &switchv1.RoutingUser{Id: u.ID, Extension: u.Extension,
			DisplayName: strings.TrimSpace(u.FirstName + " " + u.LastName), Virtual: u.Virtual, Devices: byUser[u.ID]})
	}
	for _, r := range points {
		out.RoutePoints = append(out.RoutePoints, &switchv1.RoutingRoutePoint{Id: r.ID, Extension: r.Extension,
			Name: r.Name, FallbackExtension: r.FallbackExtension, AnswerTimeoutSeconds: int32(r.AnswerTimeoutSeconds)})
	}
	return out, nil
}

// all reads every page of a list.
func all[T any](list func(config.PageRequest) ([]T, string, error)) ([]T, error) {
	var out []T
	p := config.PageRequest{Size: config.MaxPageSize}
	for {
		items, next, err := list(p)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if next == "" {
			return out, nil
		}
		p.Token = next
	}
}

// ErrNoSwitch is returned when the server runs without a switch.
var ErrNoSwitch = errors.New("no switch is attached to this server")
