package rtpsession

import (
	"runtime"
	"testing"
	"time"
)

// TestRelayCloseStopsGoroutines is deliberately not parallel: it compares
// the process's goroutine count, which parallel tests would disturb. The
// parallel tests are all paused while it runs.
func TestRelayCloseStopsGoroutines(t *testing.T) {
	base := runtime.NumGoroutine()
	var relays []*Relay
	for range 3 {
		c := newCall(t, WithMediaTimeout(time.Minute), OnTimeout(func() {}), OnDTMF(func(*Leg, rune) {}))
		c.a.SetEventPayloadType(101)
		c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
		c.pb.recvRTP()
		relays = append(relays, c.r)
	}
	if n := runtime.NumGoroutine(); n < base+3*5 {
		t.Fatalf("%d goroutines with 3 relays running, baseline %d: expected 5 per relay", n, base)
	}
	for _, r := range relays {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "goroutines to return to the baseline", func() bool { return runtime.NumGoroutine() <= base })
}

// TestRelayCloseFromCallback: callbacks may close the relay they run for.
func TestRelayCloseFromCallback(t *testing.T) {
	t.Parallel()
	closed := make(chan error, 2)
	var c *call
	c = newCall(t, OnDTMF(func(*Leg, rune) { closed <- c.r.Close() }),
		WithMediaTimeout(time.Millisecond), OnTimeout(func() { closed <- c.r.Close() }))
	c.a.SetEventPayloadType(101)
	h, payload := eventPacket(101, 1, 0, true, eventOf('1'))
	c.pa.sendRTP(c.a, h, payload)
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(recvTimeout):
		t.Fatal("Close from a callback did not return")
	}
}
