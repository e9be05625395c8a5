package rtpsession

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// relayGoroutines counts the goroutines running relay code.
func relayGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "rtpsession.(*direction).read") || strings.Contains(g, "rtpsession.(*Relay).dispatch") {
			count++
		}
	}
	return count
}

// TestRelayCloseStopsGoroutines is not parallel, so that no other test's
// relays run meanwhile: the parallel tests are paused while it runs.
func TestRelayCloseStopsGoroutines(t *testing.T) {
	waitFor(t, "relays of earlier tests to stop", func() bool { return relayGoroutines() == 0 })
	base := runtime.NumGoroutine()
	var relays []*Relay
	for range 3 {
		c := newCall(t, WithMediaTimeout(time.Minute), OnTimeout(func() {}), OnDTMF(func(*Leg, rune) {}))
		c.a.SetEventPayloadType(101)
		c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
		c.pb.recvRTP()
		relays = append(relays, c.r)
	}
	// 4 socket readers and 1 callback dispatcher per relay.
	if n := relayGoroutines(); n != 3*5 {
		t.Fatalf("%d relay goroutines with 3 relays running, want 15", n)
	}
	for _, r := range relays {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "relay goroutines to stop", func() bool { return relayGoroutines() == 0 })
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
