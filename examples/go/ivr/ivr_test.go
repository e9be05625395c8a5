package main

import (
	"context"
	"testing"
	"time"

	authv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// TestIVR runs the example against a real server: a caller dials the
// route point, hears the greeting, types 2002# and ends up talking to
// 2002.
func TestIVR(t *testing.T) {
	srv := apptest.Start(t, apptest.Options{Switch: true})
	admin := srv.Clients("connect", srv.AdminToken)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	apptest.AddUser(ctx, t, admin, "2001", "Alice", "alice")
	apptest.AddUser(ctx, t, admin, "2002", "Bob", "bob")
	sites, err := admin.Config.ListSites(ctx, &configv1.ListSitesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	rp, err := admin.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
		Name: "Attendant", Extension: "2100", SiteId: sites.GetSites()[0].GetId()}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "ivr",
		Scope: authv1.Scope_SCOPE_APPLICATION, RoutePointIds: []string{rp.GetRoutePoint().GetId()}})
	if err != nil {
		t.Fatal(err)
	}
	alice := apptest.Register(ctx, t, srv.SIPAddr, "alice")
	bob := apptest.Register(ctx, t, srv.SIPAddr, "bob")

	app := srv.Clients("connect", tok.GetSecret())
	go func() { _ = serve(ctx, app.Calls, "2100", t.Logf) }()

	var call *phonetest.Call
	for call == nil { // until the routing table has the route point and the IVR watches
		c, err := alice.Dial(ctx, "2100")
		if err == nil {
			call = c
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the IVR never answered: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err := call.WaitTone(ctx, 440); err != nil {
		t.Fatal("no greeting")
	}
	for _, d := range "2002#" {
		if err := call.SendInfoDTMF(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	atBob := <-bob.Incoming
	call.PlayTone(1000)
	if err := atBob.WaitTone(ctx, 1000); err != nil {
		t.Fatal("2002 does not hear the caller")
	}
}
