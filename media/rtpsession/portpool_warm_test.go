package rtpsession

import (
	"errors"
	"net"
	"testing"
	"time"
)

// The warm pair tests use ranges within 61600-61799, each its own.

func warmPool(t *testing.T, min, max int, opts ...PoolOption) *PortPool {
	t.Helper()
	if !canDrain {
		t.Skip("pairs are not kept warm on this system")
	}
	pool, err := NewPortPool(loopback, min, max, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

func mustAllocate(t *testing.T, pool *PortPool) *Ports {
	t.Helper()
	p, err := pool.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sameSockets reports whether two pairs share their sockets.
func sameSockets(a, b *Ports) bool { return a.RTP == b.RTP && a.RTCP == b.RTCP }

func TestPortPoolWarmReuse(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61600, 61609, WithQuarantine(0))
	p1 := mustAllocate(t, pool)
	pool.Release(p1)
	if pool.Free() != 5 {
		t.Errorf("Free = %d with a warm pair, want 5", pool.Free())
	}
	// A deadline left by the previous user is cleared.
	if err := p1.RTP.SetReadDeadline(time.Unix(1, 0)); err != nil {
		t.Fatal(err)
	}
	p2 := mustAllocate(t, pool)
	if !sameSockets(p1, p2) || p2.RTPPort() != p1.RTPPort() || p2 == p1 {
		t.Fatalf("pair %d not reused: got a new Ports on port %d", p1.RTPPort(), p2.RTPPort())
	}
	if pool.Free() != 4 {
		t.Errorf("Free = %d, want 4", pool.Free())
	}
	// A late second Release of the old pair leaves the new one alone.
	pool.Release(p1)
	if pool.Free() != 4 {
		t.Errorf("Free = %d after releasing the old pair again, want 4", pool.Free())
	}
	peer := mustAllocate(t, pool)
	defer pool.Release(peer)
	if _, err := peer.RTP.WriteToUDP([]byte("x"), p2.LocalRTP()); err != nil {
		t.Fatal(err)
	}
	// No deadline set: the one left by the previous user must be gone, and
	// the datagram sent makes the read return.
	buf := make([]byte, 16)
	if _, _, err := p2.RTP.ReadFromUDP(buf); err != nil {
		t.Fatalf("reused socket: %v", err)
	}
	pool.Release(p2)
}

// TestPortPoolWarmQuarantine: a warm pair waits for its quarantine while
// cold pairs are left, oldest first, and is taken early only when none is.
func TestPortPoolWarmQuarantine(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61620, 61625, WithQuarantine(time.Hour))
	p1, p2 := mustAllocate(t, pool), mustAllocate(t, pool)
	pool.Release(p1)
	pool.Release(p2)
	p3 := mustAllocate(t, pool) // the last cold pair
	if sameSockets(p3, p1) || sameSockets(p3, p2) {
		t.Fatal("a pair in quarantine was reused while a cold pair was free")
	}
	for _, want := range []*Ports{p1, p2} {
		got := mustAllocate(t, pool)
		if !sameSockets(got, want) {
			t.Fatalf("got port %d, want the warm pair %d, released first", got.RTPPort(), want.RTPPort())
		}
	}
	if _, err := pool.Allocate(); !errors.Is(err, ErrNoPorts) {
		t.Fatalf("error %v with every pair taken, want ErrNoPorts", err)
	}
}

func TestPortPoolWarmLimit(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61630, 61639, WithWarmPairs(1), WithQuarantine(0))
	p1, p2 := mustAllocate(t, pool), mustAllocate(t, pool)
	pool.Release(p1) // kept warm
	pool.Release(p2) // no room: closed
	if _, err := p2.RTP.WriteToUDP([]byte("x"), p1.LocalRTP()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write on a pair released beyond the limit: %v, want net.ErrClosed", err)
	}
	if pool.Free() != 5 {
		t.Errorf("Free = %d, want 5", pool.Free())
	}
	if p := mustAllocate(t, pool); !sameSockets(p, p1) {
		t.Errorf("got port %d, want the warm pair %d", p.RTPPort(), p1.RTPPort())
	}
}

func TestPortPoolClose(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61640, 61649, WithQuarantine(0))
	p1, p2 := mustAllocate(t, pool), mustAllocate(t, pool)
	pool.Release(p1)
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p1.RTP.WriteToUDP([]byte("x"), p2.LocalRTP()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write on a warm pair after Close: %v, want net.ErrClosed", err)
	}
	pool.Release(p2) // closed, not kept warm
	if _, err := p2.RTP.WriteToUDP([]byte("x"), p2.LocalRTP()); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write on a pair released after Close: %v, want net.ErrClosed", err)
	}
	if pool.Free() != 5 {
		t.Errorf("Free = %d, want 5", pool.Free())
	}
	p3 := mustAllocate(t, pool) // binds as before
	pool.Release(p3)
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRelayReleasedWhileRunning: a pair released while a relay still
// reads it is closed, not kept warm, so the relay cannot read the next
// call's packets; Close still returns.
func TestRelayReleasedWhileRunning(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61650, 61659, WithQuarantine(0))
	la, lb := mustAllocate(t, pool), mustAllocate(t, pool)
	defer pool.Release(lb)
	r := NewRelay(NewLeg(la), NewLeg(lb))
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	pool.Release(la)
	next := mustAllocate(t, pool)
	defer pool.Release(next)
	if sameSockets(next, la) {
		t.Fatal("a pair a running relay reads was reused")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	// A relay or endpoint on released ports reads nothing.
	r2 := NewRelay(NewLeg(la), NewLeg(next))
	if err := r2.Start(); err != nil {
		t.Fatal(err)
	}
	if len(r2.looped) != 0 || r2.watches != nil {
		t.Error("a relay reads released ports")
	}
	r2.Close()
	ep, err := NewLeg(la).Listen()
	if err != nil {
		t.Fatal(err)
	}
	if ep.held {
		t.Error("an endpoint reads released ports")
	}
	ep.Close()
}

// TestEndpointPairKeptWarm: an endpoint closed before its pair is released
// leaves the pair warm, and the next user reads it alone.
func TestEndpointPairKeptWarm(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61660, 61669, WithQuarantine(0))
	p1 := mustAllocate(t, pool)
	ep, err := NewLeg(p1).Listen()
	if err != nil {
		t.Fatal(err)
	}
	ep.Close()
	pool.Release(p1)
	p2 := mustAllocate(t, pool)
	if !sameSockets(p1, p2) {
		t.Fatal("the pair of a closed endpoint was not reused")
	}
	phone := &phone{t: t, ports: mustAllocate(t, pool), buf: make([]byte, 2048)}
	leg := NewLeg(p2)
	ep2 := listen(t, leg)
	phone.sendRTP(leg, audio(1, 0, 7), frame(1))
	waitFor(t, "the packet at the new endpoint", func() bool { return ep2.Counters().Packets == 1 })
	if n := ep.Counters().Packets; n != 0 {
		t.Errorf("the closed endpoint took %d packets", n)
	}
}
