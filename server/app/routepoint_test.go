package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// TestRoutePointCalls: a route point created through the API reaches the
// switch's routing table, where a call to it is answered 480 while no
// application serves it (and no fallback is set); an application token
// controls and sees its route point's line only, and nothing once the
// route point is deleted.
func TestRoutePointCalls(t *testing.T) {
	t.Parallel()
	srv, admin, ctx := callEnv(t, "connect")
	rp := apptest.AddRoutePoint(ctx, t, admin, "IVR", "2100")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	if code := dialUntilNot(ctx, t, alice, "2100", 404); code != 480 {
		t.Fatalf("a call to the route point got %d, want 480", code)
	}

	app := srv.Clients("connect", apptest.AppToken(ctx, t, admin, "ivr", rp))
	_, err := app.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002"})
	wantCode(t, err, connect.CodePermissionDenied, "2100")
	_, err = app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{"2001"}})
	wantCode(t, err, connect.CodePermissionDenied, "2100")

	w := watch(ctx, t, admin, 0)
	if _, err := admin.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002"}); err != nil {
		t.Fatal(err)
	}
	<-alice.Incoming
	<-bob.Incoming
	call := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	_, err = app.Calls.GetCall(ctx, &callcontrolv1.GetCallRequest{CallId: call.GetId()})
	wantCode(t, err, connect.CodePermissionDenied, "2100")
	_, err = app.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: call.GetId()})
	wantCode(t, err, connect.CodePermissionDenied)
	mine, err := app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
	if err != nil || len(mine.GetCalls()) != 0 {
		t.Fatalf("the application's ListCalls = %v, %v; want no calls", mine, err)
	}
	if _, err := admin.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: call.GetId()}); err != nil {
		t.Fatal(err)
	}

	if _, err := admin.Config.DeleteRoutePoint(ctx, &configv1.DeleteRoutePointRequest{Id: rp}); err != nil {
		t.Fatal(err)
	}
	_, err = app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
	wantCode(t, err, connect.CodePermissionDenied, "no longer exist")
}

// dialUntilNot dials number from p until the call fails with a status
// other than skip (the TMS pushes the routing table asynchronously), and
// returns that status.
func dialUntilNot(ctx context.Context, t *testing.T, p *phonetest.Phone, number string, skip int) int {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		c, err := p.Dial(ctx, number)
		if err == nil {
			_ = c.Hangup(ctx)
			t.Fatalf("a call to %s was answered", number)
		}
		var se *phonetest.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("dial %s: %v", number, err)
		}
		if se.Code != skip {
			return se.Code
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s still answers %d", number, skip)
		case <-tick.C:
		}
	}
}
