package rtpsession

import (
	"testing"
	"time"
)

// TestRelayRTCPShared runs RTCP through many relays at once, whose RTCP
// sockets share the pollers, and closes every other relay on the way: the
// others go on forwarding, and a closed relay forwards nothing more.
func TestRelayRTCPShared(t *testing.T) {
	t.Parallel()
	calls := make([]*call, 12)
	for i := range calls {
		calls[i] = newCall(t)
	}
	for round := range 3 {
		for i, c := range calls {
			if round > 0 && i%2 == 1 {
				continue // closed after the first round
			}
			c.pa.sendRTCP(c.a, receiverReport(0xA))
			c.pb.recvRTCP()
			c.pb.sendRTCP(c.b, receiverReport(0xB))
			c.pa.recvRTCP()
		}
		if round == 0 {
			for i, c := range calls {
				if i%2 == 1 {
					if err := c.r.Close(); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	for i, c := range calls {
		want := uint64(3)
		if i%2 == 1 {
			want = 1
		}
		if got := c.r.Counters(AToB).RTCP; got != want {
			t.Errorf("relay %d forwarded %d RTCP packets a->b, want %d", i, got, want)
		}
	}
	// What reaches a closed relay's legs now waits in their sockets.
	c := calls[1]
	want := receiverReport(0xA)
	c.pa.sendRTCP(c.a, want)
	p := &phone{t: t, ports: c.a.Ports(), buf: make([]byte, packetBuffer)}
	if got := p.recvRTCP(); string(got) != string(want) {
		t.Errorf("leg A's RTCP socket holds %x, want %x", got, want)
	}
	if ctr := c.r.Counters(AToB); ctr.RTCP != 1 {
		t.Errorf("a closed relay forwarded: %+v", ctr)
	}
}

// TestRelayPortsReleasedFirst releases a running relay's ports (as a
// caller that frees a fork's media before closing the relay bridging it
// does) and then closes the relay: Close returns, and relays on other
// ports keep working.
func TestRelayPortsReleasedFirst(t *testing.T) {
	t.Parallel()
	pool := testPool(t)
	pa, pb := newPhone(t), newPhone(t)
	a, b := NewLeg(allocate(t)), NewLeg(allocate(t))
	a.SetRemote(pa.rtpAddr())
	b.SetRemote(pb.rtpAddr())
	r := NewRelay(a, b)
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	pa.sendRTP(a, audio(1, 0, 0xA), frame(1))
	pb.recvRTP()
	pool.Release(a.Ports())
	pool.Release(b.Ports())
	closed := make(chan error, 1)
	go func() { closed <- r.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(recvTimeout):
		t.Fatal("Close did not return after the ports were released")
	}
	c := newCall(t)
	c.pa.sendRTCP(c.a, receiverReport(0xA))
	c.pb.recvRTCP()
	c.pa.sendRTP(c.a, audio(1, 0, 0xA), frame(1))
	c.pb.recvRTP()
}

// TestRelayDTMFBursts sends digits in bursts: each burst reaches the
// callback in order, and the goroutine delivering them is gone between
// bursts.
func TestRelayDTMFBursts(t *testing.T) {
	t.Parallel()
	digits := make(chan rune, 16)
	c := newCall(t, OnDTMF(func(_ *Leg, d rune) { digits <- d }))
	c.a.SetEventPayloadType(101)
	seq, ts := uint16(1), uint32(0)
	for _, burst := range []string{"123", "#", "4567"} {
		for _, d := range burst {
			h, payload := eventPacket(101, seq, ts, true, eventOf(d))
			c.pa.sendRTP(c.a, h, payload)
			c.pb.recvRTP()
			seq, ts = seq+1, ts+800
		}
		for _, want := range burst {
			select {
			case got := <-digits:
				if got != want {
					t.Fatalf("digit %q, want %q", got, want)
				}
			case <-time.After(recvTimeout):
				t.Fatalf("digit %q not reported", want)
			}
		}
		waitFor(t, "the DTMF dispatcher to return", func() bool { return !c.r.dispatching.Load() })
	}
}
