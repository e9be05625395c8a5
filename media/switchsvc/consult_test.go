package switchsvc_test

import (
	"testing"
	"time"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/media/phonetest"
	"github.com/switchboard-pbx/switchboard/media/sipua"
)

// consulting has alice (1001) call bob (1002) and consult carol (1003)
// through the switch; it returns the three phones' calls and alice's leg
// in the call with bob.
func consulting(t *testing.T) (*testSwitch, *phonetest.Call, *phonetest.Call, *phonetest.Call) {
	t.Helper()
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
