// Package switchtest starts real switches for tests and benchmarks: a
// switchsvc.Switch on a free loopback port with a routing table of the
// users given, every device with the same password.
package switchtest

import (
	"context"
	"crypto/md5" //nolint:gosec // SIP digest
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/media/switchsvc"
)

// Realm and Password are what every test device uses.
const (
	Realm    = "switchboard"
	Password = "correct horse"
)

// User is a routing-table user: an extension and its devices' SIP user
// names.
type User struct {
	Ext     string
	Devices []string
}

// Switch is a running switch.
type Switch struct {
	*switchsvc.Switch
	Addr string // SIP host:port
}

// Start starts a switch that stops when the test ends. Set
// SWITCH_TEST_LOG=1 to see its debug log and sipgo's.
func Start(t testing.TB, cfg switchsvc.Config, users ...User) *Switch {
	t.Helper()
	sw, stop, err := Run(cfg, users...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return sw
}

// Run starts a switch outside a test; call stop to end it.
func Run(cfg switchsvc.Config, users ...User) (*Switch, func(), error) {
	if cfg.SIPListen == "" {
		cfg.SIPListen = "127.0.0.1:0"
	}
	if cfg.RTPMin == 0 {
		cfg.RTPMin, cfg.RTPMax = 30000, 39999
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
		if os.Getenv("SWITCH_TEST_LOG") != "" {
			cfg.Log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
			sip.SetDefaultLogger(cfg.Log)
		}
	}
	sw, err := switchsvc.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sw.Run(ctx) }()
	stop := func() { cancel(); <-done }
	select {
	case <-sw.Ready():
	case err := <-done:
		cancel()
		return nil, nil, fmt.Errorf("switch did not start: %w", err)
	}
	if _, err := sw.ApplyRoutingTable(ctx, &switchv1.ApplyRoutingTableRequest{Table: Table(users...)}); err != nil {
		stop()
		return nil, nil, err
	}
	return &Switch{Switch: sw, Addr: sw.SIPAddr().String()}, stop, nil
}

// Table builds a routing table (4-digit extensions, trunk access code 9).
func Table(users ...User) *switchv1.RoutingTable {
	table := &switchv1.RoutingTable{Revision: 1, Realm: Realm, ExtensionLength: 4, TrunkAccessCode: "9"}
	for _, u := range users {
		ru := &switchv1.RoutingUser{Id: "user-" + u.Ext, Extension: u.Ext, DisplayName: "User " + u.Ext}
		for _, d := range u.Devices {
			m, s := HA1(d, Password)
			ru.Devices = append(ru.Devices, &switchv1.RoutingDevice{Id: "dev-" + d, SipUsername: d, Ha1Md5: m, Ha1Sha256: s})
		}
		table.Users = append(table.Users, ru)
	}
	return table
}

// HA1 returns the MD5 and SHA-256 digest HA1 of a device in Realm.
func HA1(username, password string) (string, string) {
	a1 := []byte(username + ":" + Realm + ":" + password)
	m := md5.Sum(a1) //nolint:gosec // SIP digest
	s := sha256.Sum256(a1)
	return hex.EncodeToString(m[:]), hex.EncodeToString(s[:])
}

// Phone starts a phone for a device and registers it.
func (s *Switch) Phone(t testing.TB, username string, mode phonetest.Mode) *phonetest.Phone {
	t.Helper()
	p := phonetest.New(t, phonetest.Config{Username: username, Password: Password, Server: s.Addr, Mode: mode,
		AnswerDelay: 50 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := p.Register(ctx, 300)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("register %s: %v %v", username, res, err)
	}
	return p
}
