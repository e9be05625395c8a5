package switchsvc_test

import (
	"testing"
	"time"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/media/sipua"
	"github.com/switchboard-pbx/switchboard/media/switchsvc"
)

// consulting has alice (1001) call bob (1002) and consult carol (1003)
// through the switch; it returns the three phones' calls and alice's leg
// in the call with bob.
func consulting(t *testing.T) (*testSwitch, *phonetest.Call, *phonetest.Call, *phonetest.Call) {
	t.Helper()
	return consultingWith(t, switchsvcConfig())
}

// consultingWith is consulting on a switch configured with cfg.
func consultingWith(t *testing.T, cfg switchsvc.Config) (*testSwitch, *phonetest.Call, *phonetest.Call, *phonetest.Call) {
	t.Helper()
	sw := startSwitch(t, cfg, user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}}, user{Ext: "1003", Devices: []string{"carol"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	carol := sw.phone(t, "carol", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatal(err)
	}
	atBob := <-bob.Incoming
	var aliceLeg string
	for _, l := range sw.UA().Legs() {
		if l.UserID == "user-1001" {
			aliceLeg = l.ID
		}
	}
	if _, err := sw.ConsultLeg(ctxT(t), &switchv1.ConsultLegRequest{LegId: aliceLeg, Destination: "1003"}); err != nil {
		t.Fatal(err)
	}
	atCarol := <-carol.Incoming
	waitFor(t, "carol answered", func() bool { return countState(sw, sipua.LegAnswered) == 4 })
	return sw, call, atBob, atCarol
}

// TestConsultHeldPartyHangsUp: while alice consults carol, bob (on hold)
// hangs up; alice and carol go on talking over alice's one phone call.
func TestConsultHeldPartyHangsUp(t *testing.T) {
	t.Parallel()
	sw, alice, bob, carol := consulting(t)
	if err := bob.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	select {
	case <-alice.Ended():
		t.Fatal("alice's phone was hung up with the held call")
	default:
	}
	alice.PlayTone(700)
	if err := carol.WaitTone(ctxT(t), 700); err != nil {
		t.Fatal("carol no longer hears alice")
	}
	if err := alice.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-carol.Ended()
	waitFor(t, "no legs left", func() bool { return len(sw.UA().Legs()) == 0 })
	waitFor(t, "every port back", func() bool { return sw.Ports().Free() == sw.Ports().Size() })
}

// TestConsultingPhoneHangsUp: alice hangs up while consulting: both of her
// calls end, with bob and carol hung up.
func TestConsultingPhoneHangsUp(t *testing.T) {
	t.Parallel()
	sw, alice, bob, carol := consulting(t)
	if err := alice.Hangup(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-bob.Ended()
	<-carol.Ended()
	waitFor(t, "no legs left", func() bool { return len(sw.UA().Legs()) == 0 })
	waitFor(t, "every port back", func() bool { return sw.Ports().Free() == sw.Ports().Size() })
}

// TestConferenceMemberMediaTimeout: alice, bob and carol are in a
// conference; carol's phone stops sending RTP without hanging up. After
// the media timeout the switch takes carol out (BYE) and alice and bob go
// on talking.
func TestConferenceMemberMediaTimeout(t *testing.T) {
	t.Parallel()
	cfg := switchsvcConfig()
	cfg.MediaTimeout = 2 * time.Second
	sw, call, atBob, atCarol := consultingWith(t, cfg)
	var aliceLeg string
	for _, l := range sw.UA().Legs() {
		if l.UserID == "user-1001" {
			aliceLeg = l.ID
		}
	}
	if _, err := sw.CompleteTransferLeg(ctxT(t), &switchv1.CompleteTransferLegRequest{LegId: aliceLeg, Conference: true}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three members", func() bool {
		n := 0
		for _, l := range sw.UA().Legs() {
			if l.Conferenced {
				n++
			}
		}
		return n == 3
	})
	call.PlayTone(500)
	atBob.PlayTone(1000)
	atCarol.PlayTone(1500)
	time.Sleep(3 * time.Second) // longer than the timeout: everybody sends, nobody leaves
	for _, c := range []*phonetest.Call{call, atBob, atCarol} {
		select {
		case <-c.Ended():
			t.Fatal("a member that sends RTP was taken out of the conference")
		default:
		}
	}
	atCarol.StopSending()
	select {
	case <-atCarol.Ended():
	case <-time.After(10 * time.Second):
		t.Fatal("no BYE to the member whose RTP stopped")
	}
	if err := call.WaitToneAmong(ctxT(t), 1000); err != nil {
		t.Fatal("alice no longer hears bob after carol was taken out")
	}
	select {
	case <-call.Ended():
		t.Fatal("alice's call ended with carol's")
	default:
	}
}
