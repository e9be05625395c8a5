package rtpsession

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/pion/rtp"
)

func TestRelayForwardsBothWays(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	if c.r.SSRC(AToB) == c.r.SSRC(BToA) {
		t.Fatal("both directions share an output SSRC")
	}
	tests := []struct {
		name     string
		from, to *phone
		leg      *Leg
		dir      Direction
		ssrc     uint32
	}{
		{"a to b", c.pa, c.pb, c.a, AToB, 0x1111},
		{"b to a", c.pb, c.pa, c.b, BToA, 0x2222},
	}
	for _, tc := range tests {
		var first *rtp.Packet
		for i := range 20 {
			payload := frame(byte(i))
			tc.from.sendRTP(tc.leg, audio(uint16(1000+i), uint32(5000+160*i), tc.ssrc), payload)
			got := tc.to.recvRTP()
			if !bytes.Equal(got.Payload, payload) {
				t.Fatalf("%s: packet %d payload differs", tc.name, i)
			}
			if got.SSRC != c.r.SSRC(tc.dir) {
				t.Fatalf("%s: SSRC %#x, want the relay's %#x", tc.name, got.SSRC, c.r.SSRC(tc.dir))
			}
			if first == nil {
				first = got
				continue
			}
			if want := first.SequenceNumber + uint16(i); got.SequenceNumber != want {
				t.Fatalf("%s: seq %d, want %d", tc.name, got.SequenceNumber, want)
			}
			if want := first.Timestamp + uint32(160*i); got.Timestamp != want {
				t.Fatalf("%s: timestamp %d, want %d", tc.name, got.Timestamp, want)
			}
			if got.Marker {
				t.Fatalf("%s: marker on packet %d", tc.name, i)
			}
		}
		if !first.Marker {
			t.Errorf("%s: first packet has no marker", tc.name)
		}
		// The counter moves just after the send, so it may lag the receive.
		waitFor(t, "the packet counter", func() bool { return c.r.Counters(tc.dir).Packets == 20 })
		ctr := c.r.Counters(tc.dir)
		if ctr.Packets != 20 || ctr.Bytes != 20*172 || ctr.Dropped != 0 {
			t.Errorf("%s: counters %+v", tc.name, ctr)
		}
	}
}

func TestRelayContinuousAcrossInputChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		ssrc      uint32 // second stream
		seq       uint16
		ts        uint32
		wantMark  bool
		sameTSOff bool // the timestamp mapping is kept
	}{
		{"new SSRC (re-INVITE or transfer)", 0xBEEF, 40000, 123456789, true, false},
		{"same SSRC, sequence restarts", 0xAAAA, 60000, 99, true, false},
		{"same SSRC, small loss", 0xAAAA, 107, 1600 + 160*7, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCall(t)
			var last *rtp.Packet
			for i := range 5 {
				c.pa.sendRTP(c.a, audio(uint16(100+i), uint32(1600+160*i), 0xAAAA), frame(1))
				last = c.pb.recvRTP()
			}
			c.pa.sendRTP(c.a, audio(tc.seq, tc.ts, tc.ssrc), frame(2))
			got := c.pb.recvRTP()
			if got.SSRC != last.SSRC {
				t.Errorf("SSRC changed from %#x to %#x", last.SSRC, got.SSRC)
			}
			wantSeq := last.SequenceNumber + 1
			if tc.sameTSOff {
				wantSeq = last.SequenceNumber + (tc.seq - 104)
			}
			if got.SequenceNumber != wantSeq {
				t.Errorf("seq %d after %d, want %d", got.SequenceNumber, last.SequenceNumber, wantSeq)
			}
			step := got.Timestamp - last.Timestamp
			if tc.sameTSOff && step != tc.ts-(1600+160*4) {
				t.Errorf("timestamp step %d, want the input's", step)
			}
			if step < 160 || step > 8000*recvTimeoutSeconds {
				t.Errorf("timestamp advanced by %d", step)
			}
			if got.Marker != tc.wantMark {
				t.Errorf("marker %v, want %v", got.Marker, tc.wantMark)
			}
			c.pa.sendRTP(c.a, audio(tc.seq+1, tc.ts+160, tc.ssrc), frame(3))
			next := c.pb.recvRTP()
			if next.SequenceNumber != got.SequenceNumber+1 || next.Timestamp != got.Timestamp+160 || next.Marker {
				t.Errorf("packet after the change: seq %d ts %d marker %v; previous seq %d ts %d",
					next.SequenceNumber, next.Timestamp, next.Marker, got.SequenceNumber, got.Timestamp)
			}
		})
	}
}

const recvTimeoutSeconds = uint32(recvTimeout / 1e9)

func TestRelayPayloadMap(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.r.SetPayloadMap(AToB, map[uint8]uint8{101: 96, 13: PayloadNone})
	c.r.SetPayloadMap(BToA, map[uint8]uint8{96: 101})
	steps := []struct {
		from, to *phone
		leg      *Leg
		pt       uint8
		want     uint8 // PayloadNone: not delivered
	}{
		{c.pa, c.pb, c.a, 0, 0},
		{c.pa, c.pb, c.a, 101, 96},
		{c.pa, c.pb, c.a, 13, PayloadNone},
		{c.pa, c.pb, c.a, 8, 8},
		{c.pb, c.pa, c.b, 96, 101},
		{c.pb, c.pa, c.b, 101, 101},
	}
	seqs := map[*phone]uint16{}
	for i, s := range steps {
		h := audio(uint16(10+i), uint32(160*i), 0x77)
		h.PayloadType = s.pt
		s.from.sendRTP(s.leg, h, frame(byte(i)))
		if s.want == PayloadNone {
			continue
		}
		got := s.to.recvRTP()
		if got.PayloadType != s.want || got.Payload[0] != byte(i) {
			t.Errorf("step %d: PT %d payload %d, want PT %d payload %d", i, got.PayloadType, got.Payload[0], s.want, i)
		}
		if prev, ok := seqs[s.to]; ok && got.SequenceNumber != prev+1 {
			t.Errorf("step %d: seq %d after %d: a dropped payload type left a gap", i, got.SequenceNumber, prev)
		}
		seqs[s.to] = got.SequenceNumber
	}
	if m := c.r.Counters(AToB).Muted; m != 1 {
		t.Errorf("Muted counter %d, want 1", m)
	}
	c.r.SetPayloadMap(AToB, nil)
	c.pa.sendRTP(c.a, rtp.Header{PayloadType: 101, SequenceNumber: 20, Timestamp: 3200, SSRC: 0x77}, frame(9))
	if got := c.pb.recvRTP(); got.PayloadType != 101 {
		t.Errorf("after clearing the map PT %d, want 101", got.PayloadType)
	}
}

func TestRelayMute(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.pa.sendRTP(c.a, audio(1, 0, 9), frame(1))
	before := c.pb.recvRTP()
	c.r.SetMute(AToB, true)
	if !c.r.Muted(AToB) || c.r.Muted(BToA) {
		t.Fatal("Muted does not reflect SetMute")
	}
	for i := range 10 {
		c.pa.sendRTP(c.a, audio(uint16(2+i), uint32(160*(i+1)), 9), frame(2))
	}
	// The other direction still flows while a->b is muted.
	c.pb.sendRTP(c.b, audio(1, 0, 10), frame(7))
	if got := c.pa.recvRTP(); got.Payload[0] != 7 {
		t.Fatal("b->a did not flow while a->b was muted")
	}
	waitFor(t, "muted packets", func() bool { return c.r.Counters(AToB).Muted == 10 })
	c.r.SetMute(AToB, false)
	c.pa.sendRTP(c.a, audio(12, 160*11, 9), frame(3))
	got := c.pb.recvRTP()
	if got.Payload[0] != 3 {
		t.Fatalf("first packet after unmute has payload %d: a muted packet leaked", got.Payload[0])
	}
	if got.SequenceNumber != before.SequenceNumber+1 {
		t.Errorf("seq %d after %d across the mute", got.SequenceNumber, before.SequenceNumber)
	}
	if got.Timestamp != before.Timestamp+160*11 || !got.Marker {
		t.Errorf("after unmute: timestamp step %d (want %d), marker %v", got.Timestamp-before.Timestamp, 160*11, got.Marker)
	}
}

func TestRelayLifecycleErrors(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	other := NewLeg(allocate(t))
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"leg in a running relay", func() error { return NewRelay(c.a, other).Start() }, ErrLegInUse},
		{"second leg in a running relay", func() error { return NewRelay(other, c.b).Start() }, ErrLegInUse},
		{"inject toward a stranger", func() error { return c.r.InjectDTMF(other, '1', 0) }, ErrNotInRelay},
		{"inject toward nil", func() error { return c.r.InjectDTMF(nil, '1', 0) }, ErrNotInRelay},
		{"start a closed relay", func() error { r := NewRelay(other, NewLeg(allocate(t))); r.Close(); return r.Start() }, ErrClosed},
	}
	for _, tc := range tests {
		if err := tc.run(); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	failures := []struct {
		name string
		run  func() error
	}{
		{"start twice", c.r.Start},
		{"same leg twice", func() error { return NewRelay(other, other).Start() }},
		{"bad digit", func() error { return c.r.InjectDTMF(c.b, 'x', 0) }},
		{"no event PT set", func() error { return c.r.InjectDTMF(c.a, '1', 0) }},
		{"inject when not started", func() error {
			c.b.SetEventPayloadType(101)
			return NewRelay(other, c.b).InjectDTMF(c.b, '1', 0)
		}},
	}
	for _, f := range failures {
		if err := f.run(); err == nil {
			t.Errorf("%s: no error", f.name)
		}
	}
	if other.owner.Load() != nil {
		t.Error("a failed Start left the leg claimed")
	}
}

// TestRelayLegsOutliveRelay closes a relay and joins one of its legs to a
// new leg, as a transfer does: the sockets keep working, the new relay
// forwards, and the phone on the kept leg sees one continuous stream.
func TestRelayLegsOutliveRelay(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
	c.pb.recvRTP()
	c.pb.sendRTP(c.b, audio(1, 0, 2), frame(1))
	beforeTransfer := c.pa.recvRTP()
	if err := c.r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.r.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	pc := newPhone(t)
	legC := NewLeg(allocate(t))
	legC.SetRemote(pc.rtpAddr())
	r2 := NewRelay(c.a, legC)
	if err := r2.Start(); err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	c.pa.sendRTP(c.a, audio(2, 160, 1), frame(2))
	if got := pc.recvRTP(); got.Payload[0] != 2 {
		t.Fatalf("payload %d through the new relay", got.Payload[0])
	}
	pc.sendRTP(legC, audio(1, 0, 3), frame(3))
	got := c.pa.recvRTP()
	if got.Payload[0] != 3 {
		t.Fatalf("payload %d back through the new relay", got.Payload[0])
	}
	if got.SSRC != beforeTransfer.SSRC || got.SSRC != c.a.SSRC() || got.SequenceNumber != beforeTransfer.SequenceNumber+1 || !got.Marker {
		t.Errorf("after the transfer A sees SSRC %#x seq %d marker %v; before it SSRC %#x seq %d",
			got.SSRC, got.SequenceNumber, got.Marker, beforeTransfer.SSRC, beforeTransfer.SequenceNumber)
	}
}

// TestRelayConcurrentControl changes every setting while packets flow both
// ways, for the race detector, then checks the relay still forwards.
func TestRelayConcurrentControl(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.a.SetEventPayloadType(101)
	c.b.SetEventPayloadType(101)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			dir := Direction(i % 2)
			c.r.SetMute(dir, i%3 == 0)
			c.r.SetPayloadMap(dir, map[uint8]uint8{101: uint8(96 + i%2)})
			c.r.SetTimeoutEnabled(i%2 == 0)
			c.a.SetRemote(c.pa.rtpAddr())
			_ = c.r.Counters(dir)
			_ = c.r.LastActivity()
			_ = c.b.Remote()
		}
	})
	wg.Go(func() {
		if err := c.r.InjectDTMF(c.a, '1', 0); err != nil {
			t.Error(err)
		}
	})
	for i := range 200 {
		c.pa.sendRTP(c.a, audio(uint16(i), uint32(i)*160, 1), frame(1))
		c.pb.sendRTP(c.b, audio(uint16(i), uint32(i)*160, 2), frame(1))
	}
	close(stop)
	wg.Wait()
	c.r.SetMute(AToB, false)
	c.pa.sendRTP(c.a, audio(200, 200*160, 1), frame(9))
	for c.pb.recvRTP().Payload[0] != 9 {
	}
}
