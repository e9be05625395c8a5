package rtpsession

import (
	"errors"
	"sync"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// Source produces 8 kHz audio for a Player, one 20 ms frame at a time.
type Source interface {
	// Read fills pcm (160 samples) with the next frame.
	Read(pcm []int16)
}

// ErrBridged means the leg is in a running relay and cannot play.
var ErrBridged = errors.New("rtpsession: leg is bridged by a running relay")

// Player sends generated audio (music on hold, tones, prompts) to a leg
// that is not bridged, continuing the leg's output stream: same SSRC,
// sequence numbers and timestamps that follow what the relay sent before,
// so the phone hears one stream.
type Player struct {
	leg  *Leg
	src  Source
	pt   uint8
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// Play starts sending src to the leg, encoded for payload type pt (PCMU
// or PCMA), every 20 ms until Stop. The leg must not be in a running relay.
func (l *Leg) Play(src Source, pt uint8) (*Player, error) {
	if l.owner.Load() != nil {
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

func (p *Player) run() {
	defer close(p.done)
	pcm := make([]int16, codec.ToneBlock)
	buf := make([]byte, 12+codec.ToneBlock)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	first := true
	for {
		select {
		case <-p.stop:
			p.leg.tx.mu.Lock()
			p.leg.tx.st.mark = true
			p.leg.tx.mu.Unlock()
			return
		case <-tick.C:
		}
		p.src.Read(pcm)
		if p.pt == codec.PayloadPCMA {
			codec.EncodeALaw(buf[12:], pcm)
		} else {
			codec.EncodeULaw(buf[12:], pcm)
		}
		p.send(buf, first)
		first = false
	}
}

// send stamps and sends one frame already encoded after the header room.
func (p *Player) send(buf []byte, first bool) {
	dest, ok := p.leg.rtp.dest()
	if !ok {
		return
	}
	tx := &p.leg.tx
	tx.mu.Lock()
	t := now()
	ts := tx.st.eventTimestamp(t)
	seq := tx.st.generated(ts, t)
	tx.mu.Unlock()
	h := rtp.Header{Version: 2, Marker: first, PayloadType: p.pt, SequenceNumber: seq, Timestamp: ts, SSRC: tx.st.ssrc}
	if _, err := h.MarshalTo(buf[:12]); err != nil {
		return
	}
	_, _ = p.leg.ports.RTP.WriteToUDPAddrPort(buf, dest)
}
