package rtpsession

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/pion/rtp"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// idleCall is a relay that is not started, so a test can call its packet
// handlers directly without a reading goroutine competing for them.
func idleCall(t testing.TB, opts ...Option) *call {
	t.Helper()
	c := &call{pa: newPhone(t), pb: newPhone(t)}
	c.a, c.b = NewLeg(allocate(t)), NewLeg(allocate(t))
	c.a.SetRemote(c.pa.rtpAddr())
	c.b.SetRemote(c.pb.rtpAddr())
	c.r = NewRelay(c.a, c.b, opts...)
	return c
}

func marshalRTP(t testing.TB, h rtp.Header, payload []byte) []byte {
	t.Helper()
	h.Version = 2
	b, err := (&rtp.Packet{Header: h, Payload: payload}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRelayNoAllocs runs the forwarding functions as the reading
// goroutines do and counts allocations. Not parallel: AllocsPerRun
// refuses to run in parallel tests.
func TestRelayNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	c := idleCall(t)
	c.a.SetEventPayloadType(101)
	c.r.SetPayloadMap(AToB, map[uint8]uint8{101: 96})
	d := &c.r.dirs[AToB]
	src := netip.MustParseAddrPort(c.pa.rtpAddr().String())
	ev := make([]byte, 4)
	if _, err := (codec.Event{Code: 5, Duration: 160}).Marshal(ev); err != nil {
		t.Fatal(err)
	}
	rr := receiverReport(0xA)
	tests := []struct {
		name   string
		tmpl   []byte
		handle func([]byte, netip.AddrPort)
	}{
		{"audio", marshalRTP(t, audio(1, 0, 0xA), frame(1)), d.handleRTP},
		{"telephone event", marshalRTP(t, rtp.Header{PayloadType: 101, SequenceNumber: 1, SSRC: 0xA}, ev), d.handleRTP},
		{"with CSRC and extension", marshalRTP(t, withExtension(t, rtp.Header{SSRC: 0xA, CSRC: []uint32{1, 2}}), frame(2)), d.handleRTP},
		{"RTCP", rr, d.handleRTCP},
		{"RTCP multiplexed on RTP", rr, d.handleRTP},
		{"refused source", marshalRTP(t, audio(1, 0, 0xA), frame(1)), func(b []byte, _ netip.AddrPort) {
			d.handleRTP(b, netip.MustParseAddrPort("127.0.0.9:9"))
		}},
	}
	buf := make([]byte, packetBuffer)
	for _, tc := range tests {
		var seq uint16
		allocs := testing.AllocsPerRun(1000, func() {
			n := copy(buf, tc.tmpl)
			if tc.tmpl[1] < 192 { // RTP: keep the stream in order
				seq++
				binary.BigEndian.PutUint16(buf[2:4], seq)
			}
			tc.handle(buf[:n], src)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per packet", tc.name, allocs)
		}
	}
	if ctr := c.r.Counters(AToB); ctr.Packets == 0 || ctr.RTCP == 0 || ctr.Events == 0 {
		t.Errorf("the handlers did not forward: %+v", ctr)
	}
}

// FuzzHandleRTP feeds arbitrary datagrams to the RTP path of a relay with
// DTMF detection on; it must not panic.
func FuzzHandleRTP(f *testing.F) {
	c := idleCall(f, OnDTMF(func(*Leg, rune) {}))
	c.r.events = make(chan dtmfEvent, 1) // detection on; the queue just fills
	c.a.SetEventPayloadType(101)
	d := &c.r.dirs[AToB]
	src := netip.MustParseAddrPort(c.pa.rtpAddr().String())
	ev := []byte{5, 0x8A, 0, 160}
	f.Add(marshalRTP(f, audio(1, 0, 0xA), frame(1)))
	f.Add(marshalRTP(f, rtp.Header{PayloadType: 101, Marker: true, SSRC: 0xA}, ev))
	f.Add(marshalRTP(f, rtp.Header{PayloadType: 101, Padding: true, PaddingSize: 4, SSRC: 0xA}, ev))
	f.Add(marshalRTP(f, withExtension(f, rtp.Header{SSRC: 0xA, CSRC: []uint32{1}}), frame(3)))
	f.Add(receiverReport(0xA))
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		buf := make([]byte, len(b))
		copy(buf, b)
		d.handleRTP(buf, src)
	})
}

// withExtension adds a one-byte header extension (RFC 8285).
func withExtension(t testing.TB, h rtp.Header) rtp.Header {
	t.Helper()
	if err := h.SetExtension(1, []byte{7}); err != nil {
		t.Fatal(err)
	}
	return h
}
