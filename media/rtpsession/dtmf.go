package rtpsession

import (
	"errors"
	"fmt"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// DTMF injection timing (RFC 4733 section 2.5).
const (
	DefaultDTMFDuration = 100 * time.Millisecond // used when InjectDTMF gets 0
	minDTMFDuration     = 40 * time.Millisecond
	dtmfUpdate          = 50 * time.Millisecond // interval of update packets
	dtmfEndPackets      = 3                     // the end packet is sent this many times
	dtmfVolume          = 10                    // -10 dBm0
)

// dtmfState remembers the newest event seen on an input, so that its
// updates and redundant end packets are not reported again.
type dtmfState struct {
	seen  bool
	ssrc  uint32
	ts    uint32
	code  uint8
	ended bool
}

// detect looks at a telephone-event packet (header h, payload) and returns
// its digit if the packet starts a new event, so that a digit is reported
// once per event. An event is identified by its SSRC and timestamp; a
// packet that continues a long event under a new timestamp (RFC 4733
// section 2.5.1.3: same code, no marker, previous not ended) is not a new
// digit.
func (s *dtmfState) detect(h *rtp.Header, payload []byte) (rune, bool) {
	ev, err := codec.UnmarshalEvent(payload)
	if err != nil {
		return 0, false
	}
	digit, ok := codec.CodeToDigit(ev.Code)
	if !ok {
		return 0, false
	}
	sameStream := s.seen && s.ssrc == h.SSRC && s.code == ev.Code
	switch {
	case sameStream && s.ts == h.Timestamp:
		s.ended = s.ended || ev.End
		return 0, false
	case sameStream && !s.ended && !h.Marker:
		s.ts, s.ended = h.Timestamp, ev.End
		return 0, false
	}
	*s = dtmfState{seen: true, ssrc: h.SSRC, ts: h.Timestamp, code: ev.Code, ended: ev.End}
	return digit, true
}

// detectDTMF looks at a telephone-event payload from the input leg and
// queues a digit for the OnDTMF callback once per event.
func (d *direction) detectDTMF(payload []byte) {
	digit, ok := d.dtmf.detect(&d.hdr, payload)
	if !ok {
		return
	}
	d.ctr.events.Add(1)
	if d.r.events != nil {
		select {
		case d.r.events <- dtmfEvent{from: d.in, digit: digit}:
		default: // the callback is far behind; drop rather than stall media
		}
		d.r.queuedDTMF()
	}
}

// dispatch delivers queued digits to the OnDTMF callback, in order, and
// returns when the queue is empty (see queuedDTMF) or closed. One runs at
// a time.
func (r *Relay) dispatch(events <-chan dtmfEvent) {
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			if !r.closed() {
				r.cfg.onDTMF(ev.from, ev.digit)
			}
			continue
		default:
		}
		r.dispatching.Store(false)
		// A digit queued after the queue looked empty, but before the flag
		// was cleared, found the flag set and started nobody: take it.
		if len(events) == 0 || !r.dispatching.CompareAndSwap(false, true) {
			return
		}
	}
}

// InjectDTMF sends digit toward leg to as an RFC 4733 event in the relay's
// output stream to that leg (same SSRC, sequence numbers and timeline as
// the forwarded audio): a first packet with the marker bit, an update every
// 50 ms, and the end packet three times, all with the timestamp of the
// event's start. Audio forwarded in that direction is withheld meanwhile.
// It blocks for about duration (DefaultDTMFDuration if 0; at least 40 ms)
// and returns early with ErrClosed if the relay is closed. Injections
// toward the same leg are serialised. The leg must have an event payload
// type (SetEventPayloadType) and the relay must be running.
func (r *Relay) InjectDTMF(to *Leg, digit rune, duration time.Duration) error {
	d, err := r.towards(to)
	if err != nil {
		return err
	}
	code, ok := codec.DigitToCode(digit)
	if !ok {
		return fmt.Errorf("rtpsession: %q is not a DTMF digit", digit)
	}
	pt := to.EventPayloadType()
	if pt == PayloadNone {
		return errors.New("rtpsession: leg has no telephone-event payload type")
	}
	if duration == 0 {
		duration = DefaultDTMFDuration
	}
	duration = max(duration, minDTMFDuration)
	maxDur := time.Duration(0xFFFF) * time.Second / time.Duration(r.cfg.rate)
	duration = min(duration, maxDur)

	r.mu.Lock()
	state := r.state
	r.mu.Unlock()
	if state != stateRunning {
		return ErrClosed
	}
	d.tx.injectMu.Lock()
	defer d.tx.injectMu.Unlock()
	return d.inject(pt, code, duration)
}

// inject runs one event; the caller holds injectMu. It holds the output
// leg's ports, since Close does not wait for it.
func (d *direction) inject(pt, code uint8, duration time.Duration) error {
	if !d.out.ports.hold() {
		return ErrClosed
	}
	defer d.out.ports.unhold()
	g := eventSender{d: d, pt: pt, ev: codec.Event{Code: code, Volume: dtmfVolume}}
	d.tx.mu.Lock()
	d.tx.injecting = true
	start := now()
	g.ts = d.tx.st.eventTimestamp(start)
	d.tx.mu.Unlock()
	defer d.endInjection()

	g.send(true)
	tick := time.NewTicker(dtmfUpdate)
	defer tick.Stop()
	for {
		select {
		case <-d.r.done:
			return ErrClosed
		case <-tick.C:
		}
		elapsed := time.Duration(now() - start)
		if elapsed >= duration {
			break
		}
		g.ev.Duration = d.r.ticks(elapsed)
		g.send(false)
	}
	g.ev.Duration, g.ev.End = d.r.ticks(duration), true
	for range dtmfEndPackets {
		g.send(false)
	}
	return nil
}

func (d *direction) endInjection() {
	d.tx.mu.Lock()
	d.tx.injecting = false
	d.tx.st.mark = true
	d.tx.mu.Unlock()
}

func (r *Relay) ticks(t time.Duration) uint16 {
	return uint16(min(uint64(t)*uint64(r.cfg.rate)/uint64(time.Second), 0xFFFF))
}

// eventSender builds and sends the packets of one injected event.
type eventSender struct {
	d   *direction
	pt  uint8
	ts  uint32
	ev  codec.Event
	buf [64]byte
}

func (g *eventSender) send(marker bool) {
	d := g.d
	d.tx.mu.Lock()
	seq := d.tx.st.generated(g.ts, now())
	d.tx.mu.Unlock()
	h := rtp.Header{
		Version:        2,
		Marker:         marker,
		PayloadType:    g.pt,
		SequenceNumber: seq,
		Timestamp:      g.ts,
		SSRC:           d.tx.st.ssrc,
	}
	n, err := h.MarshalTo(g.buf[:])
	if err != nil {
		return
	}
	m, err := g.ev.Marshal(g.buf[n:])
	if err != nil {
		return
	}
	if d.send(g.buf[:n+m]) {
		d.ctr.injected.Add(1)
	}
}
