// Package mixer runs audio conferences in the switch. A Mixer listens to
// up to six legs (rtpsession.Leg.Listen) and every 20 ms sends each member
// the sum of what the other members said, without its own voice, encoded
// in that member's codec on the leg's own output stream: a phone moved
// from a call into the conference keeps hearing one RTP stream.
//
// Each member's audio waits in a small jitter queue (rtpsession.FrameQueue)
// between the leg's reading goroutine and the mixer's tick; a member with
// nothing queued adds silence. Mixing and sending allocate nothing.
package mixer

import (
	"errors"
	"math"
	"sync"
	"time"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
)

// MaxMembers is how many legs a conference holds.
const MaxMembers = 6

// tick is the mixing interval: one frame.
const tick = 20 * time.Millisecond

// Errors of the package, to be tested with errors.Is.
var (
	// ErrFull means the conference already has MaxMembers members.
	ErrFull = errors.New("mixer: conference full (6 members)")
	// ErrMember means the leg is already in this conference.
	ErrMember = errors.New("mixer: leg already in the conference")
	// ErrNotMember means the leg is not in this conference.
	ErrNotMember = errors.New("mixer: leg not in the conference")
	// ErrClosed means the mixer has been closed.
	ErrClosed = errors.New("mixer: conference closed")
)

// Mixer is one conference. Create it with New; Close ends it. Its methods
// are safe for concurrent use.
type Mixer struct {
	mu      sync.Mutex // guards members and closed; held while a frame is mixed and sent
	members []*member
	closed  bool
	stop    chan struct{}
	done    chan struct{}

	// Scratch of the mixing tick, under mu.
	sum [rtpsession.FrameSamples]int32
	out [rtpsession.FrameSamples]int16
	enc [rtpsession.FrameSamples]byte
}

// member is one leg of the conference.
type member struct {
	leg     *rtpsession.Leg
	ep      *rtpsession.Endpoint
	pt, law uint8
	untap   func()
	queue   rtpsession.FrameQueue

	// Under Mixer.mu.
	pcm   [rtpsession.FrameSamples]int16 // this tick's frame
	has   bool                           // pcm holds audio this tick
	muted bool
}

// New starts an empty conference.
func New() *Mixer {
	m := &Mixer{stop: make(chan struct{}), done: make(chan struct{})}
	go m.run()
	return m
}

// Add listens to leg and makes it a member: from the next tick it hears
// the others and they hear it. opts go to Leg.Listen: ListenCodec says
// which payload type and law the member uses both ways (PCMU on 0 by
// default), ListenOnDTMF reports its digits. The returned endpoint belongs
// to the mixer (Remove closes it); the caller may Tap it, to record the
// member, or watch its LastActivity. Do not Play to a member meanwhile:
// the phone would get two streams in one. Add fails with ErrFull beyond
// MaxMembers, ErrMember for a member, and rtpsession.ErrLegInUse for a leg
// in a running relay or listened to elsewhere.
func (m *Mixer) Add(leg *rtpsession.Leg, opts ...rtpsession.ListenOption) (*rtpsession.Endpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.closed:
		return nil, ErrClosed
	case m.find(leg) >= 0:
		return nil, ErrMember
	case len(m.members) >= MaxMembers:
		return nil, ErrFull
	}
	ep, err := leg.Listen(opts...)
	if err != nil {
		return nil, err
	}
	mb := &member{leg: leg, ep: ep}
	mb.pt, mb.law = ep.Codec()
	mb.untap = ep.Tap(mb.queue.Push)
	m.members = append(m.members, mb)
	return ep, nil
}

// Remove takes leg out of the conference and closes its endpoint, so the
// leg is free for a relay again. Once Remove returns the mixer sends the
// leg nothing more.
func (m *Mixer) Remove(leg *rtpsession.Leg) error {
	m.mu.Lock()
	i := m.find(leg)
	if i < 0 {
		m.mu.Unlock()
		return ErrNotMember
	}
	mb := m.members[i]
	m.members = append(m.members[:i], m.members[i+1:]...)
	m.mu.Unlock()
	mb.untap()
	return mb.ep.Close()
}

// SetMuted stops (true) or restores (false) what the others hear of a
// member; the member still hears them.
func (m *Mixer) SetMuted(leg *rtpsession.Leg, muted bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(leg)
	if i < 0 {
		return ErrNotMember
	}
	m.members[i].muted = muted
	return nil
}

// Members returns the legs in the conference, in the order they joined.
func (m *Mixer) Members() []*rtpsession.Leg {
	m.mu.Lock()
	defer m.mu.Unlock()
	legs := make([]*rtpsession.Leg, len(m.members))
	for i, mb := range m.members {
		legs[i] = mb.leg
	}
	return legs
}

// Close ends the conference: it stops mixing and removes every member,
// freeing their legs. Close is idempotent.
func (m *Mixer) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	members := m.members
	m.members = nil
	close(m.stop)
	m.mu.Unlock()
	<-m.done
	var errs []error
	for _, mb := range members {
		mb.untap()
		errs = append(errs, mb.ep.Close())
	}
	return errors.Join(errs...)
}

func (m *Mixer) find(leg *rtpsession.Leg) int {
	for i, mb := range m.members {
		if mb.leg == leg {
			return i
		}
	}
	return -1
}

func (m *Mixer) run() {
	defer close(m.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		m.mix()
	}
}

// mix takes one frame from every member and sends each member the sum of
// the others'.
func (m *Mixer) mix() {
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.sum[:])
	for _, mb := range m.members {
		mb.has = mb.queue.Pop(mb.pcm[:]) && !mb.muted
		if mb.has {
			for i, s := range mb.pcm {
				m.sum[i] += int32(s)
			}
		}
	}
	for _, mb := range m.members {
		for i, v := range m.sum {
			if mb.has {
				v -= int32(mb.pcm[i])
			}
			m.out[i] = saturate(v)
		}
		if mb.law == codec.PayloadPCMA {
			codec.EncodeALaw(m.enc[:], m.out[:])
		} else {
			codec.EncodeULaw(m.enc[:], m.out[:])
		}
		// A member not reachable yet (nothing latched) just misses the frame.
		_ = mb.leg.SendAudio(mb.pt, m.enc[:])
	}
}

// saturate clamps a sum of samples to 16 bits.
func saturate(v int32) int16 {
	switch {
	case v > math.MaxInt16:
		return math.MaxInt16
	case v < math.MinInt16:
		return math.MinInt16
	}
	return int16(v)
}
