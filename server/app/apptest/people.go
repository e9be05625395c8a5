package apptest

import (
	"context"
	"testing"
	"time"

	authv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
)

// AddUser creates a user with an extension in the first site, and a
// device whose SIP password is "secret-<device>".
func AddUser(ctx context.Context, t testing.TB, c Clients, ext, name, device string) {
	t.Helper()
	sites, err := c.Config.ListSites(ctx, &configv1.ListSitesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{Extension: ext, FirstName: name,
		SiteId: sites.GetSites()[0].GetId()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Config.CreateDevice(ctx, &configv1.CreateDeviceRequest{Device: &configv1.Device{
		UserId: u.GetUser().GetId(), SipUsername: device, Password: "secret-" + device}}); err != nil {
		t.Fatal(err)
	}
}

// Register starts a phone for a device added with AddUser and registers
// it, retrying until the TMS has pushed the routing table with its
// credentials.
func Register(ctx context.Context, t testing.TB, sipAddr, device string) *phonetest.Phone {
	t.Helper()
	p := phonetest.New(t, phonetest.Config{Username: device, Password: "secret-" + device, Server: sipAddr})
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := p.Register(ctx, 300)
		if err == nil && res.StatusCode == 200 {
			return p
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never registered: %v %v", device, res, err)
		case <-tick.C:
		}
	}
}

// AddRoutePoint creates a route point in the first site and returns its id.
func AddRoutePoint(ctx context.Context, t testing.TB, c Clients, name, ext string) string {
	t.Helper()
	sites, err := c.Config.ListSites(ctx, &configv1.ListSitesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rp, err := c.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
		Name: name, Extension: ext, SiteId: sites.GetSites()[0].GetId()}})
	if err != nil {
		t.Fatal(err)
	}
	return rp.GetRoutePoint().GetId()
}

// AppToken creates an application token for route points and returns its
// secret.
func AppToken(ctx context.Context, t testing.TB, c Clients, name string, routePoints ...string) string {
	t.Helper()
	tok, err := c.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: name,
		Scope: authv1.Scope_SCOPE_APPLICATION, RoutePointIds: routePoints})
	if err != nil {
		t.Fatal(err)
	}
	return tok.GetSecret()
}
