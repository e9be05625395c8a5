package main

import (
	"context"
	"testing"
	"time"

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
	token := apptest.AppToken(ctx, t, admin, "ivr", apptest.AddRoutePoint(ctx, t, admin, "Attendant", "2100"))
	alice := apptest.Register(ctx, t, srv.SIPAddr, "alice")
	bob := apptest.Register(ctx, t, srv.SIPAddr, "bob")

	app := srv.Clients("connect", token)
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
