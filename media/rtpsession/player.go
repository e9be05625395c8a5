package rtpsession

import (
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// Source produces 8 kHz audio for a Player, one 20 ms frame at a time.
type Source interface {
	// Read fills pcm (160 samples) with the next frame.
	Read(pcm []int16)
}

// FiniteSource is a Source that ends, such as a prompt (codec.Clip): a
// Player stops by itself once Done reports true, after the frames read
// before have gone out.
type FiniteSource interface {
	Source
	// Done reports whether the source has nothing more to play.
	Done() bool
}

// ErrBridged means the leg is in a running relay and cannot play.
var ErrBridged = errors.New("rtpsession: leg is bridged by a running relay")

// Player sends generated audio (music on hold, tones, prompts) to a leg
// that is not bridged, continuing the leg's output stream: same SSRC,
// sequence numbers and timestamps that follow what the relay sent before,
// so the phone hears one stream.
type Player struct {
	leg       *Leg
	src       Source
	pt        uint8
	stop      chan struct{}
	done      chan struct{}
	once      sync.Once
	completed atomic.Bool
}

// Play starts sending src to the leg, encoded for payload type pt (PCMU
// or PCMA), every 20 ms until Stop or, for a FiniteSource, until the
// source is done. The leg must not be in a running relay; a leg listened
// to by an Endpoint can play.
func (l *Leg) Play(src Source, pt uint8) (*Player, error) {
	if l.bridged() {
		return nil, ErrBridged
	}
	if pt != codec.PayloadPCMU && pt != codec.PayloadPCMA {
		return nil, errors.New("rtpsession: a player sends PCMU or PCMA only")
	}
	p := &Player{leg: l, src: src, pt: pt, stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p, nil
}

// Stop ends playing and waits for the last packet to go out.
func (p *Player) Stop() {
	p.once.Do(func() { close(p.stop) })
	<-p.done
}

// Done returns a channel closed when the player has stopped: by Stop, or
// by itself at the end of a FiniteSource.
func (p *Player) Done() <-chan struct{} { return p.done }

// Completed reports whether the player stopped because its source was
// done, rather than by Stop (false while it plays).
func (p *Player) Completed() bool { return p.completed.Load() }

func (p *Player) run() {
	defer close(p.done)
	fin, finite := p.src.(FiniteSource)
	pcm := make([]int16, codec.ToneBlock)
	buf := make([]byte, rtpHeaderSize+codec.ToneBlock)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	first := true
	for {
		select {
		case <-p.stop:
			p.end()
			return
		case <-tick.C:
		}
		if finite && fin.Done() {
			p.completed.Store(true)
			p.end()
			return
		}
		p.src.Read(pcm)
		if p.pt == codec.PayloadPCMA {
			codec.EncodeALaw(buf[rtpHeaderSize:], pcm)
		} else {
			codec.EncodeULaw(buf[rtpHeaderSize:], pcm)
		}
		if p.leg.sendGenerated(buf, p.pt, codec.ToneBlock, first) == nil {
			first = false
		}
	}
}

// end makes whatever the leg's output carries next start a talkspurt.
func (p *Player) end() {
	p.leg.tx.mu.Lock()
	p.leg.tx.st.mark = true
	p.leg.tx.mu.Unlock()
}
