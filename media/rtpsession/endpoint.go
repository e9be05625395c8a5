package rtpsession

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// FrameSamples is the size of the frames an Endpoint delivers and a mixer
// or recorder works on: 20 ms at 8 kHz.
const FrameSamples = codec.SampleRate / 50

// listening is what Leg.owner holds while an Endpoint listens to the leg:
// a relay cannot start on it, but a Player can play to it. It is never
// started.
var listening = new(Relay)

// Endpoint terminates a leg's media in the switch: the switch itself is
// the far end, as for a route point, a conference member or a recorder.
// One goroutine reads the leg's RTP socket, latching the remote address as
// a relay does, and decodes PCMU or PCMA into 20 ms frames for its taps
// (Tap); RFC 4733 digits go to the ListenOnDTMF callback; a second
// goroutine drains RTCP. Audio goes the other way with Leg.Play or
// Leg.SendAudio. Create it with Leg.Listen and Close it to give the leg
// back. Its methods are safe for concurrent use.
type Endpoint struct {
	leg    *Leg
	pt     uint8
	law    uint8
	laws   [128]uint8 // payload type -> codec.PayloadPCMU/PCMA, or PayloadNone
	strict bool
	onDTMF func(digit rune)
	events chan rune

	idle   idleWatch // the media timeout, and when RTP last came
	counts struct{ packets, frames, dropped, events atomic.Uint64 }

	sinkMu sync.Mutex // held while frames are delivered
	sinks  []*audioSink

	mu      sync.Mutex // guards closed
	closed  bool
	done    chan struct{}
	readers sync.WaitGroup
	held    bool // the leg's ports are held (Ports.hold) while read

	// Owned by the goroutine reading RTP.
	hdr      rtp.Header
	dtmf     dtmfState
	hasSeq   bool
	lastSSRC uint32
	lastSeq  uint16
	frame    [FrameSamples]int16
	fill     int
}

type audioSink struct{ fn func(pcm []int16) }

// EndpointCounters describe what an Endpoint received since Listen.
type EndpointCounters struct {
	Packets uint64 // RTP packets accepted (audio and events)
	Frames  uint64 // 20 ms audio frames delivered to the taps
	Dropped uint64 // packets refused: unknown source, malformed, late or duplicate, unknown payload type
	Events  uint64 // DTMF events detected
}

// ListenOption configures an Endpoint.
type ListenOption func(*listenConfig)

type listenConfig struct {
	pt, law   uint8
	onDTMF    func(digit rune)
	strict    bool
	timeout   time.Duration
	onTimeout func()
}

// ListenCodec sets the negotiated audio payload type and the G.711 law it
// carries (codec.PayloadPCMU or codec.PayloadPCMA); the default is PCMU
// on payload type 0. Packets of the static types 0 (PCMU) and 8 (PCMA)
// are decoded in any case. The payload type is what Endpoint.Codec
// returns, for whoever sends to the leg.
func ListenCodec(pt, law uint8) ListenOption {
	return func(c *listenConfig) { c.pt, c.law = pt, law }
}

// ListenOnDTMF sets the function called once for each RFC 4733 digit that
// arrives on the leg's telephone-event payload type (set with
// Leg.SetEventPayloadType). Calls are made in order on a goroutine of the
// endpoint, never on the packet path; up to 64 digits wait, then digits
// are dropped. It may call Close.
func ListenOnDTMF(fn func(digit rune)) ListenOption {
	return func(c *listenConfig) { c.onDTMF = fn }
}

// ListenStrictLatching is WithStrictLatching for an endpoint (default
// true): whether packets from a source other than the latched one are
// refused or move the latch.
func ListenStrictLatching(strict bool) ListenOption {
	return func(c *listenConfig) { c.strict = strict }
}

// ListenMediaTimeout calls fn once, on a goroutine of its own, when no
// RTP packet has come from the leg for d (counted from Listen at first):
// the far end is gone without saying so. Zero, the default, never times
// out. Close stops the count.
func ListenMediaTimeout(d time.Duration, fn func()) ListenOption {
	return func(c *listenConfig) { c.timeout, c.onTimeout = d, fn }
}

// Listen makes the switch the far end of the leg and starts reading its
// sockets. The leg is owned by the endpoint until Close: a relay cannot
// start on it (ErrLegInUse), while Play and SendAudio work. It fails with
// ErrLegInUse if a running relay or another endpoint has the leg.
func (l *Leg) Listen(opts ...ListenOption) (*Endpoint, error) {
	cfg := listenConfig{pt: codec.PayloadPCMU, law: codec.PayloadPCMU, strict: true}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.pt > 127 || (cfg.law != codec.PayloadPCMU && cfg.law != codec.PayloadPCMA) {
		return nil, fmt.Errorf("rtpsession: codec %d on payload type %d: want PCMU (0) or PCMA (8) below 128", cfg.law, cfg.pt)
	}
	if !l.owner.CompareAndSwap(nil, listening) {
		return nil, ErrLegInUse
	}
	e := &Endpoint{leg: l, pt: cfg.pt, law: cfg.law, strict: cfg.strict, onDTMF: cfg.onDTMF, done: make(chan struct{})}
	for i := range e.laws {
		e.laws[i] = PayloadNone
	}
	e.laws[codec.PayloadPCMU] = codec.PayloadPCMU
	e.laws[codec.PayloadPCMA] = codec.PayloadPCMA
	e.laws[cfg.pt] = cfg.law
	if e.onDTMF != nil {
		e.events = make(chan rune, dtmfQueue)
		go e.dispatch(e.events)
	}
	e.idle.start(cfg.timeout, cfg.onTimeout)
	// Ports released already may belong to another call: not read then,
	// as when Release closed them.
	if e.held = l.ports.hold(); e.held {
		e.readers.Add(2)
		go e.read(l.ports.RTP, e.handleRTP)
		go e.read(l.ports.RTCP, e.handleRTCP)
	}
	return e, nil
}

// Leg returns the leg the endpoint listens to.
func (e *Endpoint) Leg() *Leg { return e.leg }

// Codec returns the negotiated audio payload type and its G.711 law
// (codec.PayloadPCMU or codec.PayloadPCMA), as given to ListenCodec.
func (e *Endpoint) Codec() (pt, law uint8) { return e.pt, e.law }

// Tap adds fn to the consumers of the leg's audio: it is called with every
// 20 ms frame (FrameSamples samples) decoded from the leg, in order, on
// the endpoint's reading goroutine. pcm is valid only during the call, so
// fn copies what it keeps, and it must return quickly. untap removes fn
// and waits for a call in progress to return; it must not be called from
// a tap, and calling it again does nothing.
func (e *Endpoint) Tap(fn func(pcm []int16)) (untap func()) {
	s := &audioSink{fn: fn}
	e.sinkMu.Lock()
	e.sinks = append(e.sinks, s)
	e.sinkMu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			e.sinkMu.Lock()
			e.sinks = slices.DeleteFunc(e.sinks, func(x *audioSink) bool { return x == s })
			e.sinkMu.Unlock()
		})
	}
}

// LastActivity returns when the newest RTP packet arrived from the leg, or
// the zero time if none has: the caller's media timeout.
func (e *Endpoint) LastActivity() time.Time { return e.idle.lastActivity() }

// Counters returns a snapshot of what the endpoint received.
func (e *Endpoint) Counters() EndpointCounters {
	return EndpointCounters{
		Packets: e.counts.packets.Load(),
		Frames:  e.counts.frames.Load(),
		Dropped: e.counts.dropped.Load(),
		Events:  e.counts.events.Load(),
	}
}

// Close stops reading and gives the leg back: a relay can start on it, or
// another endpoint listen. It does not close the leg's sockets nor stop a
// Player. A DTMF callback already running is not waited for. Close is
// idempotent.
func (e *Endpoint) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	close(e.done)
	e.idle.stop()
	e.mu.Unlock()
	// As in Relay.Close: a deadline in the past wakes the readers, and is
	// cleared once they have returned; then the ports can be kept warm.
	if e.held {
		conns := []*net.UDPConn{e.leg.ports.RTP, e.leg.ports.RTCP}
		for _, c := range conns {
			_ = c.SetReadDeadline(time.Unix(1, 0))
		}
		e.readers.Wait()
		for _, c := range conns {
			_ = c.SetReadDeadline(time.Time{})
		}
		e.leg.ports.unhold()
	}
	if e.events != nil {
		close(e.events)
	}
	e.leg.owner.CompareAndSwap(listening, nil)
	return nil
}

// SetTimeoutEnabled suspends (false) or resumes (true, the default) the
// media timeout, for a leg whose phone holds the call and may stop
// sending. Resuming restarts the count from now.
func (e *Endpoint) SetTimeoutEnabled(on bool) { e.idle.setEnabled(on) }

func (e *Endpoint) closing() bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// read is the loop of one reading goroutine; it owns buf.
func (e *Endpoint) read(conn *net.UDPConn, handle func([]byte, netip.AddrPort)) {
	defer e.readers.Done()
	buf := make([]byte, packetBuffer)
	for {
		n, src, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || e.closing() {
				return
			}
			continue
		}
		if n == len(buf) {
			e.counts.dropped.Add(1)
			continue
		}
		handle(buf[:n], unmap(src))
	}
}

// handleRTCP latches the RTCP address and drops the packet: the switch
// does not act on reports from a terminated leg.
func (e *Endpoint) handleRTCP(_ []byte, src netip.AddrPort) {
	e.leg.rtcp.accept(src, e.strict)
}

// handleRTP takes one datagram from the leg's RTP socket. It is the
// per-packet path and allocates nothing (except when the leg latches to a
// new address).
func (e *Endpoint) handleRTP(pkt []byte, src netip.AddrPort) {
	if !e.leg.rtp.accept(src, e.strict) {
		e.counts.dropped.Add(1)
		return
	}
	if isRTCP(pkt) { // RTCP multiplexed on the RTP port: drained
		return
	}
	hlen, err := e.hdr.Unmarshal(pkt)
	if err != nil || e.hdr.Version != 2 {
		e.counts.dropped.Add(1)
		return
	}
	e.idle.last.Store(now())
	e.counts.packets.Add(1)
	payload := rtpPayload(pkt, hlen, e.hdr.Padding)
	if uint32(e.hdr.PayloadType) == e.leg.eventPT.Load() {
		if digit, ok := e.dtmf.detect(&e.hdr, payload); ok {
			e.digit(digit)
		}
		return
	}
	law := e.laws[e.hdr.PayloadType&0x7F]
	if law == PayloadNone || !e.inOrder() {
		e.counts.dropped.Add(1)
		return
	}
	e.decode(law, payload)
}

// inOrder refuses a duplicate or late packet of the current stream; a
// large jump either way is a restart and is taken.
func (e *Endpoint) inOrder() bool {
	h := &e.hdr
	if e.hasSeq && h.SSRC == e.lastSSRC {
		if d := int16(h.SequenceNumber - e.lastSeq); d <= 0 && d >= -maxMisorder {
			return false
		}
	}
	e.hasSeq, e.lastSSRC, e.lastSeq = true, h.SSRC, h.SequenceNumber
	return true
}

// decode expands a G.711 payload into the frame being filled and delivers
// each frame that fills up, whatever the packet size.
func (e *Endpoint) decode(law uint8, payload []byte) {
	for len(payload) > 0 {
		dst := e.frame[e.fill:]
		var n int
		if law == codec.PayloadPCMA {
			n = codec.DecodeALaw(dst, payload)
		} else {
			n = codec.DecodeULaw(dst, payload)
		}
		payload = payload[n:]
		e.fill += n
		if e.fill == FrameSamples {
			e.fill = 0
			e.deliver(e.frame[:])
		}
	}
}

func (e *Endpoint) deliver(pcm []int16) {
	e.counts.frames.Add(1)
	e.sinkMu.Lock()
	defer e.sinkMu.Unlock()
	for _, s := range e.sinks {
		s.fn(pcm)
	}
}

func (e *Endpoint) digit(d rune) {
	e.counts.events.Add(1)
	if e.events == nil {
		return
	}
	select {
	case e.events <- d:
	default: // the callback is far behind; drop rather than stall media
	}
}

// dispatch delivers detected digits to the ListenOnDTMF callback, in order.
func (e *Endpoint) dispatch(events <-chan rune) {
	for d := range events {
		if !e.closing() {
			e.onDTMF(d)
		}
	}
}
