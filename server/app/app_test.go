package app_test

import (
	"context"
	"testing"
	"time"

	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	systemv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
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
	sites, err := c.Config.ListSites(ctx, &configv1.ListSitesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	site := sites.GetSites()[0].GetId()
	for _, u := range []struct{ ext, name, device string }{{"2001", "Alice", "alice"}, {"2002", "Bob", "bob"}} {
		user, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
			Extension: u.ext, FirstName: u.name, SiteId: site}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Config.CreateDevice(ctx, &configv1.CreateDeviceRequest{Device: &configv1.Device{
			UserId: user.GetUser().GetId(), SipUsername: u.device, Password: "secret-" + u.device}}); err != nil {
			t.Fatal(err)
		}
	}
	alice := register(ctx, t, srv, "alice")
	bob := register(ctx, t, srv, "bob")
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
	if err := call.Hangup(ctx); err != nil {
		t.Fatal(err)
	}
	<-in.Ended()
}

// register registers a device, retrying until the TMS has pushed the
// routing table with its credentials.
func register(ctx context.Context, t *testing.T, srv *apptest.Server, name string) *phonetest.Phone {
	t.Helper()
	p := phonetest.New(t, phonetest.Config{Username: name, Password: "secret-" + name, Server: srv.SIPAddr})
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := p.Register(ctx, 300)
		if err == nil && res.StatusCode == 200 {
			return p
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never registered: %v %v", name, res, err)
		case <-tick.C:
		}
	}
}
