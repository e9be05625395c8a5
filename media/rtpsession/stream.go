package rtpsession

import (
	"math/rand/v2"
	"time"
)

// Limits of what counts as the same input stream (RFC 3550 appendix A.1).
const (
	maxDropout  = 3000 // a forward sequence jump larger than this is a restart
	maxMisorder = 100  // so is a backward jump larger than this
	// staleSSRC is how long packets of the previous input SSRC are dropped
	// after a change, so that a few late or reordered ones do not switch
	// the mapping back and forth.
	staleSSRC = 500 * time.Millisecond
)

// stream is the output side of one direction: a fixed SSRC and sequence
// numbers and timestamps that stay continuous whatever the input does.
// Input packets are mapped with offsets (output = input + offset), which
// keeps the input's own gaps and reordering visible to the receiver. The
// offsets are recomputed (re-based) when the input restarts (a new SSRC or
// a sequence jump) and after the switch generated audio on the stream
// (SendAudio, Player). Then the next output sequence number is the last
// one + 1 and the timestamp advances by the wall-clock time since the last
// output packet, at least one frame. A re-based stream sets the marker bit, as at
// the start of a talkspurt. The caller serialises access.
type stream struct {
	rate uint32 // RTP clock rate
	ssrc uint32 // output SSRC

	live      bool // something has been sent
	hasInput  bool // an input packet has been admitted
	inSSRC    uint32
	prevSSRC  uint32
	changedAt int64 // clock (now) of the last input SSRC change
	lastInSeq uint16
	lastInTS  uint32
	inOrder   bool   // the last admitted packet advanced lastInSeq
	frame     uint32 // timestamp step of the input, in clock units

	seqOff  uint16
	tsOff   uint32
	lastSeq uint16 // newest output sequence number
	lastTS  uint32 // and its timestamp
	lastAt  int64  // clock (now) of the newest output packet
	mark    bool   // set the marker on the next output packet
	resync  bool   // generated audio was sent (send.go): re-base the next input packet
}

// epoch anchors the package's clock: now returns monotonic nanoseconds
// since then. Output streams outlive relays, so they share one clock.
var epoch = time.Now()

func now() int64 { return int64(time.Since(epoch)) }

func newStream(rate uint32) stream {
	return stream{rate: rate, ssrc: rand.Uint32(), frame: rate / 50}
}

// admit registers an input packet and reports whether it may be forwarded:
// false for a late packet of the previous SSRC.
func (s *stream) admit(ssrc uint32, seq uint16, ts uint32, now int64) bool {
	s.inOrder = true
	switch {
	case !s.hasInput:
		s.hasInput, s.inSSRC, s.changedAt = true, ssrc, now
		s.rebase(seq, ts, now)
	case ssrc != s.inSSRC:
		if ssrc == s.prevSSRC && now-s.changedAt < int64(staleSSRC) {
			return false
		}
		s.prevSSRC, s.inSSRC, s.changedAt = s.inSSRC, ssrc, now
		s.rebase(seq, ts, now)
	case s.resync: // the input's timeline is not the generated one's
		s.rebase(seq, ts, now)
	default:
		delta := int16(seq - s.lastInSeq)
		switch {
		case delta > maxDropout || delta < -maxMisorder:
			s.rebase(seq, ts, now)
		case delta <= 0: // duplicate or reordered: mapped, but not newest
			s.inOrder = false
			return true
		case delta == 1:
			if step := ts - s.lastInTS; step > 0 && step <= s.rate {
				s.frame = step
			}
		}
	}
	s.lastInSeq, s.lastInTS = seq, ts
	return true
}

// rebase maps the input packet (seq, ts) to follow the newest output
// packet, starting the output at random values if nothing was sent yet.
func (s *stream) rebase(seq uint16, ts uint32, now int64) {
	s.begin(now)
	s.seqOff = s.lastSeq + 1 - seq
	s.tsOff = s.lastTS + s.advance(now) - ts
	s.mark = true
	s.resync = false
}

func (s *stream) begin(now int64) {
	if !s.live {
		s.live = true
		s.lastSeq = uint16(rand.Uint32())
		s.lastTS = rand.Uint32()
		s.lastAt = now
	}
}

// advance is how far the timestamp moves from the newest output packet to
// a packet sent now: the elapsed wall-clock time, at least one frame.
func (s *stream) advance(now int64) uint32 {
	ticks := uint32(uint64(max(now-s.lastAt, 0)) * uint64(s.rate) / uint64(time.Second))
	return max(ticks, s.frame)
}

// emit maps an admitted input packet to its output sequence number,
// timestamp and whether to force the marker bit.
func (s *stream) emit(seq uint16, ts uint32, now int64) (uint16, uint32, bool) {
	outSeq, outTS := seq+s.seqOff, ts+s.tsOff
	if int16(outSeq-s.lastSeq) > 0 {
		s.lastSeq, s.lastTS = outSeq, outTS
	}
	s.lastAt = now
	mark := s.mark
	s.mark = false
	return outSeq, outTS, mark
}

// skip withholds an admitted input packet (mute, dropped payload type,
// injection in progress) without leaving a hole in the output sequence.
func (s *stream) skip() {
	if s.inOrder {
		s.seqOff--
	}
	s.mark = true
}

// eventTimestamp returns the timestamp for a generated event starting now.
func (s *stream) eventTimestamp(now int64) uint32 {
	s.begin(now)
	return s.lastTS + s.advance(now)
}

// generated takes the next output sequence number for a packet the relay
// makes itself, shifting the input mapping so forwarded packets follow it.
func (s *stream) generated(ts uint32, now int64) uint16 {
	s.begin(now)
	s.lastSeq++
	s.seqOff++
	s.lastTS, s.lastAt = ts, now
	return s.lastSeq
}

// view is a snapshot of the mapping, for translating RTCP.
type view struct {
	outSSRC  uint32
	inSSRC   uint32
	hasInput bool
	seqOff   uint16
	tsOff    uint32
}

func (s *stream) view() view {
	return view{outSSRC: s.ssrc, inSSRC: s.inSSRC, hasInput: s.hasInput, seqOff: s.seqOff, tsOff: s.tsOff}
}
