package switchsvc_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/phonetest"
)

// ringing gathers every call that rings the phones until stop is closed.
func ringing(stop <-chan struct{}, phones ...*phonetest.Phone) (*[]*phonetest.Call, *sync.WaitGroup) {
	var (
		mu    sync.Mutex
		calls []*phonetest.Call
		wg    sync.WaitGroup
	)
	for _, p := range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case c := <-p.Incoming:
					mu.Lock()
					calls = append(calls, c)
					mu.Unlock()
				case <-stop:
					return
				}
			}
		}()
	}
	return &calls, &wg
}

// allEnded fails the test if a call a phone took part in is still up: the
// switch left that phone in a call the rest of the switch has forgotten.
func allEnded(t *testing.T, calls []*phonetest.Call) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for i, c := range calls {
		select {
		case <-c.Ended():
		case <-deadline:
			t.Fatalf("call %d of %d is still up on the callee's phone after the switch ended it", i+1, len(calls))
		}
	}
}

// TestTwoDevicesAnswerAtOnce has both devices of a user answer at once:
// the switch connects one and must ACK and BYE the other's 200 OK.
func TestTwoDevicesAnswerAtOnce(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob-desk", "bob-soft"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	desk := sw.phone(t, "bob-desk", phonetest.AutoAnswer)
	soft := sw.phone(t, "bob-soft", phonetest.AutoAnswer)
	stop := make(chan struct{})
	calls, wg := ringing(stop, desk, soft)
	for i := range 20 {
		call, err := alice.Dial(ctxT(t), "1002")
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if err := call.Hangup(ctxT(t)); err != nil {
			t.Fatalf("hang-up %d: %v", i, err)
		}
	}
	waitFor(t, "no legs left", func() bool { return len(sw.UA().Legs()) == 0 })
	time.Sleep(200 * time.Millisecond) // the last INVITEs reach the collectors
	close(stop)
	wg.Wait()
	if len(*calls) != 40 {
		t.Fatalf("bob's devices rang %d times for 20 calls, want 40", len(*calls))
	}
	allEnded(t, *calls)
}

// TestCancelCrossingAnswer cancels calls at offsets around the moment the
// callee answers, so that some CANCELs cross the 200 OK (RFC 3261 §9.1):
// the switch must then ACK and BYE the answer it no longer wants.
func TestCancelCrossingAnswer(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	bob := sw.phone(t, "bob", phonetest.AutoAnswer)
	stop := make(chan struct{})
	calls, wg := ringing(stop, bob)
	for i := range 30 {
		ctx, cancel := context.WithCancel(ctxT(t))
		in := make(chan *phonetest.Call, 1)
		go func() {
			c, _ := alice.Dial(ctx, "1002")
			in <- c
		}()
		// Bob's phone answers 50 ms after it rings; cancel at offsets
		// that sweep that instant (the digest challenge and the INVITE
		// to bob take about a millisecond on loopback).
		time.Sleep(45*time.Millisecond + time.Duration(i)*700*time.Microsecond)
		cancel()
		if c := <-in; c != nil {
			_ = c.Hangup(ctxT(t)) // the call connected before the CANCEL
		}
		deadline := time.Now().Add(10 * time.Second)
		for len(sw.UA().Legs()) > 0 {
			if time.Now().After(deadline) {
				t.Fatalf("call %d: legs left: %+v", i, sw.UA().Legs())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(*calls) != 30 {
		t.Fatalf("bob's phone rang %d times for 30 calls, want 30", len(*calls))
	}
	allEnded(t, *calls)
}
