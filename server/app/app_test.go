package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	systemv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// TestUsersCreatedThroughTheAPICanCall is the whole path: users and
// devices created through the API reach the switch's routing table via
// the TMS (WatchChanges → ApplyRoutingTable over the generated client),
// the phones register with those credentials and call each other.
func TestUsersCreatedThroughTheAPICanCall(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{Switch: true})
	c := srv.Clients("connect", srv.AdminToken)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	createUsers(ctx, t, c)
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	regs, err := c.System.ListRegistrations(ctx, &systemv1.ListRegistrationsRequest{})
	if err != nil || len(regs.GetRegistrations()) != 2 {
		t.Fatalf("ListRegistrations = %v, %v", regs, err)
	}
	call, err := alice.Dial(ctx, "2002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	if in.From != "2001" {
		t.Errorf("bob sees the call from %q, want 2001", in.From)
	}
	call.PlayTone(1000)
	if err := in.WaitTone(ctx, 1000); err != nil {
		t.Fatal("bob does not hear alice")
	}
	calls, err := c.System.ListActiveCalls(ctx, &systemv1.ListActiveCallsRequest{})
	if err != nil || len(calls.GetLegs()) != 2 {
		t.Fatalf("ListActiveCalls = %v, %v", calls, err)
	}
	metrics := scrape(ctx, t, srv.URL)
	for _, want := range []string{"switchboard_switch_legs 2\n", "switchboard_switch_registrations 2\n",
		"switchboard_sip_calls_refused_overload_total 0\n", "switchboard_sip_registers_refused_overload_total 0\n",
		"switchboard_sip_datagram_wait_seconds "} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics has no %q", want)
		}
	}
	if err := call.Hangup(ctx); err != nil {
		t.Fatal(err)
	}
	<-in.Ended()
}

// scrape returns the server's /metrics page.
func scrape(ctx context.Context, t *testing.T, baseURL string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %d %v", res.StatusCode, err)
	}
	return string(body)
}

// createUsers creates Alice (2001, device alice) and Bob (2002, device
// bob) on the bootstrap site; each device's password is "secret-<name>".
func createUsers(ctx context.Context, t *testing.T, c apptest.Clients) {
	t.Helper()
	apptest.AddUser(ctx, t, c, "2001", "Alice", "alice")
	apptest.AddUser(ctx, t, c, "2002", "Bob", "bob")
}

// registerAt registers a device at a switch (apptest.Register).
func registerAt(ctx context.Context, t *testing.T, sipAddr, name string) *phonetest.Phone {
	t.Helper()
	return apptest.Register(ctx, t, sipAddr, name)
}

// TestStandaloneSwitch runs a switch on its own (`switchboard switch`):
// it attaches to the server, the server's TMS pushes the routing table to
// it over HTTP with the token, phones register to it and call, and the
// server lists its registrations.
func TestStandaloneSwitch(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	c := srv.Clients("grpc", srv.AdminToken)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sw, err := app.NewStandaloneSwitch(app.SwitchConfig{TMS: srv.URL, Token: srv.AdminToken, Listen: "127.0.0.1:0",
		Name: "branch-1", SIPListen: "127.0.0.1:0", RTPPorts: "50000-50999",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	swCtx, stopSwitch := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sw.Run(swCtx) }()
	t.Cleanup(func() { stopSwitch(); <-done })
	<-sw.Switch.Ready()
	sipAddr := sw.Switch.SIPAddr().String()
	createUsers(ctx, t, c)
	alice := registerAt(ctx, t, sipAddr, "alice")
	bob := registerAt(ctx, t, sipAddr, "bob")
	regs, err := c.System.ListRegistrations(ctx, &systemv1.ListRegistrationsRequest{})
	if err != nil || len(regs.GetRegistrations()) != 2 {
		t.Fatalf("server lists %v, %v; want the remote switch's 2 registrations", regs, err)
	}
	call, err := alice.Dial(ctx, "2002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	call.PlayTone(1000)
	if err := in.WaitTone(ctx, 1000); err != nil {
		t.Fatal("bob does not hear alice through the standalone switch")
	}
	_ = call.Hangup(ctx)
}

// TestDatabaseFileMode: the SQLite file (SIP credentials, token hashes) is
// readable by the server's user only.
func TestDatabaseFileMode(t *testing.T) {
	dir := t.TempDir()
	a, err := app.New(t.Context(), app.Config{DataDir: dir, Listen: "127.0.0.1:0", Out: io.Discard,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil || a == nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Fatalf("database file mode %o, want 600", mode)
	}
}
