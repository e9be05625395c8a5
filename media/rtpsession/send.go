package rtpsession

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// rtpHeaderSize is the size of the fixed RTP header the switch writes on
// the packets it generates (no CSRC, no extension).
const rtpHeaderSize = 12

// maxAudioPayload is the largest payload SendAudio accepts.
const maxAudioPayload = packetBuffer - rtpHeaderSize

// ErrNoRemote means a leg has nowhere to send yet: no SDP address and
// nothing latched.
var ErrNoRemote = errors.New("rtpsession: leg has no remote address yet")

// sendBuffers hold the packets SendAudio builds, so that sending allocates
// nothing once the pool is warm.
var sendBuffers = sync.Pool{New: func() any {
	b := make([]byte, packetBuffer)
	return &b
}}

// generatedAudio remembers the newest audio packet the switch generated on
// a leg's output stream (SendAudio, Player), so that the next one can
// continue its timeline exactly instead of following the wall clock.
type generatedAudio struct {
	at  int64  // clock (now) when it was sent, 0 if none
	ts  uint32 // its timestamp
	dur uint32 // its duration in timestamp units
}

// SendAudio sends one frame of G.711 audio to the leg on the leg's output
// stream, the one a relay forwards into and a Player plays into: same SSRC,
// the next sequence number, and a timestamp that follows the previous
// frame sent this way (or, after a pause or another sender, the wall
// clock), so the phone hears one stream whatever fed it before. The
// payload's length is its duration in samples, as for PCMU and PCMA; it is
// copied, and sending allocates nothing. Frames are expected every 20 ms
// or so from one sender at a time, such as a conference mixer.
//
// It refuses a leg in a running relay (ErrBridged) and returns ErrNoRemote
// while the leg has no address to send to. A listened leg (Listen) is fine.
func (l *Leg) SendAudio(pt uint8, payload []byte) error {
	switch {
	case pt > 127:
		return fmt.Errorf("rtpsession: payload type %d above 127", pt)
	case len(payload) == 0 || len(payload) > maxAudioPayload:
		return fmt.Errorf("rtpsession: audio payload of %d bytes, want 1 to %d", len(payload), maxAudioPayload)
	case l.bridged():
		return ErrBridged
	}
	bp := sendBuffers.Get().(*[]byte)
	defer sendBuffers.Put(bp)
	buf := (*bp)[:rtpHeaderSize+len(payload)]
	copy(buf[rtpHeaderSize:], payload)
	return l.sendGenerated(buf, pt, uint32(len(payload)), false)
}

// bridged reports whether a running relay owns the leg.
func (l *Leg) bridged() bool {
	o := l.owner.Load()
	return o != nil && o != listening
}

// sendGenerated stamps buf, an RTP header's room followed by a payload of
// samples timestamp units, as the next packet of the leg's output stream
// and sends it. marker forces the marker bit; it is also set when the
// timeline had to jump.
func (l *Leg) sendGenerated(buf []byte, pt uint8, samples uint32, marker bool) error {
	dest, ok := l.rtp.dest()
	if !ok {
		return ErrNoRemote
	}
	tx := &l.tx
	tx.mu.Lock()
	seq, ts, jump := tx.nextAudio(now(), samples)
	ssrc := tx.st.ssrc
	tx.mu.Unlock()
	buf[0] = 0x80 // version 2, no padding, extension or CSRC
	writeHeader(buf, pt, marker || jump, seq, ts, ssrc)
	if !l.ports.hold() { // released: the socket may be another call's
		return net.ErrClosed
	}
	_, err := l.ports.RTP.WriteToUDPAddrPort(buf, dest)
	l.ports.unhold()
	return err
}

// nextAudio takes the sequence number and timestamp of a generated audio
// packet of dur timestamp units sent at t. It continues the previous
// generated packet's timeline when that was the newest packet of the
// stream and was sent recently (within three of its durations); otherwise
// it follows the wall clock like an injected event, and reports a jump,
// which is also reported when the stream asked for a marker. A packet
// forwarded afterwards is re-based onto this timeline. The caller holds
// o.mu.
func (o *output) nextAudio(t int64, dur uint32) (seq uint16, ts uint32, jump bool) {
	s, g := &o.st, &o.gen
	recent := int64(g.dur) * 3 * int64(time.Second) / int64(max(s.rate, 1))
	if s.live && g.at != 0 && s.lastAt == g.at && s.lastTS == g.ts && t-g.at < recent {
		ts = g.ts + g.dur
	} else {
		ts, jump = s.eventTimestamp(t), true
	}
	jump = jump || s.mark
	s.mark = false
	seq = s.generated(ts, t)
	s.resync = true
	*g = generatedAudio{at: t, ts: ts, dur: dur}
	return seq, ts, jump
}
