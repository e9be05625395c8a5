package rtpsession

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// DefaultSocketBuffer is the receive and send buffer size asked for on
// every RTP and RTCP socket. The kernel default (about 200 KiB) drops
// packets when a busy switch falls behind for a moment; the kernel caps the
// request at net.core.rmem_max / wmem_max.
const DefaultSocketBuffer = 1 << 20

// PortPool hands out RTP/RTCP port pairs from a range: an even port for RTP
// and the next one for RTCP, both bound on one IP address. A released pair
// is not reused while stray packets of its previous call may still arrive:
// it goes to the back of the queue, or waits out a quarantine. It is safe
// for concurrent use.
//
// Opening and closing the two sockets of a pair costs about ten system
// calls each, half of what a call setup costs the switch in system calls,
// so a released pair keeps its sockets open ("warm", portpool_warm.go) and
// a later Allocate hands them out again once its quarantine is over.
type PortPool struct {
	ip         net.IP
	min        int
	max        int
	bufSize    int
	maxWarm    int
	quarantine time.Duration

	mu    sync.Mutex
	queue []int // free RTP ports without sockets, a ring of capacity pairs
	head  int
	count int
	warm  warmQueue // released pairs with their sockets open
	// closed stops keeping pairs warm (Close).
	closed bool
}

// PoolOption configures a PortPool.
type PoolOption func(*PortPool)

// WithSocketBuffer sets the receive and send buffer size of the sockets the
// pool opens (DefaultSocketBuffer if not given).
func WithSocketBuffer(bytes int) PoolOption {
	return func(p *PortPool) { p.bufSize = bytes }
}

// NewPortPool returns a pool of the port pairs within [min, max] on ip (nil
// for all addresses). min must be even and max greater than min.
func NewPortPool(ip net.IP, min, max int, opts ...PoolOption) (*PortPool, error) {
	switch {
	case min <= 0 || max > 65535:
		return nil, fmt.Errorf("rtpsession: port range %d-%d outside 1-65535", min, max)
	case min%2 != 0:
		return nil, fmt.Errorf("rtpsession: port range start %d is odd", min)
	case max <= min:
		return nil, fmt.Errorf("rtpsession: port range end %d not above start %d", max, min)
	}
	p := &PortPool{ip: ip, min: min, max: max, bufSize: DefaultSocketBuffer,
		maxWarm: DefaultWarmPairs, quarantine: DefaultQuarantine}
	for _, o := range opts {
		o(p)
	}
	pairs := (max - min + 1) / 2
	p.warm.ring = make([]warmPair, warmCapacity(p.maxWarm, pairs))
	p.queue = make([]int, pairs)
	for i := range pairs {
		p.queue[i] = min + 2*i
	}
	p.count = pairs
	return p, nil
}

// Size returns the number of port pairs in the range.
func (p *PortPool) Size() int { return len(p.queue) }

// Free returns the number of pairs not handed out, warm ones included.
// Some of them may be taken by another program; Allocate skips those.
func (p *PortPool) Free() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count + p.warm.count
}

// IP returns the address the pool binds to.
func (p *PortPool) IP() net.IP { return p.ip }

// Allocate returns the sockets of a free pair: the warm pair released
// longest ago if its quarantine is over, else the next pair of the queue,
// bound now. A pair whose ports another program holds is put back at the
// end of the queue and the next one tried. Only when no pair can be bound
// (none is left, or the process is out of descriptors) is a warm pair
// still in quarantine taken; when there is none either the error wraps
// ErrNoPorts.
func (p *PortPool) Allocate() (*Ports, error) {
	if ports := p.reuse(false); ports != nil {
		return ports, nil
	}
	ports, err := p.allocateCold()
	if err != nil {
		if warm := p.reuse(true); warm != nil {
			return warm, nil
		}
	}
	return ports, err
}

// allocateCold binds the next free pair of the queue.
func (p *PortPool) allocateCold() (*Ports, error) {
	var lastErr error
	for range p.Size() {
		port, ok := p.pop()
		if !ok {
			break
		}
		ports, err := p.bind(port)
		if err == nil {
			return ports, nil
		}
		lastErr = err
		p.push(port)
		if outOfDescriptors(err) {
			break // no other port would bind either; a warm pair needs none
		}
	}
	if lastErr != nil {
		return nil, fmt.Errorf("%w in %d-%d: %w", ErrNoPorts, p.min, p.max, lastErr)
	}
	return nil, fmt.Errorf("%w in %d-%d", ErrNoPorts, p.min, p.max)
}

// Release returns a pair to the pool. The caller must not use its sockets
// afterwards. The pair is kept warm when the pool has room for it and no
// relay, endpoint or player of the package still uses it (one that was
// not closed first); otherwise its sockets are closed, which stops such a
// user, and the port goes to the back of the queue. It is safe to call
// more than once and with nil; pairs of another pool are only closed.
func (p *PortPool) Release(ports *Ports) {
	if ports == nil {
		return
	}
	first, idle := ports.release()
	if !first {
		return
	}
	if ports.pool == p && idle && p.keepWarm(ports) {
		return
	}
	ports.RTP.Close()
	ports.RTCP.Close()
	if ports.pool == p {
		p.push(ports.port)
	}
}

func (p *PortPool) pop() (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.count == 0 {
		return 0, false
	}
	port := p.queue[p.head]
	p.head = (p.head + 1) % len(p.queue)
	p.count--
	return port, true
}

func (p *PortPool) push(port int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pushLocked(port)
}

func (p *PortPool) pushLocked(port int) {
	p.queue[(p.head+p.count)%len(p.queue)] = port
	p.count++
}

func (p *PortPool) bind(port int) (*Ports, error) {
	rtp, err := p.listen(port)
	if err != nil {
		return nil, err
	}
	rtcp, err := p.listen(port + 1)
	if err != nil {
		rtp.Close()
		return nil, err
	}
	return &Ports{RTP: rtp, RTCP: rtcp, pool: p, port: port}, nil
}

func (p *PortPool) listen(port int) (*net.UDPConn, error) {
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: p.ip, Port: port})
	if err != nil {
		return nil, err
	}
	if p.bufSize > 0 {
		err = errors.Join(c.SetReadBuffer(p.bufSize), c.SetWriteBuffer(p.bufSize))
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("rtpsession: socket buffers on port %d: %w", port, err)
		}
	}
	return c, nil
}

// Ports is a bound RTP/RTCP socket pair from a PortPool. The caller gives it
// back with PortPool.Release once no relay uses it any more. A warm pair
// handed out again is a new Ports with the same sockets, so a late second
// Release of the old one does nothing.
type Ports struct {
	RTP  *net.UDPConn // even port
	RTCP *net.UDPConn // RTP port + 1

	pool *PortPool
	port int

	mu       sync.Mutex // guards users and released
	users    int        // holds (see hold)
	released bool
}

// hold marks the sockets as used by the package (a relay's or endpoint's
// readers, a write of generated audio, an injected DTMF event) until
// unhold, so that a Release meanwhile closes them instead of keeping them
// warm for another call. It fails once the pair is released: the caller must then
// leave the sockets alone, as they may already belong to another call.
func (p *Ports) hold() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.released {
		return false
	}
	p.users++
	return true
}

// unhold ends a successful hold.
func (p *Ports) unhold() {
	p.mu.Lock()
	p.users--
	p.mu.Unlock()
}

// release marks the pair released, reporting whether it was not released
// before and whether nobody holds it.
func (p *Ports) release() (first, idle bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	first = !p.released
	p.released = true
	return first, p.users == 0
}

// RTPPort returns the local RTP port, the one to put in the SDP.
func (p *Ports) RTPPort() int { return p.port }

// RTCPPort returns the local RTCP port, RTPPort()+1.
func (p *Ports) RTCPPort() int { return p.port + 1 }

// LocalRTP returns the local address of the RTP socket.
func (p *Ports) LocalRTP() *net.UDPAddr { return p.RTP.LocalAddr().(*net.UDPAddr) }

// LocalRTCP returns the local address of the RTCP socket.
func (p *Ports) LocalRTCP() *net.UDPAddr { return p.RTCP.LocalAddr().(*net.UDPAddr) }
