package rtpsession

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// TestPlayerFiniteSource plays a 300 ms prompt to a listened leg: the
// phone hears it, in 15 consecutive packets of one stream, and the player
// stops by itself and says it completed.
func TestPlayerFiniteSource(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	leg.SetRemote(p.rtpAddr())
	listen(t, leg)
	prompt := make([]int16, 2400)
	codec.Sine(prompt, 1000, 8000, nil)
	pl, err := leg.Play(codec.NewClip(prompt), codec.PayloadPCMA)
	if err != nil {
		t.Fatal(err)
	}
	heard := make([]int16, 0, len(prompt))
	first := p.recvRTP()
	prev := first
	for range 14 {
		pkt := p.recvRTP()
		if pkt.SSRC != first.SSRC || pkt.SequenceNumber != prev.SequenceNumber+1 || int32(pkt.Timestamp-prev.Timestamp) < 160 {
			t.Fatalf("packet seq %d ts %d SSRC %#x after seq %d ts %d SSRC %#x",
				pkt.SequenceNumber, pkt.Timestamp, pkt.SSRC, prev.SequenceNumber, prev.Timestamp, prev.SSRC)
		}
		n := len(heard)
		heard = heard[:n+len(pkt.Payload)]
		codec.DecodeALaw(heard[n:], pkt.Payload)
		prev = pkt
	}
	if !first.Marker || first.PayloadType != codec.PayloadPCMA {
		t.Errorf("first packet: marker %v, type %d", first.Marker, first.PayloadType)
	}
	select {
	case <-pl.Done():
	case <-time.After(recvTimeout):
		t.Fatal("the player did not stop at the end of the prompt")
	}
	if !pl.Completed() {
		t.Error("Completed is false after the prompt ended")
	}
	// Nothing follows the prompt. Done means the last packet has been
	// sent, and loopback delivers it at once, so a short wait suffices.
	if err := p.ports.RTP.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n, err := p.ports.RTP.Read(p.buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("a packet of %d bytes after the prompt (%v)", n, err)
	}
	if !codec.DetectTone(heard, 1000) {
		t.Errorf("prompt tone not heard (fraction %.3f)", codec.ToneFraction(heard, 1000))
	}
	pl.Stop() // after the end: returns at once
}

func TestPlayerStopIsNotCompletion(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	leg.SetRemote(p.rtpAddr())
	pl, err := leg.Play(codec.NewClip(make([]int16, 80000)), codec.PayloadPCMU)
	if err != nil {
		t.Fatal(err)
	}
	p.recvRTP()
	pl.Stop()
	select {
	case <-pl.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	if pl.Completed() {
		t.Error("Completed after Stop")
	}
}
