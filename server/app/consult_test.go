package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// threeParties starts a server with 2001, 2002 and 2003 registered and a
// call from 2001 to 2002 connected; it returns the admin clients, the
// watcher of every line, both ends of the call and 2003's phone.
func threeParties(t *testing.T) (apptest.Clients, context.Context, *watcher, *phonetest.Call, *phonetest.Call, *phonetest.Phone) {
	t.Helper()
	_, c, ctx, w, atAlice, atBob, carol := threePartiesAt(t)
	return c, ctx, w, atAlice, atBob, carol
}

// threePartiesAt is threeParties that also returns the server.
func threePartiesAt(t *testing.T) (*apptest.Server, apptest.Clients, context.Context, *watcher, *phonetest.Call, *phonetest.Call, *phonetest.Phone) {
	t.Helper()
	srv, c, ctx := callEnv(t, "connect")
	addUser(ctx, t, c, "2003", "Carol", "carol")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	bob := registerAt(ctx, t, srv.SIPAddr, "bob")
	carol := registerAt(ctx, t, srv.SIPAddr, "carol")
	w := watch(ctx, t, c, 0)
	if _, err := c.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002"}); err != nil {
		t.Fatal(err)
	}
	return srv, c, ctx, w, <-alice.Incoming, <-bob.Incoming, carol
}

// TestConsultThenTransfer: 2001 talks to 2002, consults 2003 (2002 hears
// music meanwhile), then completes the transfer: 2002 and 2003 talk and
// 2001 is disconnected with reason TRANSFERRED.
func TestConsultThenTransfer(t *testing.T) {
	t.Parallel()
	c, ctx, w, atAlice, atBob, carol := threeParties(t)
	first := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)

	_, err := c.Calls.CompleteTransfer(ctx, &callcontrolv1.CompleteTransferRequest{CallId: first.GetId()})
	wantCode(t, err, connect.CodeFailedPrecondition, "CONNECTED")

	res, err := c.Calls.ConsultTransfer(ctx, &callcontrolv1.ConsultTransferRequest{CallId: first.GetId(), Destination: "2003"})
	if err != nil {
		t.Fatal(err)
	}
	consult := res.GetCall()
	if consult.GetId() == first.GetId() || consult.GetLine() != "2001" {
		t.Fatalf("consultation call %q on line %q; want a new call on 2001", consult.GetId(), consult.GetLine())
	}
	held := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_ON_HOLD_PENDING_TRANSFER)
	if held.GetId() != first.GetId() || held.GetRelatedCallId() != consult.GetId() {
		t.Fatalf("held call %s related %q; want %s related %s", held.GetId(), held.GetRelatedCallId(), first.GetId(), consult.GetId())
	}
	atCarol := <-carol.Incoming
	w.until(t, "2003", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	// 2001 and 2003 talk over 2001's one phone call.
	atAlice.PlayTone(700)
	if err := atCarol.WaitTone(ctx, 700); err != nil {
		t.Fatal("2003 does not hear the consulting 2001")
	}
	atCarol.PlayTone(1300)
	if err := atAlice.WaitTone(ctx, 1300); err != nil {
		t.Fatal("2001 does not hear 2003 in the consultation")
	}
	atAlice.StopSending()
	atCarol.StopSending()

	if _, err := c.Calls.CompleteTransfer(ctx, &callcontrolv1.CompleteTransferRequest{CallId: consult.GetId(),
		Mode: callcontrolv1.CompleteMode_COMPLETE_MODE_TRANSFER}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-atAlice.Ended():
	case <-ctx.Done():
		t.Fatal("2001's phone was not hung up after the transfer")
	}
	gone := w.untilID(t, first.GetId(), callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	if gone.GetDisconnectReason() != callcontrolv1.DisconnectReason_DISCONNECT_REASON_TRANSFERRED {
		t.Fatalf("2001's call ended with %v, want TRANSFERRED", gone.GetDisconnectReason())
	}
	w.untilID(t, consult.GetId(), callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	atBob.PlayTone(1000)
	if err := atCarol.WaitTone(ctx, 1000); err != nil {
		t.Fatal("2003 does not hear 2002 after the transfer")
	}
	atCarol.PlayTone(1500)
	if err := atBob.WaitTone(ctx, 1500); err != nil {
		t.Fatal("2002 does not hear 2003 after the transfer")
	}
	calls, err := c.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]callcontrolv1.CallState{}
	for _, cl := range calls.GetCalls() {
		lines[cl.GetLine()] = cl.GetState()
	}
	if lines["2002"] != callcontrolv1.CallState_CALL_STATE_CONNECTED || lines["2003"] != callcontrolv1.CallState_CALL_STATE_CONNECTED || len(lines) != 2 {
		t.Fatalf("calls after the transfer: %v; want 2002 and 2003 CONNECTED only", lines)
	}
}

// TestConsultThenConference: 2001 talks to 2002, consults 2003 and
// completes as a conference: each of the three hears the other two and
// not itself; when 2002 leaves, 2001 and 2003 still hear each other.
func TestConsultThenConference(t *testing.T) {
	t.Parallel()
	c, ctx, w, atAlice, atBob, carol := threeParties(t)
	first := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	res, err := c.Calls.ConsultTransfer(ctx, &callcontrolv1.ConsultTransferRequest{CallId: first.GetId(), Destination: "2003"})
	if err != nil {
		t.Fatal(err)
	}
	atCarol := <-carol.Incoming
	w.untilID(t, res.GetCall().GetId(), callcontrolv1.CallState_CALL_STATE_CONNECTED)
	done, err := c.Calls.CompleteTransfer(ctx, &callcontrolv1.CompleteTransferRequest{CallId: first.GetId(),
		Mode: callcontrolv1.CompleteMode_COMPLETE_MODE_CONFERENCE})
	if err != nil {
		t.Fatal(err)
	}
	if done.GetCall().GetId() != first.GetId() {
		t.Fatalf("conference call %q, want the held call %q", done.GetCall().GetId(), first.GetId())
	}
	for _, line := range []string{"2001", "2002", "2003"} {
		w.until(t, line, callcontrolv1.CallState_CALL_STATE_CONFERENCED)
	}
	tones := map[string]float64{"2001": 500, "2002": 1000, "2003": 1500}
	phones := map[string]interface {
		PlayTone(float64)
		WaitToneAmong(context.Context, float64) error
		HearsAmong(float64) bool
	}{"2001": atAlice, "2002": atBob, "2003": atCarol}
	for line, p := range phones {
		p.PlayTone(tones[line])
	}
	for line, p := range phones {
		for other, f := range tones {
			if other == line {
				continue
			}
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := p.WaitToneAmong(wctx, f); err != nil {
				t.Errorf("%s does not hear %s in the conference", line, other)
			}
			cancel()
		}
		if p.HearsAmong(tones[line]) {
			t.Errorf("%s hears itself in the conference", line)
		}
	}
	calls, err := c.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{"2002"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Calls.Drop(ctx, &callcontrolv1.DropRequest{CallId: calls.GetCalls()[0].GetId()}); err != nil {
		t.Fatal(err)
	}
	<-atBob.Ended()
	w.until(t, "2002", callcontrolv1.CallState_CALL_STATE_DISCONNECTED)
	if err := atAlice.WaitSilenceOf(ctx, 1000); err != nil {
		t.Fatal("2001 still hears 2002 after it left")
	}
	if err := atAlice.WaitTone(ctx, 1500); err != nil {
		t.Fatal("2001 no longer hears 2003 after 2002 left")
	}
	if err := atCarol.WaitTone(ctx, 500); err != nil {
		t.Fatal("2003 no longer hears 2001 after 2002 left")
	}
}

// TestIdempotentCommands: a command retried with the same idempotency key
// returns the first outcome and does not act again; another key acts (and
// here fails, naming the state).
func TestIdempotentCommands(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "connect")
	registerAt(ctx, t, srv.SIPAddr, "alice")
	registerAt(ctx, t, srv.SIPAddr, "bob")
	w := watch(ctx, t, c, 0)
	if _, err := c.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "2001", Destination: "2002"}); err != nil {
		t.Fatal(err)
	}
	call := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	for range 3 {
		if _, err := c.Calls.Hold(ctx, &callcontrolv1.HoldRequest{CallId: call.GetId(), IdempotencyKey: "hold-1"}); err != nil {
			t.Fatalf("a retried Hold: %v", err)
		}
	}
	held := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_ON_HOLD)
	_, err := c.Calls.Hold(ctx, &callcontrolv1.HoldRequest{CallId: call.GetId(), IdempotencyKey: "hold-2"})
	wantCode(t, err, connect.CodeFailedPrecondition, "ON_HOLD")
	now, err := c.Calls.GetCall(ctx, &callcontrolv1.GetCallRequest{CallId: call.GetId()})
	if err != nil || now.GetCall().GetVersion() != held.GetVersion() {
		t.Fatalf("the call changed after one hold: version %d, want %d (%v)", now.GetCall().GetVersion(), held.GetVersion(), err)
	}
}

// TestRegistrationEvents: a line's event stream tells when its phone
// registers and when it goes away, not every refresh.
func TestRegistrationEvents(t *testing.T) {
	t.Parallel()
	srv, c, ctx := callEnv(t, "connect")
	w := watch(ctx, t, c, 0, "2001")
	alice := registerAt(ctx, t, srv.SIPAddr, "alice")
	if _, err := alice.Register(ctx, 300); err != nil { // a refresh
		t.Fatal(err)
	}
	if _, err := alice.Register(ctx, 0); err != nil {
		t.Fatal(err)
	}
	var seen []bool
	for len(seen) < 2 {
		res, err := w.stream.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if r := res.GetEvent().GetRegistration(); r != nil {
			if r.GetSipUsername() != "alice" || res.GetEvent().GetLine() != "2001" {
				t.Fatalf("registration event %v on line %s", r, res.GetEvent().GetLine())
			}
			seen = append(seen, r.GetRegistered())
		}
	}
	if !seen[0] || seen[1] {
		t.Fatalf("registration events %v, want registered then gone", seen)
	}
}

// TestWatchAheadOfServer: a client resuming after a sequence the server
// never reached (it restarted) gets OUT_OF_RANGE, so it re-lists instead
// of silently missing the new events.
func TestWatchAheadOfServer(t *testing.T) {
	t.Parallel()
	_, c, ctx := callEnv(t, "connect")
	s, err := c.Calls.WatchEvents(ctx, &callcontrolv1.WatchEventsRequest{AfterSequence: 1_000_000})
	if err == nil {
		_, err = s.Receive()
	}
	wantCode(t, err, connect.CodeOutOfRange, "restarted")
}

// conference is a three-party conference from threePartiesAt: 2001 talked
// to 2002, consulted 2003 and completed as a conference.
type conference struct {
	srv                     *apptest.Server
	c                       apptest.Clients
	ctx                     context.Context
	w                       *watcher
	atAlice, atBob, atCarol *phonetest.Call
	call                    *callcontrolv1.Call // 2001's conference call
}

func threePartyConference(t *testing.T) *conference {
	t.Helper()
	srv, c, ctx, w, atAlice, atBob, carol := threePartiesAt(t)
	first := w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONNECTED)
	res, err := c.Calls.ConsultTransfer(ctx, &callcontrolv1.ConsultTransferRequest{CallId: first.GetId(), Destination: "2003"})
	if err != nil {
		t.Fatal(err)
	}
	atCarol := <-carol.Incoming
	w.untilID(t, res.GetCall().GetId(), callcontrolv1.CallState_CALL_STATE_CONNECTED)
	if _, err := c.Calls.CompleteTransfer(ctx, &callcontrolv1.CompleteTransferRequest{CallId: first.GetId(),
		Mode: callcontrolv1.CompleteMode_COMPLETE_MODE_CONFERENCE}); err != nil {
		t.Fatal(err)
	}
	return &conference{srv: srv, c: c, ctx: ctx, w: w, atAlice: atAlice, atBob: atBob, atCarol: atCarol,
		call: w.until(t, "2001", callcontrolv1.CallState_CALL_STATE_CONFERENCED)}
}

// consult has 2001 consult a new user ext (name, device name) from the
// conference and waits until that call is connected; it returns the
// consultation call and the new party's end of it.
func (cf *conference) consult(t *testing.T, ext, name string) (*callcontrolv1.Call, *phonetest.Call) {
	t.Helper()
	addUser(cf.ctx, t, cf.c, ext, name, name)
	phone := registerAt(cf.ctx, t, cf.srv.SIPAddr, name)
	res, err := cf.c.Calls.ConsultTransfer(cf.ctx, &callcontrolv1.ConsultTransferRequest{CallId: cf.call.GetId(), Destination: ext})
	if err != nil {
		t.Fatal(err)
	}
	at := <-phone.Incoming
	cf.w.untilID(t, cf.call.GetId(), callcontrolv1.CallState_CALL_STATE_ON_HOLD_PENDING_CONFERENCE)
	return cf.w.untilID(t, res.GetCall().GetId(), callcontrolv1.CallState_CALL_STATE_CONNECTED), at
}

// allHear has each phone play its line's tone and checks that it hears
// every other line's.
func allHear(ctx context.Context, t *testing.T, phones map[string]*phonetest.Call, tones map[string]float64, when string) {
	t.Helper()
	for line, p := range phones {
		p.PlayTone(tones[line])
	}
	for line, p := range phones {
		for other, f := range tones {
			if other == line {
				continue
			}
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := p.WaitToneAmong(wctx, f); err != nil {
				t.Errorf("%s does not hear %s %s", line, other, when)
			}
			cancel()
		}
	}
}

// TestConferenceGrows: a member of a three-party conference consults a
// fourth party (the other two go on talking meanwhile) and completes as a
// conference: all four hear each other.
func TestConferenceGrows(t *testing.T) {
	t.Parallel()
	cf := threePartyConference(t)
	second, atDave := cf.consult(t, "2004", "dave")
	cf.atBob.PlayTone(1000)
	if err := cf.atCarol.WaitToneAmong(cf.ctx, 1000); err != nil {
		t.Fatal("the conference stopped while one member consulted")
	}
	if _, err := cf.c.Calls.CompleteTransfer(cf.ctx, &callcontrolv1.CompleteTransferRequest{CallId: second.GetId(),
		Mode: callcontrolv1.CompleteMode_COMPLETE_MODE_CONFERENCE}); err != nil {
		t.Fatal(err)
	}
	cf.w.until(t, "2004", callcontrolv1.CallState_CALL_STATE_CONFERENCED)
	allHear(cf.ctx, t, map[string]*phonetest.Call{"2001": cf.atAlice, "2002": cf.atBob, "2003": cf.atCarol, "2004": atDave},
		map[string]float64{"2001": 500, "2002": 1000, "2003": 1500, "2004": 2000}, "in the four-party conference")
}

// TestConferenceRejoinAfterDroppedConsultation: a member of a three-party
// conference consults a fourth party, and the consultation ends without
// being completed (the member drops it, or the consulted party hangs up);
// the member is back in the conference (CONFERENCED) and hears the other
// two again, and they hear the member.
func TestConferenceRejoinAfterDroppedConsultation(t *testing.T) {
	t.Parallel()
	for _, byConsulted := range []bool{false, true} {
		name := "member drops"
		if byConsulted {
			name = "consulted hangs up"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cf := threePartyConference(t)
			second, atDave := cf.consult(t, "2004", "dave")
			if byConsulted {
				if err := atDave.Hangup(cf.ctx); err != nil {
					t.Fatal(err)
				}
			} else if _, err := cf.c.Calls.Drop(cf.ctx, &callcontrolv1.DropRequest{CallId: second.GetId()}); err != nil {
				t.Fatal(err)
			}
			select {
			case <-atDave.Ended():
			case <-time.After(10 * time.Second):
				t.Fatal("the dropped consultation did not end at 2004")
			}
			cf.w.untilID(t, cf.call.GetId(), callcontrolv1.CallState_CALL_STATE_CONFERENCED)
			allHear(cf.ctx, t, map[string]*phonetest.Call{"2001": cf.atAlice, "2002": cf.atBob, "2003": cf.atCarol},
				map[string]float64{"2001": 500, "2002": 1000, "2003": 1500}, "after the consultation was dropped")
		})
	}
}

// TestConferenceFull grows a conference to six parties, one consultation
// at a time; completing a seventh as a conference fails with
// FAILED_PRECONDITION naming the limit, and the member who tried is back
// in the conference once that consultation is dropped.
func TestConferenceFull(t *testing.T) {
	t.Parallel()
	cf := threePartyConference(t)
	for i, name := range []string{"dave", "erin", "frank"} {
		ext := fmt.Sprintf("200%d", 4+i)
		second, _ := cf.consult(t, ext, name)
		if _, err := cf.c.Calls.CompleteTransfer(cf.ctx, &callcontrolv1.CompleteTransferRequest{CallId: second.GetId(),
			Mode: callcontrolv1.CompleteMode_COMPLETE_MODE_CONFERENCE}); err != nil {
			t.Fatalf("adding %s as the %dth party: %v", ext, 4+i, err)
		}
		cf.w.until(t, ext, callcontrolv1.CallState_CALL_STATE_CONFERENCED)
		cf.w.untilID(t, cf.call.GetId(), callcontrolv1.CallState_CALL_STATE_CONFERENCED)
	}

	seventh, _ := cf.consult(t, "2007", "grace")
	_, err := cf.c.Calls.CompleteTransfer(cf.ctx, &callcontrolv1.CompleteTransferRequest{CallId: seventh.GetId(),
		Mode: callcontrolv1.CompleteMode_COMPLETE_MODE_CONFERENCE})
	if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "maximum of parties") {
		t.Fatalf("completing a seventh party as a conference: %v, want FAILED_PRECONDITION naming the limit", err)
	}
	if _, err := cf.c.Calls.Drop(cf.ctx, &callcontrolv1.DropRequest{CallId: seventh.GetId()}); err != nil {
		t.Fatal(err)
	}
	cf.w.untilID(t, cf.call.GetId(), callcontrolv1.CallState_CALL_STATE_CONFERENCED)
	cf.atBob.PlayTone(1000)
	if err := cf.atAlice.WaitToneAmong(cf.ctx, 1000); err != nil {
		t.Fatal("2001 does not hear 2002 after the seventh party was refused")
	}
}
