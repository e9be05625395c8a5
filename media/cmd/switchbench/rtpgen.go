package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// The RTP generator sends G.711 (PCMU) packets, 160 bytes of payload every
// 20 ms per stream, and counts what comes back through the switch. The
// switch rewrites RTP headers (sequence numbers, timestamps, SSRC) but not
// payloads, so each payload carries its own stamp: a magic number, the
// direction, the measurement phase, the stream, a sequence number and the
// send time. Loss is then exact per phase and direction: packets sent with
// a phase's stamp minus packets received with it.
//
// The generator is cheap so that it leaves the machine to the switch: a
// sender and a receiver per side, sendmmsg and recvmmsg in batches, and on
// Linux bare sockets polled every millisecond instead of waited on (see
// receivePeriod). The send time is by the wall clock, as are the kernel's
// receive timestamps the delays are measured with.

const (
	payloadLen  = 160 // 20 ms of 8 kHz PCMU
	rtpHdrLen   = 12
	packetLen   = rtpHdrLen + payloadLen
	stampMagic  = 0x53574231 // "SWB1"
	maxPhases   = 64         // phase 0 is "not measured"
	slots       = 20         // a stream sends in one 1 ms slot of every 20 ms
	histBuckets = 2000       // one-way delay histogram: 100 µs buckets up to 200 ms
	histWidth   = 100 * time.Microsecond
	maxStreams  = 1 << 15
)

// Directions through the switch: caller to callee (A to B) and back.
const (
	dirAB = 0
	dirBA = 1
)

// stream is one direction of one call as its sender sees it.
type stream struct {
	id     uint32
	remote netip.AddrPort // the switch leg's RTP port
	sock   int            // local socket index
	seq    uint32
	rtpSeq uint16
	ts     uint32
	ssrc   uint32
	alive  atomic.Bool
}

// side is one end of the calls (callers or callees): its sockets, the
// streams it sends and the counters of what it receives.
type side struct {
	g     *generator
	dir   int // direction of the packets this side sends
	socks []*udpSocket

	mu    sync.Mutex
	slots [slots][]*stream
	n     uint32

	sent    [maxPhases]atomic.Uint64
	sendErr atomic.Uint64
	// received by this side (direction 1-dir)
	recv    [maxPhases]atomic.Uint64
	bad     atomic.Uint64 // not ours or malformed
	reorder atomic.Uint64 // duplicate or out of order
	lastSeq []atomic.Uint32
	hist    [maxPhases][histBuckets]atomic.Uint64
}

// generator is both sides plus the phase stamp and the clock.
type generator struct {
	start time.Time
	phase atomic.Uint32
	sides [2]*side
	stop  chan struct{}
	wg    sync.WaitGroup
}

// newGenerator opens n sockets per side on 127.0.0.1 with buffers of buf
// bytes and starts a sender and a receiver per side.
func newGenerator(n, buf int) (*generator, error) {
	g := &generator{start: time.Now(), stop: make(chan struct{})}
	for d := range g.sides {
		s := &side{g: g, dir: d, lastSeq: make([]atomic.Uint32, maxStreams)}
		g.sides[d] = s
		for range n {
			c, err := listenUDP(buf)
			if err != nil {
				g.close()
				return nil, err
			}
			s.socks = append(s.socks, c)
		}
	}
	for _, s := range g.sides {
		g.wg.Add(2)
		go s.send()
		go s.receive()
	}
	return g, nil
}

// since is the time since the generator started by the wall clock, the
// clock of the kernel's receive timestamps.
func (g *generator) since() time.Duration {
	return time.Duration(time.Now().UnixNano() - g.start.UnixNano())
}

// close stops sending and receiving.
func (g *generator) close() {
	select {
	case <-g.stop:
		return
	default:
		close(g.stop)
	}
	g.wg.Wait()
	for _, s := range g.sides {
		if s == nil {
			continue
		}
		for _, c := range s.socks {
			c.Close()
		}
	}
}

// newStream reserves a stream on a side; it sends once started.
func (s *side) newStream() (*stream, netip.AddrPort, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n >= maxStreams {
		return nil, netip.AddrPort{}, errors.New("too many streams")
	}
	st := &stream{id: s.n, sock: int(s.n) % len(s.socks), ssrc: 0x5B000000 | s.n, rtpSeq: uint16(s.n * 7919)}
	s.n++
	return st, s.socks[st.sock].local, nil
}

// start points a stream at the switch and makes it send.
func (s *side) start(st *stream, remote netip.AddrPort) {
	st.remote = remote
	st.alive.Store(true)
	s.mu.Lock()
	s.slots[st.id%slots] = append(s.slots[st.id%slots], st)
	s.mu.Unlock()
}

// sendBatchSize is how many packets the sender hands to the kernel in one
// system call (sendmmsg on Linux), per socket.
const sendBatchSize = 64

// send runs the side's sender: slot k of every 20 ms sends one packet for
// each live stream in that slot, in batches per socket. A sender that
// falls behind catches up slot by slot; the packets it sends are counted,
// so loss stays exact, and the shortfall is reported as the offered rate.
func (s *side) send() {
	defer s.g.wg.Done()
	batches := make([]*sendBatch, len(s.socks))
	for i := range batches {
		batches[i] = newSendBatch(sendBatchSize)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	next := time.Now()
	for k := 0; ; k++ {
		if d := time.Until(next); d > 0 {
			timer.Reset(d)
			select {
			case <-s.g.stop:
				return
			case <-timer.C:
			}
		} else {
			select {
			case <-s.g.stop:
				return
			default:
			}
		}
		next = next.Add(time.Millisecond)
		s.mu.Lock()
		list := s.slots[k%slots]
		s.mu.Unlock()
		phase := s.g.phase.Load()
		for _, st := range list {
			if !st.alive.Load() {
				continue
			}
			b := batches[st.sock]
			s.stamp(b.add(st.remote), st, phase)
			if b.full() {
				s.flush(b, st.sock, phase)
			}
		}
		for i, b := range batches {
			s.flush(b, i, phase)
		}
	}
}

// flush sends a socket's batch and counts what went out.
func (s *side) flush(b *sendBatch, sock int, phase uint32) {
	if b.len() == 0 {
		return
	}
	sent, failed := b.flush(s.socks[sock])
	s.sent[phase].Add(uint64(sent))
	s.sendErr.Add(uint64(failed))
}

// stamp writes the next packet of a stream into buf (packetLen bytes).
func (s *side) stamp(buf []byte, st *stream, phase uint32) {
	buf[0], buf[1] = 0x80, 0 // V=2, PT 0 (PCMU)
	binary.BigEndian.PutUint16(buf[2:], st.rtpSeq)
	binary.BigEndian.PutUint32(buf[4:], st.ts)
	binary.BigEndian.PutUint32(buf[8:], st.ssrc)
	p := buf[rtpHdrLen:]
	binary.BigEndian.PutUint32(p[0:], stampMagic)
	p[4], p[5] = byte(s.dir), byte(phase)
	binary.BigEndian.PutUint32(p[8:], st.id)
	binary.BigEndian.PutUint32(p[12:], st.seq)
	binary.BigEndian.PutUint64(p[16:], uint64(s.g.since()))
	st.rtpSeq++
	st.ts += payloadLen
	st.seq++
}

// receivePeriod is how often the receiver takes what has arrived. The
// sockets are polled rather than waited on: a sender to a socket nobody
// waits on does not wake anybody up, which on loopback is work the switch
// would otherwise do for the generator on every packet it relays. One-way
// delays are measured by the kernel's receive timestamps, so the period
// does not add to them.
const receivePeriod = time.Millisecond

// receive runs the side's receiver: every receivePeriod it reads all that
// is queued on the side's sockets and counts it.
func (s *side) receive() {
	defer s.g.wg.Done()
	rb := newRecvBatch(s.g.start)
	tick := time.NewTicker(receivePeriod)
	defer tick.Stop()
	for {
		for _, c := range s.socks {
			rb.drain(c, s.count)
		}
		select {
		case <-s.g.stop:
			return
		case <-tick.C:
		}
	}
}

// count records one received datagram, which arrived at the time at (since
// g.start).
func (s *side) count(pkt []byte, at time.Duration) {
	if len(pkt) != packetLen {
		s.bad.Add(1)
		return
	}
	p := pkt[rtpHdrLen:]
	phase, id := p[5], binary.BigEndian.Uint32(p[8:])
	if binary.BigEndian.Uint32(p) != stampMagic || p[4] != byte(1-s.dir) || phase >= maxPhases || id >= maxStreams {
		s.bad.Add(1)
		return
	}
	s.recv[phase].Add(1)
	seq := binary.BigEndian.Uint32(p[12:]) + 1 // 0 means none yet
	if last := s.lastSeq[id].Load(); seq <= last {
		s.reorder.Add(1)
	} else {
		s.lastSeq[id].Store(seq)
	}
	delay := at - time.Duration(binary.BigEndian.Uint64(p[16:]))
	b := min(max(int(delay/histWidth), 0), histBuckets-1)
	s.hist[phase][b].Add(1)
}

// phaseFigures is what one direction did in one phase.
type phaseFigures struct {
	Sent, Recv uint64
	LossPct    float64
	P50, P99   time.Duration // one-way delay through the switch
	Max        time.Duration // upper bound of the highest bucket seen
}

// figures returns direction d's counts for a phase: sent by the side that
// sends d, received by the other.
func (g *generator) figures(d int, phase uint32) phaseFigures {
	tx, rx := g.sides[d], g.sides[1-d]
	f := phaseFigures{Sent: tx.sent[phase].Load(), Recv: rx.recv[phase].Load()}
	if f.Sent > 0 {
		f.LossPct = 100 * (float64(f.Sent) - float64(f.Recv)) / float64(f.Sent)
	}
	var total uint64
	for i := range rx.hist[phase] {
		total += rx.hist[phase][i].Load()
	}
	var acc uint64
	for i := range rx.hist[phase] {
		c := rx.hist[phase][i].Load()
		if c == 0 {
			continue
		}
		if acc < total/2 && acc+c >= total/2 {
			f.P50 = time.Duration(i+1) * histWidth
		}
		if acc < total*99/100 && acc+c >= total*99/100 {
			f.P99 = time.Duration(i+1) * histWidth
		}
		acc += c
		f.Max = time.Duration(i+1) * histWidth
	}
	return f
}

func (f phaseFigures) String() string {
	return fmt.Sprintf("sent %d recv %d loss %.4f%% delay p50 %s p99 %s max %s",
		f.Sent, f.Recv, f.LossPct, f.P50, f.P99, f.Max)
}
