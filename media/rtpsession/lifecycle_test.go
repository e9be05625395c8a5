package rtpsession

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// relayGoroutines counts the goroutines running relay code of their own:
// socket readers and DTMF dispatchers. The pollers, shared by every relay,
// are not counted.
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
		if strings.Contains(g, "rtpsession.(*Relay).readLoop") || strings.Contains(g, "rtpsession.(*Relay).readRTP") ||
			strings.Contains(g, "rtpsession.(*Relay).dispatch") {
			count++
		}
	}
	return count
}

// TestRelayCloseStopsGoroutines is not parallel, so that no other test's
// relays run meanwhile: the parallel tests are paused while it runs.
func TestRelayCloseStopsGoroutines(t *testing.T) {
	waitFor(t, "relays of earlier tests to stop", func() bool { return relayGoroutines() == 0 })
	newCall(t).r.Close() // the pollers, made on first use, exist from now on
	base := runtime.NumGoroutine()
	perRelay := 2 // RTP readers; a poller reads RTCP
	if runtime.GOOS != "linux" || runtime.GOARCH == "386" {
		perRelay = 4 // a reading goroutine per socket
	}
	digits := make(chan rune, 3)
	var relays []*Relay
	for range 3 {
		c := newCall(t, WithMediaTimeout(time.Minute), OnTimeout(func() {}),
			OnDTMF(func(_ *Leg, d rune) { digits <- d }))
		c.a.SetEventPayloadType(101)
		c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
		c.pb.recvRTP()
		h, payload := eventPacket(101, 2, 160, true, eventOf('7'))
		c.pa.sendRTP(c.a, h, payload)
		c.pb.recvRTP()
		relays = append(relays, c.r)
	}
	for range 3 {
		select {
		case d := <-digits:
			if d != '7' {
				t.Fatalf("digit %q, want '7'", d)
			}
		case <-time.After(recvTimeout):
			t.Fatal("no OnDTMF callback")
		}
	}
	// A DTMF dispatcher returns once its queue is empty.
	waitFor(t, "the DTMF dispatchers to return", func() bool { return relayGoroutines() == 3*perRelay })
	if n := runtime.NumGoroutine(); n > base+3*perRelay {
		t.Fatalf("%d goroutines with 3 relays running, %d before: want at most %d per relay", n, base, perRelay)
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
	ready := make(chan struct{}) // c is set: the 1 ms timeout may fire before newCall returns
	closeRelay := func() { <-ready; closed <- c.r.Close() }
	c = newCall(t, OnDTMF(func(*Leg, rune) { closeRelay() }),
		WithMediaTimeout(time.Millisecond), OnTimeout(closeRelay))
	close(ready)
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
