package rtpsession

import (
	"errors"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// eventPacket builds the RTP header and payload of one telephone-event packet.
func eventPacket(pt uint8, seq uint16, ts uint32, marker bool, ev codec.Event) (rtp.Header, []byte) {
	b := make([]byte, codec.EventSize)
	if _, err := ev.Marshal(b); err != nil {
		panic(err)
	}
	return rtp.Header{PayloadType: pt, SequenceNumber: seq, Timestamp: ts, SSRC: 0xD7, Marker: marker}, b
}

type sentEvent struct {
	ts      uint32
	marker  bool
	code    uint8
	end     bool
	dur     uint16
	segment bool // a long-event continuation under a new timestamp
}

// press returns the packets of one complete event as a phone sends it.
func press(code uint8, ts uint32) []sentEvent {
	return []sentEvent{
		{ts: ts, marker: true, code: code},
		{ts: ts, code: code, dur: 400},
		{ts: ts, code: code, dur: 800},
		{ts: ts, code: code, end: true, dur: 960},
		{ts: ts, code: code, end: true, dur: 960},
		{ts: ts, code: code, end: true, dur: 960},
	}
}

func TestRelayDetectsDTMF(t *testing.T) {
	t.Parallel()
	type digit struct {
		from  *Leg
		digit rune
	}
	got := make(chan digit, 32)
	c := newCall(t, OnDTMF(func(from *Leg, d rune) { got <- digit{from, d} }))
	c.a.SetEventPayloadType(101)
	c.r.SetPayloadMap(AToB, map[uint8]uint8{101: 96})

	var seq []sentEvent
	seq = append(seq, press(5, 1000)...)
	seq = append(seq, press(11, 3000)[1:]...) // '#', start packet lost
	seq = append(seq, press(1, 5000)[:2]...)  // '1', held long: a second segment
	seq = append(seq, sentEvent{ts: 5000 + 65535, code: 1, dur: 100, segment: true})
	seq = append(seq, press(1, 5000+65535)[3:]...)
	seq = append(seq, press(16, 80000)...) // flash: not a digit
	seq = append(seq, press(5, 90000)...)  // '5' again: a new event
	seq = append(seq, press(9, 99000)...)  // sentinel
	for i, e := range seq {
		h, payload := eventPacket(101, uint16(i), e.ts, e.marker, codec.Event{Code: e.code, End: e.end, Volume: 10, Duration: e.dur})
		c.pa.sendRTP(c.a, h, payload)
	}
	// B's phone, whose leg has no event payload type, is not listened to.
	h, payload := eventPacket(101, 1, 7000, true, codec.Event{Code: 3})
	c.pb.sendRTP(c.b, h, payload)

	var digits []rune
	for len(digits) == 0 || digits[len(digits)-1] != '9' {
		select {
		case d := <-got:
			if d.from != c.a {
				t.Errorf("digit %q reported from the wrong leg", d.digit)
			}
			digits = append(digits, d.digit)
		case <-time.After(recvTimeout):
			t.Fatalf("digits so far %q; the sentinel 9 never came", string(digits))
		}
	}
	if string(digits) != "5#159" {
		t.Errorf("digits %q, want %q", string(digits), "5#159")
	}
	if n := c.r.Counters(AToB).Events; n != 5 {
		t.Errorf("Events counter %d, want 5", n)
	}
	// The events are forwarded too, with B's payload type.
	if p := c.pb.recvRTP(); p.PayloadType != 96 || !p.Marker {
		t.Errorf("first forwarded event: PT %d marker %v", p.PayloadType, p.Marker)
	}
}

// received sorts what B's phone got during an injection.
type received struct {
	audio, events []*rtp.Packet
	all           []*rtp.Packet
}

func collectInjection(t *testing.T, p *phone, eventPT uint8) received {
	t.Helper()
	var r received
	ends := 0
	for ends < dtmfEndPackets {
		pkt := p.recvRTP()
		r.all = append(r.all, pkt)
		if pkt.PayloadType != eventPT {
			r.audio = append(r.audio, pkt)
			continue
		}
		r.events = append(r.events, pkt)
		if ev, err := codec.UnmarshalEvent(pkt.Payload); err == nil && ev.End {
			ends++
		}
	}
	return r
}

func TestRelayInjectDTMF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		flowing bool // audio keeps arriving from A during the event
	}{
		{"idle input", false},
		{"audio flowing", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCall(t)
			c.b.SetEventPayloadType(96)
			for i := range 3 {
				c.pa.sendRTP(c.a, audio(uint16(i), uint32(160*i), 0xA), frame(1))
			}
			var before []*rtp.Packet
			for range 3 {
				before = append(before, c.pb.recvRTP())
			}
			stop := make(chan struct{})
			done := make(chan struct{})
			if tc.flowing {
				go sendAudio(c, 3, stop, done)
			} else {
				close(done)
			}
			err := c.r.InjectDTMF(c.b, '7', 120*time.Millisecond)
			if err != nil {
				t.Fatal(err)
			}
			got := collectInjection(t, c.pb, 96)
			defer func() { close(stop); <-done }()
			checkInjected(t, c.r, before[len(before)-1], got)
			if tc.flowing {
				// Audio resumes after the event, continuing the sequence.
				after := c.pb.recvRTP()
				for after.PayloadType != 0 {
					after = c.pb.recvRTP()
				}
				last := got.events[len(got.events)-1]
				if after.SequenceNumber != last.SequenceNumber+1 || !after.Marker {
					t.Errorf("audio after the event: seq %d (event ended at %d), marker %v", after.SequenceNumber, last.SequenceNumber, after.Marker)
				}
			}
		})
	}
}

func sendAudio(c *call, seq uint16, stop, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for ; ; seq++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		c.pa.sendRTP(c.a, audio(seq, uint32(seq)*160, 0xA), frame(2))
	}
}

func checkInjected(t *testing.T, r *Relay, lastAudio *rtp.Packet, got received) {
	t.Helper()
	if len(got.audio) != 0 {
		t.Errorf("%d audio packets were forwarded during the event", len(got.audio))
	}
	if len(got.events) < 2+dtmfEndPackets {
		t.Fatalf("%d event packets, want a start, updates and %d ends", len(got.events), dtmfEndPackets)
	}
	first := got.events[0]
	if first.Timestamp-lastAudio.Timestamp < 160 || first.Timestamp-lastAudio.Timestamp > 8000*recvTimeoutSeconds {
		t.Errorf("event timestamp %d does not follow the audio's %d", first.Timestamp, lastAudio.Timestamp)
	}
	prevSeq, prevDur := lastAudio.SequenceNumber, uint16(0)
	for i, p := range got.events {
		ev, err := codec.UnmarshalEvent(p.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if d, _ := codec.CodeToDigit(ev.Code); d != '7' {
			t.Errorf("packet %d carries %q", i, d)
		}
		if p.SSRC != r.SSRC(AToB) || p.Timestamp != first.Timestamp || p.SequenceNumber != prevSeq+1 {
			t.Errorf("packet %d: SSRC %#x ts %d seq %d; want SSRC %#x ts %d seq %d",
				i, p.SSRC, p.Timestamp, p.SequenceNumber, r.SSRC(AToB), first.Timestamp, prevSeq+1)
		}
		if p.Marker != (i == 0) {
			t.Errorf("packet %d: marker %v", i, p.Marker)
		}
		wantEnd := i >= len(got.events)-dtmfEndPackets
		if ev.End != wantEnd || ev.Duration < prevDur || ev.Volume != dtmfVolume {
			t.Errorf("packet %d: %+v after duration %d", i, ev, prevDur)
		}
		if wantEnd && ev.Duration != 960 {
			t.Errorf("end packet %d: duration %d, want 960 (120 ms)", i, ev.Duration)
		}
		prevSeq, prevDur = p.SequenceNumber, ev.Duration
	}
	if n := r.Counters(AToB).Injected; n != uint64(len(got.events)) {
		t.Errorf("Injected counter %d, %d packets received", n, len(got.events))
	}
}

func TestInjectDTMFStopsOnClose(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.b.SetEventPayloadType(101)
	errc := make(chan error, 1)
	go func() { errc <- c.r.InjectDTMF(c.b, '#', 5*time.Second) }()
	if p := c.pb.recvRTP(); !p.Marker || p.PayloadType != 101 {
		t.Fatalf("first packet: PT %d marker %v", p.PayloadType, p.Marker)
	}
	c.r.Close()
	select {
	case err := <-errc:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("InjectDTMF = %v, want ErrClosed", err)
		}
	case <-time.After(recvTimeout):
		t.Fatal("InjectDTMF still running after Close")
	}
}

func eventOf(digit rune) codec.Event {
	code, _ := codec.DigitToCode(digit)
	return codec.Event{Code: code, Volume: 10}
}
