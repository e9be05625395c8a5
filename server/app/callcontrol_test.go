package app_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	authv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1"
	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1/callcontrolv1connect"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// watcher collects call events from WatchEvents.
type watcher struct {
	stream callcontrolv1connect.CallControlServiceWatchEventsClientStream
	seen   []*callcontrolv1.Event
	used   map[int64]bool // events an until call already returned
}

func watch(ctx context.Context, t *testing.T, c apptest.Clients, after int64, lines ...string) *watcher {
	t.Helper()
	s, err := c.Calls.WatchEvents(ctx, &callcontrolv1.WatchEventsRequest{AfterSequence: after, Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	return &watcher{stream: s, used: map[int64]bool{}}
}

// until returns the first event not returned before that shows a call on
// line in state, reading more events as needed.
func (w *watcher) until(t *testing.T, line string, state callcontrolv1.CallState) *callcontrolv1.Call {
	t.Helper()
	return w.match(t, fmt.Sprintf("%s on %s", state, line), func(ev *callcontrolv1.Event) bool {
		return ev.GetLine() == line && ev.GetCall().GetState() == state
	})
}

// untilID is until for one call handle.
func (w *watcher) untilID(t *testing.T, id string, state callcontrolv1.CallState) *callcontrolv1.Call {
	t.Helper()
	return w.match(t, fmt.Sprintf("%s on call %s", state, id), func(ev *callcontrolv1.Event) bool {
		return ev.GetCall().GetId() == id && ev.GetCall().GetState() == state
	})
}

// match returns the call of the first event not returned before that
// matches, reading more events as needed.
func (w *watcher) match(t *testing.T, what string, ok func(*callcontrolv1.Event) bool) *callcontrolv1.Call {
	t.Helper()
	for _, ev := range w.seen {
		if !w.used[ev.GetSequence()] && ok(ev) {
			w.used[ev.GetSequence()] = true
			return ev.GetCall()
		}
	}
	for {
		res, err := w.stream.Receive()
		if err != nil {
			for _, ev := range w.seen {
				t.Logf("seen: %d %s %s %v %v", ev.GetSequence(), ev.GetLine(), ev.GetCall().GetId(), ev.GetCall().GetState(), ev.GetCall().GetParties())
			}
			t.Fatalf("waiting for %s: %v (seen %d events)", what, err, len(w.seen))
		}
		ev := res.GetEvent()
		w.seen = append(w.seen, ev)
		if ok(ev) {
			w.used[ev.GetSequence()] = true
			return ev.GetCall()
		}
	}
}

func TestMakeCallAndDrop(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "connect")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	w := watch(ctx, t, c, 0)

	res, err := c.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002", IdempotencyKey: "crm-42"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002", IdempotencyKey: "crm-42"})
	if err != nil || again.GetCall().GetId() != res.GetCall().GetId() {
		t.Fatalf("retried MakeCall placed another call: %v %v", again, err)
	}
	mine := <-alice.Incoming
	w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_OFFERING)
	theirs := <-bob.Incoming
	connected := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	if len(connected.GetParties()) != 1 || connected.GetParties()[0].GetNumber() != "2002" ||
		connected.GetDirection() != callcontrolv1.Direction_DIRECTION_OUTGOING {
		t.Fatalf("caller's call = %v", connected)
	}
	mine.PlayTone(1000)
	if err := theirs.WaitTone(ctx, 1000); err != nil {
		t.Fatal("no audio between the MakeCall parties")
	}
	if _, err := c.Calls.SendDigits(ctx, &callcontrolv1.SendDigitsRequest{CallId: connected.GetId(), Digits: "7"}); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-theirs.Digits():
		if d != '7' {
			t.Fatalf("bob got %c", d)
		}
	case <-ctx.Done():
		t.Fatal("SendDigits did not reach the other phone")
	}
	if _, err := c.Calls.Hold(ctx, &callcontrolv1.HoldRequest{CallId: connected.GetId()}); err != nil {
		t.Fatal(err)
	}
	held := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_ON_HOLD)
	if err := theirs.WaitTone(ctx, 440); err != nil {
		t.Fatal("the held party hears no music on hold")
	}
	_, err = c.Calls.SendDigits(ctx, &callcontrolv1.SendDigitsRequest{CallId: held.GetId(), Digits: "1"})
	wantCode(t, err, connect.CodeFailedPrecondition, "ON_HOLD")
	if _, err := c.Calls.Retrieve(ctx, &callcontrolv1.RetrieveRequest{CallId: held.GetId(), ExpectedVersion: held.GetVersion()}); err != nil {
		t.Fatal(err)
	}
	connected = w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	if err := theirs.WaitTone(ctx, 1000); err != nil {
		t.Fatal("no audio after retrieve")
	}
	_, err = c.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: connected.GetId(), ExpectedVersion: connected.GetVersion() + 7})
	wantCode(t, err, connect.CodeAborted)
	if _, err := c.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: connected.GetId()}); err != nil {
		t.Fatal(err)
	}
	ended := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	if ended.GetDisconnectReason() != callcontrolv1.DisconnectReason_DISCONNECT_REASON_NORMAL || len(ended.GetAllowedActions()) != 0 {
		t.Fatalf("dropped call = %v", ended)
	}
	<-theirs.Ended()
	_, err = c.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: connected.GetId()})
	wantCode(t, err, connect.CodeFailedPrecondition, "DISCONNECTED")
	checkResume(ctx, t, c, w.seen)
}

// checkResume reconnects from the middle of what a watcher saw and must
// get the rest, in order, without duplicates.
func checkResume(ctx context.Context, t *testing.T, c apptest.Clients, seen []*callcontrolv1.Event) {
	t.Helper()
	for i := 1; i < len(seen); i++ {
		if seen[i].GetSequence() != seen[i-1].GetSequence()+1 {
			t.Fatalf("sequence jumps from %d to %d", seen[i-1].GetSequence(), seen[i].GetSequence())
		}
	}
	mid := seen[len(seen)/2]
	w := watch(ctx, t, c, mid.GetSequence())
	for _, want := range seen[len(seen)/2+1:] {
		res, err := w.stream.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if res.GetEvent().GetSequence() != want.GetSequence() {
			t.Fatalf("resumed stream gave %d, want %d", res.GetEvent().GetSequence(), want.GetSequence())
		}
	}
}

func TestMakeCallErrors(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "grpc")
	registerAt(ctx, t, srv.SIPAddr, "alice")
	cases := []struct {
		name string
		req  *callcontrolv1.MakeCallRequest
		code connect.Code
		frag string
	}{
		{"bad line", &callcontrolv1.MakeCallRequest{Line: "20x1", Destination: "2002"}, connect.CodeInvalidArgument, "line"},
		{"unknown line", &callcontrolv1.MakeCallRequest{Line: "2999", Destination: "2002"}, connect.CodeNotFound, "line"},
		{"no phone", &callcontrolv1.MakeCallRequest{Line: "2002", Destination: "2001"}, connect.CodeFailedPrecondition, "registered"},
		{"unreachable", &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "4711"}, connect.CodeInvalidArgument, "destination"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Calls.MakeCall(ctx, tc.req)
			wantCode(t, err, tc.code, tc.frag)
		})
	}
	_, err := c.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: "nope"})
	wantCode(t, err, connect.CodeNotFound)
	reader, err := c.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "wallboard", Scope: authv1.Scope_SCOPE_READ})
	if err != nil {
		t.Fatal(err)
	}
	rc := srv.Clients("connect", reader.GetSecret())
	_, err = rc.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002"})
	wantCode(t, err, connect.CodePermissionDenied)
	if _, err := rc.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{}); err != nil {
		t.Fatal(err)
	}
}

// TestPhoneCallSeenPerLine follows a call placed from a phone: the
// caller's line goes PROCEEDING/RINGBACK → CONNECTED, the callee's
// OFFERING → CONNECTED, and a busy callee disconnects the caller's line
// with reason BUSY.
func TestPhoneCallSeenPerLine(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "connect")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	w := watch(ctx, t, c, 0, "2001", "2002")
	call, err := alice.Dial(ctx, "2002")
	if err != nil {
		t.Fatal(err)
	}
	<-bob.Incoming
	w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	got := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	list, err := c.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{"2001"}})
	if err != nil || len(list.GetCalls()) != 1 || list.GetCalls()[0].GetId() != got.GetId() {
		t.Fatalf("ListCalls = %v, %v", list, err)
	}
	_ = call.Hangup(ctx)
	w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	if _, err := bob.Register(ctx, 0); err != nil { // bob's desk phone goes away
		t.Fatal(err)
	}
	registerBusy(ctx, t, srv.SIPAddr)
	if _, err := alice.Dial(ctx, "2002"); err == nil {
		t.Fatal("call to a busy phone connected")
	}
	ended := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	for ended.GetId() == got.GetId() { // the first call's end
		ended = w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	}
	if ended.GetDisconnectReason() != callcontrolv1.DisconnectReason_DISCONNECT_REASON_BUSY {
		t.Fatalf("busy call ended with %v", ended.GetDisconnectReason())
	}
}

// registerBusy registers bob's device on a phone that answers 486.
func registerBusy(ctx context.Context, t *testing.T, sipAddr string) *phonetest.Phone {
	t.Helper()
	p := phonetest.New(t, phonetest.Config{Username: "bob", Password: "secret-bob", Server: sipAddr, Mode: phonetest.Busy})
	if res, err := p.Register(ctx, 300); err != nil || res.StatusCode != 200 {
		t.Fatalf("register busy bob: %v %v", res, err)
	}
	return p
}

func wantCode(t *testing.T, err error, code connect.Code, frags ...string) {
	t.Helper()
	if connect.CodeOf(err) != code {
		t.Fatalf("got %v, want %v", err, code)
	}
	var cerr *connect.Error
	if errors.As(err, &cerr) {
		for _, f := range frags {
			if !strings.Contains(cerr.Message(), f) {
				t.Errorf("%q does not mention %q", cerr.Message(), f)
			}
		}
	}
}

// TestBlindTransferFromAPI: 2001 calls 2002 (MakeCall), then transfers
// 2002 to 2003. 2001's call ends TRANSFERRED; 2002's call is now with
// 2003 and they hear each other.
func TestBlindTransferFromAPI(t *testing.T) {
	t.Parallel()
	c, ctx, w, _, atBob, carol := threeParties(t)
	connected := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	if _, err := c.Calls.BlindTransfer(ctx, &callcontrolv1.BlindTransferRequest{CallId: connected.GetId(), Destination: "2003"}); err != nil {
		t.Fatal(err)
	}
	gone := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	if gone.GetDisconnectReason() != callcontrolv1.DisconnectReason_DISCONNECT_REASON_TRANSFERRED {
		t.Fatalf("transferring line ended with %v", gone.GetDisconnectReason())
	}
	atCarol := <-carol.Incoming
	w.until(t, "2003", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	atBob.PlayTone(1000)
	if err := atCarol.WaitTone(ctx, 1000); err != nil {
		t.Fatal("2003 does not hear the transferred party")
	}
}

// addUser creates one more user (apptest.AddUser).
func addUser(ctx context.Context, t *testing.T, c apptest.Clients, ext, name, device string) {
	t.Helper()
	apptest.AddUser(ctx, t, c, ext, name, device)
}

// TestPickupAndRedirectFromAPI: a call from 2001 rings 2002 (who does not
// answer); 2003 picks it up. A second call is redirected from 2002 to 2003.
func TestPickupAndRedirectFromAPI(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "connect")
	addUser(ctx, t, c, "2003", "Carol", "carol")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := phonetest.New(t, phonetest.Config{Username: "bob", Password: "secret-bob", Server: srv.SIPAddr, Mode: phonetest.RingForever})
	carol := registerAt(ctx, t, srv.SIPAddr, "carol")
	w := watch(ctx, t, c, 0)
	done2002 := map[string]bool{}
	for _, op := range []string{"pickup", "redirect"} {
		if res, err := bob.Register(ctx, 300); err != nil || res.StatusCode != 200 {
			t.Fatalf("register bob: %v %v", res, err)
		}
		done := make(chan error, 1)
		go func() {
			call, err := alice.Dial(ctx, "2002")
			if err == nil {
				<-call.Ended()
			}
			done <- err
		}()
		<-bob.Incoming
		offered := w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_OFFERING)
		for done2002[offered.GetId()] { // a later snapshot of the previous round's call
			offered = w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_OFFERING)
		}
		done2002[offered.GetId()] = true
		var err error
		if op == "pickup" {
			_, err = c.Calls.Pickup(ctx, &callcontrolv1.PickupRequest{Line: "2003", CallId: offered.GetId()})
		} else {
			_, err = c.Calls.Redirect(ctx, &callcontrolv1.RedirectRequest{CallId: offered.GetId(), Destination: "2003"})
		}
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		atCarol := <-carol.Incoming
		w.until(t, "2003", callcontrolv1.CallState_CALL_STATE_CONNECTED)
		gone := w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
		if gone.GetDisconnectReason() != callcontrolv1.DisconnectReason_DISCONNECT_REASON_REJECTED {
			t.Errorf("%s: 2002's call ended with %v", op, gone.GetDisconnectReason())
		}
		_ = atCarol.Hangup(ctx)
		if err := <-done; err != nil {
			t.Fatalf("%s: caller: %v", op, err)
		}
	}
}

// TestParkFromAPI: 2001 parks its call with 2002; 2001's call ends
// PARKED; Unpark to 2003 rings 2003, who then talks to 2002.
func TestParkFromAPI(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "grpc")
	addUser(ctx, t, c, "2003", "Carol", "carol")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	carol := registerAt(ctx, t, srv.SIPAddr, "carol")
	w := watch(ctx, t, c, 0)
	if _, err := alice.Dial(ctx, "2002"); err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	connected := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	res, err := c.Calls.Park(ctx, &callcontrolv1.ParkRequest{CallId: connected.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	gone := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	if gone.GetDisconnectReason() != callcontrolv1.DisconnectReason_DISCONNECT_REASON_PARKED {
		t.Fatalf("parking line ended with %v", gone.GetDisconnectReason())
	}
	if err := atBob.WaitTone(ctx, 440); err != nil {
		t.Fatal("the parked party hears no music")
	}
	if _, err := c.Calls.Unpark(ctx, &callcontrolv1.UnparkRequest{Line: "2003", Orbit: res.GetOrbit()}); err != nil {
		t.Fatal(err)
	}
	atCarol := <-carol.Incoming
	atBob.PlayTone(400)
	if err := atCarol.WaitTone(ctx, 400); err != nil {
		t.Fatal("2003 does not hear the unparked party")
	}
	_, err = c.Calls.Unpark(ctx, &callcontrolv1.UnparkRequest{Line: "2003", Orbit: res.GetOrbit()})
	wantCode(t, err, connect.CodeNotFound, "orbit")
}

// TestUserScopedToken: a token for 2001 controls and sees 2001's calls
// only, and nothing of the configuration.
func TestUserScopedToken(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{Switch: true})
	admin := srv.Clients("connect", srv.AdminToken)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	createUsers(ctx, t, admin)
	users, err := admin.Config.ListUsers(ctx, &configv1.ListUsersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var aliceID string
	for _, u := range users.GetUsers() {
		if u.GetExtension() == "2001" {
			aliceID = u.GetId()
		}
	}
	_, err = admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "x", Scope: authv1.Scope_SCOPE_USER})
	wantCode(t, err, connect.CodeInvalidArgument, "user_id")
	_, err = admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "y", Scope: authv1.Scope_SCOPE_USER,
		UserId: "01900000-0000-7000-8000-000000000000"})
	wantCode(t, err, connect.CodeNotFound, "user_id")
	tok, err := admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "alice-crm", Scope: authv1.Scope_SCOPE_USER, UserId: aliceID})
	if err != nil {
		t.Fatal(err)
	}
	mine := srv.Clients("connect", tok.GetSecret())
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	_, err = mine.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2002", Destination: "2001"})
	wantCode(t, err, connect.CodePermissionDenied, "2001")
	_, err = mine.Calls.WatchEvents(ctx, &callcontrolv1.WatchEventsRequest{Lines: []string{"2002"}})
	if err == nil {
		s, _ := mine.Calls.WatchEvents(ctx, &callcontrolv1.WatchEventsRequest{Lines: []string{"2002"}})
		_, err = s.Receive()
	}
	wantCode(t, err, connect.CodePermissionDenied)
	_, err = mine.Config.ListUsers(ctx, &configv1.ListUsersRequest{})
	wantCode(t, err, connect.CodePermissionDenied)
	w := watch(ctx, t, mine, 0)
	if _, err := mine.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002"}); err != nil {
		t.Fatal(err)
	}
	<-alice.Incoming
	<-bob.Incoming
	connected := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	for _, ev := range w.seen {
		if ev.GetLine() != "2001" {
			t.Fatalf("a user token saw an event of line %s", ev.GetLine())
		}
	}
	theirs := strings.TrimSuffix(connected.GetId(), "2001") + "2002"
	_, err = mine.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: theirs})
	wantCode(t, err, connect.CodePermissionDenied)
	if _, err := mine.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: connected.GetId()}); err != nil {
		t.Fatal(err)
	}
}

// callEnv starts a server with its switch, and creates Alice (2001) and
// Bob (2002); the context ends with the test (60 s at most).
func callEnv(t *testing.T, protocol string) (*apptest.Server, apptest.Clients, context.Context) {
	t.Helper()
	srv := apptest.Start(t, apptest.Options{Switch: true})
	c := srv.Clients(protocol, srv.AdminToken)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	createUsers(ctx, t, c)
	return srv, c, ctx
}
