package rtpsession

import (
	"errors"
	"net"
	"time"
)

// DefaultWarmPairs is how many released pairs a PortPool keeps warm, their
// sockets open for a later Allocate, unless WithWarmPairs says otherwise.
// A warm pair serves one call per quarantine at most, so a pool reuses up
// to DefaultWarmPairs/DefaultQuarantine = 2,048 pairs a second, the legs
// of 1,000 call setups a second; beyond, the other pairs are bound and
// closed as before. Each warm pair holds two file descriptors.
const DefaultWarmPairs = 4096

// DefaultQuarantine is how long a released pair is kept from the next call
// unless WithQuarantine says otherwise. The phone of the call that ended
// may go on sending for a moment, until it has handled the BYE, and longer
// when a BYE is lost and retransmitted (after 0.5 s, then 1 s more). What
// arrives before the pair is reused is drained, but a packet that arrives
// after, before the new phone's first one, is taken by the new call's leg,
// which then latches onto the old phone (symmetric RTP); two seconds cover
// the BYE's first two retransmissions. A pool that has no cold pair left
// hands out a warm pair in quarantine rather than fail.
const DefaultQuarantine = 2 * time.Second

// maxDrain bounds the stale datagrams drained from a warm socket before it
// is reused. More than a few seconds of one stream means the old phone is
// still sending: the pair is closed instead, which also tells that phone
// (ICMP port unreachable).
const maxDrain = 256

// WithWarmPairs sets how many released pairs keep their sockets open to
// be handed out again (DefaultWarmPairs if not given). It is capped at the
// pool's size, and so that warm sockets take at most a quarter of the
// descriptors the process may open. Zero closes the sockets of every
// released pair, as before warm pairs.
func WithWarmPairs(n int) PoolOption {
	return func(p *PortPool) { p.maxWarm = n }
}

// WithQuarantine sets how long a released pair is kept from the next call
// (DefaultQuarantine if not given): see DefaultQuarantine.
func WithQuarantine(d time.Duration) PoolOption {
	return func(p *PortPool) { p.quarantine = max(d, 0) }
}

// warmPair is a released pair with its sockets open.
type warmPair struct {
	rtp, rtcp *net.UDPConn
	port      int
	at        int64 // clock (now) of its release
}

// warmQueue is the warm pairs, oldest first: a ring of capacity maxWarm.
type warmQueue struct {
	ring  []warmPair
	head  int
	count int
}

// warmCapacity is the size of the warm ring: at most the pool's size, and
// at most a quarter of the descriptors the process may open, since warm
// sockets hold descriptors that other connections and files may need;
// none where stale packets cannot be drained (portpool_other.go).
func warmCapacity(maxWarm, pairs int) int {
	if !canDrain {
		return 0
	}
	n := min(max(maxWarm, 0), pairs)
	if limit := fdLimit(); limit > 0 {
		n = min(n, limit/8)
	}
	return n
}

// keepWarm puts a released pair, which nobody holds, at the back of the
// warm queue, and reports false when there is no room.
func (p *PortPool) keepWarm(ports *Ports) bool {
	at := now()
	p.mu.Lock()
	defer p.mu.Unlock()
	q := &p.warm
	if p.closed || q.count == len(q.ring) {
		return false
	}
	q.ring[(q.head+q.count)%len(q.ring)] = warmPair{rtp: ports.RTP, rtcp: ports.RTCP, port: ports.port, at: at}
	q.count++
	return true
}

// reuse takes the oldest warm pair if its quarantine is over (or, with
// force, in any case) and readies it for a new call: deadlines that a
// previous user left are cleared and stale datagrams drained. It returns
// nil when there is no such pair, or when the pair cannot be reused: its
// sockets are then closed and its port queued.
func (p *PortPool) reuse(force bool) *Ports {
	p.mu.Lock()
	q := &p.warm
	if q.count == 0 || !force && now()-q.ring[q.head].at < int64(p.quarantine) {
		p.mu.Unlock()
		return nil
	}
	w := q.ring[q.head]
	q.ring[q.head] = warmPair{}
	q.head = (q.head + 1) % len(q.ring)
	q.count--
	p.mu.Unlock()
	err := errors.Join(w.rtp.SetDeadline(time.Time{}), w.rtcp.SetDeadline(time.Time{}),
		drain(w.rtp), drain(w.rtcp))
	if err != nil {
		w.rtp.Close()
		w.rtcp.Close()
		p.push(w.port)
		return nil
	}
	return &Ports{RTP: w.rtp, RTCP: w.rtcp, pool: p, port: w.port}
}

// Close closes the sockets of the warm pairs; from then on Release closes
// those of every pair it is given, as it would with WithWarmPairs(0).
// Pairs handed out stay open until released, and Allocate still binds
// pairs. The owner of the pool calls it when the switch stops, after the
// last call has released its pairs, so that no descriptor is left open.
// Close is idempotent.
func (p *PortPool) Close() error {
	p.mu.Lock()
	p.closed = true
	q := &p.warm
	conns := make([]*net.UDPConn, 0, 2*q.count)
	for ; q.count > 0; q.count-- {
		w := q.ring[q.head]
		q.ring[q.head] = warmPair{}
		q.head = (q.head + 1) % len(q.ring)
		conns = append(conns, w.rtp, w.rtcp)
		p.pushLocked(w.port)
	}
	p.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
	return nil
}
