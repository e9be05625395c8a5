package switchsvc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/media/sipua"
)

func TestRegister(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}})
	good := phonetest.New(t, phonetest.Config{Username: "alice", Password: password, Server: sw.Addr})
	res, err := good.Register(ctxT(t), 300)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("good password: %v %v", res, err)
	}
	if regs := sw.UA().Registrations(); len(regs) != 1 || regs[0].Username != "alice" {
		t.Fatalf("registrations = %+v", regs)
	}
	bad := phonetest.New(t, phonetest.Config{Username: "alice", Password: "wrong", Server: sw.Addr})
	res, err = bad.Register(ctxT(t), 300)
	if err != nil || res.StatusCode != 401 {
		t.Fatalf("bad password: got %v %v, want 401", res, err)
	}
	res, err = good.Register(ctxT(t), 0)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("unregister: %v %v", res, err)
	}
	if regs := sw.UA().Registrations(); len(regs) != 0 {
		t.Fatalf("after unregister: %+v", regs)
	}
}

func TestCallAudioBothWays(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	free := sw.Ports().Free()
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	call.PlayTone(1000)
	in.PlayTone(400)
	if err := in.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("bob does not hear alice's 1 kHz tone")
	}
	if err := call.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("alice does not hear bob's 400 Hz tone")
	}
	if len(sw.UA().Legs()) != 2 {
		t.Fatalf("legs = %+v", sw.UA().Legs())
	}
	if err := call.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-in.Ended()
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
	waitFor(t, "ports to return", func() bool { return sw.Ports().Free() == free })
}

func TestCallFailures(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	sw.phone(t, "bob", phonetest.Busy)
	cases := []struct {
		name   string
		number string
		code   int
	}{
		{"unknown number", "4711", 404},
		{"offline user", "1003", 480},
		{"busy", "1002", 486},
		{"external without trunk", "90301234", 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := alice.Dial(ctxT(t), tc.number)
			var se *phonetest.StatusError
			if !errors.As(err, &se) || se.Code != tc.code {
				t.Fatalf("Dial(%s) = %v, want SIP %d", tc.number, err, tc.code)
			}
		})
	}
}

func TestCancelWhileRinging(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.RingForever)
	ctx, cancel := context.WithCancel(ctxT(t))
	done := make(chan error, 1)
	go func() {
		_, err := alice.Dial(ctx, "1002")
		done <- err
	}()
	in := <-bob.Incoming
	waitFor(t, "both legs ringing", func() bool { return countState(sw, sipua.LegRinging) == 2 })
	cancel() // alice hangs up while bob's phone rings: CANCEL
	<-done
	select {
	case <-in.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("bob's phone kept ringing after the caller cancelled")
	}
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
}

func TestSecondDeviceAnswers(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob-desk", "bob-soft"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	desk := sw.phone(t, "bob-desk", phonetest.RingForever)
	soft := sw.phone(t, "bob-soft", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	ringing := <-desk.Incoming
	answered := <-soft.Incoming
	select {
	case <-ringing.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("the desk phone kept ringing after the soft phone answered")
	}
	call.PlayTone(1000)
	if err := answered.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("the answering device does not hear the caller")
	}
	if err := call.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-answered.Ended()
}

func TestHangupFromCallee(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	if err := in.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-call.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("caller got no BYE after the callee hung up")
	}
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
}

func TestHoldAndResume(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	if err := call.Hold(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if !in.Held() {
		t.Fatal("bob's phone was not told it is held (a=sendonly forwarded)")
	}
	if err := call.Resume(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if in.Held() {
		t.Fatal("bob's phone still held after resume")
	}
	call.PlayTone(1000)
	in.PlayTone(400)
	if err := in.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("no audio to bob after resume")
	}
	if err := call.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("no audio to alice after resume")
	}
}

func TestDTMF(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	call.PlayTone(0)
	in.PlayTone(0)
	for _, d := range "5#" {
		if err := call.SendInfoDTMF(ctxT(t), d); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-in.Digits():
			if got != d {
				t.Fatalf("bob got digit %c, want %c", got, d)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("digit %c sent as SIP INFO did not arrive as RFC 4733", d)
		}
	}
}

func TestMediaTimeout(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.MediaTimeout = 2 * time.Second
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	call.StopSending()
	in.StopSending()
	for _, c := range []*phonetest.Call{call, in} {
		select {
		case <-c.Ended():
		case <-time.After(15 * time.Second):
			t.Fatal("no BYE after the media timeout")
		}
	}
}

// TestCallerNeverAcks: the caller's ACKs for the switch's 200 OK are all
// lost. The switch retransmits the 200 and, once its transaction has
// lingered (sipua.TransactionLinger) without an ACK, ends the call with a
// BYE to the callee (RFC 3261 §13.3.1.4) instead of holding it until the
// media timeout.
func TestCallerNeverAcks(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.MediaTimeout = time.Minute // longer than the test: not what ends the call
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	code, err := alice.DialNoAck(ctxT(t), "1002")
	if err != nil || code != 200 {
		t.Fatalf("DialNoAck = %d, %v", code, err)
	}
	in := <-bob.Incoming
	select {
	case <-in.Ended():
	case <-time.After(sipua.TransactionLinger + 15*time.Second):
		t.Fatal("the callee got no BYE although the caller never acknowledged the answer")
	}
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
}

func countState(sw *testSwitch, s sipua.LegState) int {
	n := 0
	for _, l := range sw.UA().Legs() {
		if l.State == s {
			n++
		}
	}
	return n
}

func TestEarlyMedia(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := phonetest.New(t, phonetest.Config{Username: "bob", Password: password, Server: sw.Addr,
		Mode: phonetest.EarlyMedia, AnswerDelay: 3 * time.Second})
	if res, err := bob.Register(ctxT(t), 300); err != nil || res.StatusCode != 200 {
		t.Fatalf("register bob: %v %v", res, err)
	}
	answered := make(chan error, 1)
	go func() {
		call, err := alice.Dial(ctxT(t), "1002")
		if err == nil {
			_ = call.Hangup(ctxT(t))
		}
		answered <- err
	}()
	in := <-bob.Incoming
	in.PlayTone(400) // a ringback or announcement before answer
	early := <-alice.Early
	if err := early.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("caller does not hear the callee's early media")
	}
	select {
	case err := <-answered:
		t.Fatalf("call answered before the callee answered: %v", err)
	default:
	}
	if err := <-answered; err != nil {
		t.Fatal(err)
	}
}

func TestPortsReturnAfterManyCalls(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	free := sw.Ports().Free()
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	sw.phone(t, "bob", phonetest.AutoAnswer)
	sw.phone(t, "carol", phonetest.Busy)
	for i := range 30 {
		call, err := alice.Dial(ctxT(t), "1002")
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if err := call.Hangup(ctxT(t)); err != nil {
			t.Fatalf("hang-up %d: %v", i, err)
		}
		if _, err := alice.Dial(ctxT(t), "1003"); err == nil {
			t.Fatalf("call %d to a busy phone connected", i)
		}
	}
	waitFor(t, "every port back in the pool", func() bool { return sw.Ports().Free() == free })
	waitFor(t, "no legs left", func() bool { return len(sw.UA().Legs()) == 0 })
}

// TestTCPPhones has both phones talk to the switch over TCP: the switch
// reaches each through the connection it registered on.
func TestTCPPhones(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	var phones []*phonetest.Phone
	for _, name := range []string{"alice", "bob"} {
		p := phonetest.New(t, phonetest.Config{Username: name, Password: password, Server: sw.Addr, TCP: true,
			AnswerDelay: 50 * time.Millisecond})
		if res, err := p.Register(ctxT(t), 300); err != nil || res.StatusCode != 200 {
			t.Fatalf("register %s over TCP: %v %v", name, res, err)
		}
		phones = append(phones, p)
	}
	if regs := sw.UA().Registrations(); len(regs) != 2 || regs[0].Transport != "tcp" {
		t.Fatalf("registrations = %+v", regs)
	}
	call, err := phones[0].Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-phones[1].Incoming
	call.PlayTone(1000)
	if err := in.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("no audio over a TCP-signalled call")
	}
	if err := call.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-in.Ended()
}

// TestOriginate is third-party call control at the switch: alice's phone
// rings first; when she answers, bob's rings; then they talk.
func TestOriginate(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	res, err := client(sw).Originate(ctxT(t), &switchv1.OriginateRequest{UserId: "user-1001", Destination: "1002"})
	if err != nil {
		t.Fatal(err)
	}
	mine := <-alice.Incoming
	if mine.From != "1002" {
		t.Errorf("alice's phone shows %q, want the destination 1002", mine.From)
	}
	theirs := <-bob.Incoming
	if theirs.From != "1001" {
		t.Errorf("bob's phone shows %q, want alice's 1001", theirs.From)
	}
	mine.PlayTone(1000)
	theirs.PlayTone(400)
	if err := theirs.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("bob does not hear alice")
	}
	if err := mine.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("alice does not hear bob")
	}
	legs := sw.UA().Legs()
	if len(legs) != 2 || legs[0].CallID != res.GetCallId() {
		t.Fatalf("legs = %+v", legs)
	}
	var from string
	for _, l := range legs {
		if l.Calling {
			from = l.UserID
		}
	}
	if from != "user-1001" {
		t.Errorf("calling leg belongs to %q", from)
	}
	if _, err := client(sw).SendDigits(ctxT(t), &switchv1.SendDigitsRequest{LegId: callingLeg(legs).ID, Digits: "42"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range "42" {
		select {
		case d := <-theirs.Digits():
			if d != want {
				t.Fatalf("bob got %c, want %c", d, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("digits did not arrive")
		}
	}
	if err := mine.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-theirs.Ended()
}

func TestOriginateErrors(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	cl := client(sw)
	cases := []struct {
		name string
		req  *switchv1.OriginateRequest
		code connect.Code
	}{
		{"unknown user", &switchv1.OriginateRequest{UserId: "nobody", Destination: "1002"}, connect.CodeNotFound},
		{"not registered", &switchv1.OriginateRequest{UserId: "user-1001", Destination: "1002"}, connect.CodeFailedPrecondition},
		{"unroutable", &switchv1.OriginateRequest{UserId: "user-1001", Destination: "4711"}, connect.CodeInvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cl.Originate(ctxT(t), tc.req)
			if connect.CodeOf(err) != tc.code {
				t.Fatalf("got %v, want %v", err, tc.code)
			}
		})
	}
}

func callingLeg(legs []sipua.LegInfo) sipua.LegInfo {
	for _, l := range legs {
		if l.Calling {
			return l
		}
	}
	return sipua.LegInfo{}
}

// TestRegisterSHA256 enables RFC 8760 digest: the phone answers the
// SHA-256 challenge (the first one offered) and registers and calls.
func TestRegisterSHA256(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.DigestAlgs = []string{"SHA-256", "MD5"}
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}}, user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	_ = call.Hangup(ctxT(t))
}

// TestThirdPartyHold holds a call from alice's side through the switch:
// bob hears music on hold, alice no longer hears bob; after retrieve both
// hear each other again.
func TestThirdPartyHold(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	in := <-bob.Incoming
	call.PlayTone(1000)
	in.PlayTone(400)
	if err := call.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("no audio before hold")
	}
	aliceLeg := callingLeg(sw.UA().Legs()).ID
	cl := client(sw)
	if _, err := cl.HoldLeg(ctxT(t), &switchv1.HoldLegRequest{LegId: aliceLeg}); err != nil {
		t.Fatal(err)
	}
	if err := in.WaitTone(ctxT(t), 440); err != nil {
		t.Fatal("the held party hears no music on hold")
	}
	if err := call.WaitSilenceOf(ctxT(t), 400); err != nil {
		t.Fatal("the holding party still hears the held party")
	}
	_, err = cl.HoldLeg(ctxT(t), &switchv1.HoldLegRequest{LegId: aliceLeg})
	if connect.CodeOf(err) != connect.CodeFailedPrecondition {
		t.Fatalf("second hold: %v", err)
	}
	if _, err := cl.RetrieveLeg(ctxT(t), &switchv1.RetrieveLegRequest{LegId: aliceLeg}); err != nil {
		t.Fatal(err)
	}
	if err := in.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("bob does not hear alice after retrieve")
	}
	if err := call.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("alice does not hear bob after retrieve")
	}
}

// TestBlindTransfer: alice talks to bob, transfers him to carol; bob and
// carol talk, alice's phone gets a BYE.
func TestBlindTransfer(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	carol := sw.phone(t, "carol", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	if _, err := client(sw).TransferLeg(ctxT(t), &switchv1.TransferLegRequest{
		LegId: callingLeg(sw.UA().Legs()).ID, Destination: "1003"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-call.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("the transferring phone got no BYE")
	}
	atCarol := <-carol.Incoming
	if atCarol.From != "1002" {
		t.Errorf("carol sees the call from %q, want bob's 1002", atCarol.From)
	}
	atBob.PlayTone(1000)
	atCarol.PlayTone(400)
	if err := atCarol.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("carol does not hear bob")
	}
	if err := atBob.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("bob does not hear carol")
	}
	if err := atBob.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-atCarol.Ended()
	waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
}

// TestRedirectAndPickup deflects a ringing call to another phone, and
// picks up another ringing call from a third phone.
func TestRedirectAndPickup(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.RingForever)
	carol := sw.phone(t, "carol", phonetest.AutoAnswer)
	cl := client(sw)
	for _, op := range []string{"redirect", "pickup"} {
		t.Run(op, func(t *testing.T) {
			done := make(chan error, 1)
			var call *phonetest.Call
			go func() {
				var err error
				call, err = alice.Dial(ctxT(t), "1002")
				done <- err
			}()
			ringing := <-bob.Incoming
			waitFor(t, "bob's leg to ring", func() bool { return countState(sw, sipua.LegRinging) == 2 })
			bobLeg := ringingLeg(sw.UA().Legs(), "user-1002").ID
			var err error
			if op == "redirect" {
				_, err = cl.RedirectLeg(ctxT(t), &switchv1.RedirectLegRequest{LegId: bobLeg, Destination: "1003"})
			} else {
				_, err = cl.PickupLeg(ctxT(t), &switchv1.PickupLegRequest{LegId: bobLeg, UserId: "user-1003"})
			}
			if err != nil {
				t.Fatal(err)
			}
			<-ringing.Ended()
			atCarol := <-carol.Incoming
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			call.PlayTone(1000)
			if err := atCarol.WaitTone(ctxT(t), 1000); err != nil {
				t.Fatal("carol does not hear the caller")
			}
			_ = call.Hangup(ctxT(t))
			<-atCarol.Ended()
			waitFor(t, "legs to end", func() bool { return len(sw.UA().Legs()) == 0 })
		})
	}
	_, err := cl.RedirectLeg(ctxT(t), &switchv1.RedirectLegRequest{LegId: "gone", Destination: "1003"})
	if connect.CodeOf(err) != connect.CodeNotFound {
		t.Fatalf("redirect of an unknown leg: %v", err)
	}
}

func ringingLeg(legs []sipua.LegInfo, userID string) sipua.LegInfo {
	for _, l := range legs {
		if l.UserID == userID && l.State == sipua.LegRinging {
			return l
		}
	}
	return sipua.LegInfo{}
}

// TestParkAndUnpark: alice parks bob; bob hears music; carol dials the
// orbit and talks to bob. Carol parks him again and nobody takes him:
// after the park timeout carol's phone rings and she gets bob back.
func TestParkAndUnpark(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.ParkTimeout = 2 * time.Second
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	carol := sw.phone(t, "carol", phonetest.AutoAnswer)
	cl := client(sw)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	res, err := cl.ParkLeg(ctxT(t), &switchv1.ParkLegRequest{LegId: callingLeg(sw.UA().Legs()).ID})
	if err != nil {
		t.Fatal(err)
	}
	<-call.Ended()
	if err := atBob.WaitTone(ctxT(t), 440); err != nil {
		t.Fatal("the parked party hears no music")
	}
	fromCarol, err := carol.Dial(ctxT(t), res.GetOrbit())
	if err != nil {
		t.Fatalf("dialling orbit %s: %v", res.GetOrbit(), err)
	}
	atBob.PlayTone(400)
	if err := fromCarol.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("carol does not hear the unparked party")
	}
	res, err = cl.ParkLeg(ctxT(t), &switchv1.ParkLegRequest{LegId: callingLeg(sw.UA().Legs()).ID})
	if err != nil {
		t.Fatal(err)
	}
	<-fromCarol.Ended()
	recall := <-carol.Incoming // nobody took it: the parker's phone rings
	if err := recall.WaitTone(ctxT(t), 400); err != nil {
		t.Fatal("the recalled parker does not hear the parked party")
	}
	_, err = cl.UnparkCall(ctxT(t), &switchv1.UnparkCallRequest{Orbit: res.GetOrbit(), UserId: "user-1003"})
	if connect.CodeOf(err) != connect.CodeNotFound {
		t.Fatalf("unpark of an empty orbit: %v", err)
	}
}

// TestReferFromPhone: alice's phone transfers bob to carol with REFER;
// alice gets 202, a NOTIFY with 200, then BYE; bob and carol talk.
func TestReferFromPhone(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	carol := sw.phone(t, "carol", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	if code, err := call.Refer(ctxT(t), "4711"); err != nil || code != 404 {
		t.Fatalf("REFER to an unknown number: %d %v", code, err)
	}
	if code, err := call.Refer(ctxT(t), "1003"); err != nil || code != 202 {
		t.Fatalf("REFER: %d %v", code, err)
	}
	<-call.Ended()
	if n := call.Notified(); len(n) == 0 || !strings.Contains(n[len(n)-1], "200 OK") {
		t.Errorf("NOTIFY bodies %q, want a 200 OK sipfrag", n)
	}
	atCarol := <-carol.Incoming
	atBob.PlayTone(1000)
	if err := atCarol.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("carol does not hear bob after the phone's transfer")
	}
}

// TestAttendedReferFromPhone: alice talks to bob, holds him, calls carol,
// then presses transfer (REFER with Replaces naming the call to carol):
// bob and carol talk, and both of alice's calls end.
func TestAttendedReferFromPhone(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	carol := sw.phone(t, "carol", phonetest.AutoAnswer)
	toBob, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	if err := toBob.Hold(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "bob held", atBob.Held)
	toCarol, err := alice.Dial(ctxT(t), "1003")
	if err != nil {
		t.Fatal(err)
	}
	atCarol := <-carol.Incoming
	if code, err := toBob.ReferReplaces(ctxT(t), toCarol); err != nil || code != 202 {
		t.Fatalf("REFER with Replaces: %d %v", code, err)
	}
	for _, c := range []*phonetest.Call{toBob, toCarol} {
		select {
		case <-c.Ended():
		case <-time.After(10 * time.Second):
			t.Fatal("one of alice's calls stayed up after the transfer")
		}
	}
	waitFor(t, "bob off hold", func() bool { return !atBob.Held() })
	atBob.PlayTone(1000)
	if err := atCarol.WaitTone(ctxT(t), 1000); err != nil {
		t.Fatal("carol does not hear bob after the attended transfer")
	}
	atCarol.PlayTone(1500)
	if err := atBob.WaitTone(ctxT(t), 1500); err != nil {
		t.Fatal("bob does not hear carol after the attended transfer")
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(sw.UA().Legs()) != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if legs := sw.UA().Legs(); len(legs) != 2 {
		t.Fatalf("legs after the transfer: %+v", legs)
	}

	for _, l := range sw.UA().Legs() {
		if l.CallID != sw.UA().Legs()[0].CallID {
			t.Fatal("bob and carol are not in one call")
		}
	}
}
