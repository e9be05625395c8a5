package rtpsession

import (
	"testing"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// TestSendAudioContinuesRelayStream moves a leg from a relay to frames the
// switch sends itself, as when a call joins a conference: the phone sees
// one stream, the SSRC kept and the sequence numbers continuing.
func TestSendAudioContinuesRelayStream(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
	last := c.pb.recvRTP()
	if err := c.r.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := c.b.SendAudio(codec.PayloadPCMA, frame(byte(10+i))); err != nil {
			t.Fatal(err)
		}
		got := c.pb.recvRTP()
		switch {
		case got.SSRC != last.SSRC:
			t.Fatalf("frame %d: SSRC %#x, relay sent %#x", i, got.SSRC, last.SSRC)
		case got.SequenceNumber != last.SequenceNumber+1:
			t.Fatalf("frame %d: sequence %d after %d", i, got.SequenceNumber, last.SequenceNumber)
		case int32(got.Timestamp-last.Timestamp) < 160:
			t.Fatalf("frame %d: timestamp %d after %d", i, got.Timestamp, last.Timestamp)
		case got.PayloadType != codec.PayloadPCMA || got.Payload[0] != byte(10+i) || len(got.Payload) != 160:
			t.Fatalf("frame %d: type %d payload %d (%d bytes)", i, got.PayloadType, got.Payload[0], len(got.Payload))
		case i == 0 && !got.Marker:
			t.Error("the first generated frame has no marker")
		}
		last = got
	}
	// Back into a relay: the relay's packets follow the generated ones.
	r := NewRelay(c.a, c.b)
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c.pa.sendRTP(c.a, audio(2, 160, 1), frame(2))
	got := c.pb.recvRTP()
	if got.SSRC != last.SSRC || got.SequenceNumber != last.SequenceNumber+1 || int32(got.Timestamp-last.Timestamp) <= 0 {
		t.Errorf("relay after SendAudio: SSRC %#x seq %d ts %d; before SSRC %#x seq %d ts %d",
			got.SSRC, got.SequenceNumber, got.Timestamp, last.SSRC, last.SequenceNumber, last.Timestamp)
	}
}

// TestNextAudio checks the timeline of generated frames on a stream: exact
// continuation while frames come on time, the wall clock after a pause or
// another packet, and a marker whenever the timeline jumps.
func TestNextAudio(t *testing.T) {
	t.Parallel()
	const ms = int64(1e6)
	var o output
	o.st = newStream(8000)
	seq0, ts0, jump := o.nextAudio(1000*ms, 160)
	if !jump {
		t.Error("first frame: no jump")
	}
	steps := []struct {
		name     string
		at       int64
		wantTS   uint32 // offset from ts0
		wantJump bool
	}{
		{"on time", 1020 * ms, 160, false},
		{"late but within three frames", 1075 * ms, 320, false},
		{"early", 1076 * ms, 480, false},
		{"after a pause: wall clock", 1500 * ms, 480 + 8*424, true},
		{"on time again", 1520 * ms, 480 + 8*424 + 160, false},
	}
	for i, s := range steps {
		seq, ts, jump := o.nextAudio(s.at, 160)
		if seq != seq0+uint16(i+1) || ts-ts0 != s.wantTS || jump != s.wantJump {
			t.Errorf("%s: seq +%d ts +%d jump %v; want +%d +%d %v", s.name, seq-seq0, ts-ts0, jump, i+1, s.wantTS, s.wantJump)
		}
	}
	// A forwarded packet in between breaks the exact continuation.
	_, last, _ := o.nextAudio(1540*ms, 160)
	o.st.admit(9, 1, 0, 1550*ms)
	_, fwdTS, _ := o.st.emit(1, 0, 1550*ms)
	if _, ts, jump := o.nextAudio(1560*ms, 160); !jump || int32(ts-fwdTS) < 160 || ts == last+160 {
		t.Errorf("after a forwarded packet: ts %d (forwarded %d, last generated %d), jump %v", ts, fwdTS, last, jump)
	}
	// A marker asked for by the stream (Player.Stop, a skipped packet) is set.
	o.nextAudio(1580*ms, 160)
	o.st.mark = true
	if _, _, jump := o.nextAudio(1600*ms, 160); !jump {
		t.Error("pending marker not set")
	}
}

func TestSendAudioErrors(t *testing.T) {
	t.Parallel()
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	leg.SetRemote(p.rtpAddr())
	for _, tc := range []struct {
		name    string
		pt      uint8
		payload []byte
	}{
		{"payload type above 127", 200, frame(1)},
		{"empty", 0, nil},
		{"too large", 0, make([]byte, packetBuffer)},
	} {
		if err := leg.SendAudio(tc.pt, tc.payload); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

// TestSendAudioNoAllocs is not parallel: AllocsPerRun refuses parallel
// tests.
func TestSendAudioNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	p := newPhone(t)
	leg := NewLeg(allocate(t))
	leg.SetRemote(p.rtpAddr())
	payload := frame(0xFF)
	if allocs := testing.AllocsPerRun(200, func() { _ = leg.SendAudio(0, payload) }); allocs != 0 {
		t.Errorf("%v allocations per frame", allocs)
	}
}
