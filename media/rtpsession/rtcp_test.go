package rtpsession

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pion/rtcp"
)

func marshalRTCP(t testing.TB, pkts ...rtcp.Packet) []byte {
	t.Helper()
	b, err := rtcp.Marshal(pkts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func receiverReport(ssrc uint32) []byte {
	b, err := (&rtcp.ReceiverReport{SSRC: ssrc}).Marshal()
	if err != nil {
		panic(err)
	}
	return b
}

// Views of a call in which A's phone sends SSRC 0xA and B's phone 0xB; the
// relay sends 0x1A toward B and 0x1B toward A.
var (
	fwdView = view{outSSRC: 0x1A, inSSRC: 0xA, hasInput: true, seqOff: 1000, tsOff: 50000}
	revView = view{outSSRC: 0x1B, inSSRC: 0xB, hasInput: true, seqOff: 300, tsOff: 7}
)

// block is a reception report about ssrc.
func block(ssrc, seq uint32) rtcp.ReceptionReport {
	return rtcp.ReceptionReport{SSRC: ssrc, FractionLost: 3, TotalLost: 9, LastSequenceNumber: seq, Jitter: 40, LastSenderReport: 0x11223344, Delay: 99}
}

// sdes is a source description with a CNAME for ssrc.
func sdes(ssrc uint32) *rtcp.SourceDescription {
	return &rtcp.SourceDescription{Chunks: []rtcp.SourceDescriptionChunk{{
		Source: ssrc, Items: []rtcp.SourceDescriptionItem{{Type: rtcp.SDESCNAME, Text: "alice@host"}, {Type: rtcp.SDESTool, Text: "x"}},
	}}}
}

var translateTests = []struct {
	name     string
	in, want []rtcp.Packet
	fwd, rev view
}{
	{
		name: "sender report",
		in: []rtcp.Packet{&rtcp.SenderReport{SSRC: 0xA, NTPTime: 1 << 40, RTPTime: 1000, PacketCount: 5, OctetCount: 800,
			Reports: []rtcp.ReceptionReport{block(0x1B, 0x00020000+1300), block(0x999, 5)}}},
		want: []rtcp.Packet{&rtcp.SenderReport{SSRC: 0x1A, NTPTime: 1 << 40, RTPTime: 51000, PacketCount: 5, OctetCount: 800,
			Reports: []rtcp.ReceptionReport{block(0xB, 0x00020000+1000), block(0x999, 5)}}},
		fwd: fwdView, rev: revView,
	},
	{
		name: "receiver report, sequence wraps below the offset",
		in:   []rtcp.Packet{&rtcp.ReceiverReport{SSRC: 0xA, Reports: []rtcp.ReceptionReport{block(0x1B, 0x00010000+100)}}},
		want: []rtcp.Packet{&rtcp.ReceiverReport{SSRC: 0x1A, Reports: []rtcp.ReceptionReport{block(0xB, 0x00010000+65336)}}},
		fwd:  fwdView, rev: revView,
	},
	{
		name: "compound RR, SDES, BYE: BYE removed",
		in:   []rtcp.Packet{&rtcp.ReceiverReport{SSRC: 0xA}, sdes(0xA), &rtcp.Goodbye{Sources: []uint32{0xA}, Reason: "gone"}},
		want: []rtcp.Packet{&rtcp.ReceiverReport{SSRC: 0x1A}, sdes(0x1A)},
		fwd:  fwdView, rev: revView,
	},
	{
		name: "BYE in the middle",
		in:   []rtcp.Packet{&rtcp.ReceiverReport{SSRC: 0xA}, &rtcp.Goodbye{Sources: []uint32{0xA}}, sdes(0xA)},
		want: []rtcp.Packet{&rtcp.ReceiverReport{SSRC: 0x1A}, sdes(0x1A)},
		fwd:  fwdView, rev: revView,
	},
	{
		name: "picture loss and NACK name the real media source",
		in:   []rtcp.Packet{&rtcp.PictureLossIndication{SenderSSRC: 0xA, MediaSSRC: 0x1B}, &rtcp.TransportLayerNack{SenderSSRC: 0xA, MediaSSRC: 0x1B, Nacks: []rtcp.NackPair{{PacketID: 5}}}},
		want: []rtcp.Packet{&rtcp.PictureLossIndication{SenderSSRC: 0x1A, MediaSSRC: 0xB}, &rtcp.TransportLayerNack{SenderSSRC: 0x1A, MediaSSRC: 0xB, Nacks: []rtcp.NackPair{{PacketID: 5}}}},
		fwd:  fwdView, rev: revView,
	},
	{
		name: "before any RTP only the sender SSRC changes",
		in:   []rtcp.Packet{&rtcp.SenderReport{SSRC: 0xA, RTPTime: 1000, Reports: []rtcp.ReceptionReport{block(0x1B, 10)}}},
		want: []rtcp.Packet{&rtcp.SenderReport{SSRC: 0x1A, RTPTime: 1000, Reports: []rtcp.ReceptionReport{block(0x1B, 10)}}},
		fwd:  view{outSSRC: 0x1A}, rev: view{outSSRC: 0x1B},
	},
	{
		name: "application packet",
		in:   []rtcp.Packet{&rtcp.ApplicationDefined{SubType: 1, SSRC: 0xA, Name: "TEST", Data: []byte{1, 2, 3, 4}}},
		want: []rtcp.Packet{&rtcp.ApplicationDefined{SubType: 1, SSRC: 0x1A, Name: "TEST", Data: []byte{1, 2, 3, 4}}},
		fwd:  fwdView, rev: revView,
	},
}

func TestTranslateRTCP(t *testing.T) {
	t.Parallel()
	for _, tc := range translateTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := marshalRTCP(t, tc.in...)
			n := translateRTCP(b, tc.fwd, tc.rev)
			if n <= 0 {
				t.Fatalf("translateRTCP = %d", n)
			}
			got, err := rtcp.Unmarshal(b[:n])
			if err != nil {
				t.Fatalf("translated packet does not parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("translated packet (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTranslateRTCPRejects(t *testing.T) {
	t.Parallel()
	rr := receiverReport(0xA)
	onlyBye := marshalRTCP(t, &rtcp.Goodbye{Sources: []uint32{0xA}})
	tests := []struct {
		name string
		in   []byte
		want int
	}{
		{"empty", nil, 0},
		{"only BYE", onlyBye, 0},
		{"too short", rr[:3], -1},
		{"version 1", append([]byte{0x40}, rr[1:]...), -1},
		{"length beyond the datagram", rr[:len(rr)-4], -1},
		{"SR without sender info", []byte{0x80, 200, 0, 1, 0, 0, 0, 0xA}, -1},
		{"RR with a missing block", []byte{0x81, 201, 0, 1, 0, 0, 0, 0xA}, -1},
		{"SDES chunk without end", []byte{0x81, 202, 0, 2, 0, 0, 0, 0xA, 1, 4, 'a', 'b'}, -1},
		{"PLI too short", []byte{0x81, 206, 0, 1, 0, 0, 0, 0xA}, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := append([]byte(nil), tc.in...)
			if got := translateRTCP(b, fwdView, revView); got != tc.want {
				t.Errorf("translateRTCP = %d, want %d", got, tc.want)
			}
		})
	}
}

func FuzzTranslateRTCP(f *testing.F) {
	f.Add(receiverReport(0xA))
	f.Add(marshalRTCP(f, &rtcp.SenderReport{SSRC: 0xA, Reports: []rtcp.ReceptionReport{{SSRC: 0x1B}}},
		&rtcp.SourceDescription{Chunks: []rtcp.SourceDescriptionChunk{{Source: 0xA, Items: []rtcp.SourceDescriptionItem{{Type: rtcp.SDESCNAME, Text: "a"}}}}},
		&rtcp.Goodbye{Sources: []uint32{0xA}}))
	f.Add(marshalRTCP(f, &rtcp.PictureLossIndication{SenderSSRC: 1, MediaSSRC: 0x1B}))
	f.Add([]byte{0x81, 202, 0, 2, 0, 0, 0, 0xA, 1, 4, 'a', 'b'})
	f.Fuzz(func(t *testing.T, b []byte) {
		in := append([]byte(nil), b...)
		n := translateRTCP(in, fwdView, revView)
		if n > len(b) {
			t.Fatalf("grew from %d to %d bytes", len(b), n)
		}
		if n <= 0 {
			return
		}
		// What the relay sends is well-formed enough to translate again.
		if m := translateRTCP(in[:n], fwdView, revView); m != n {
			t.Fatalf("translating the output again gave %d, want %d", m, n)
		}
	})
}

// TestRelayRTCP runs RTCP through a relay after RTP has flowed both ways.
func TestRelayRTCP(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.pa.sendRTP(c.a, audio(100, 8000, 0xA), frame(1))
	fromA := c.pb.recvRTP()
	c.pb.sendRTP(c.b, audio(200, 9000, 0xB), frame(2))
	fromB := c.pa.recvRTP()

	// A reports on what it received from the relay and sends a BYE.
	sr := &rtcp.SenderReport{SSRC: 0xA, NTPTime: 42 << 32, RTPTime: 8000, PacketCount: 1, OctetCount: 160,
		Reports: []rtcp.ReceptionReport{{SSRC: fromB.SSRC, LastSequenceNumber: uint32(fromB.SequenceNumber)}}}
	c.pa.sendRTCP(c.a, marshalRTCP(t, sr, &rtcp.Goodbye{Sources: []uint32{0xA}}))
	got, err := rtcp.Unmarshal(c.pb.recvRTCP())
	if err != nil {
		t.Fatal(err)
	}
	want := []rtcp.Packet{&rtcp.SenderReport{SSRC: fromA.SSRC, NTPTime: 42 << 32, RTPTime: fromA.Timestamp, PacketCount: 1, OctetCount: 160,
		Reports: []rtcp.ReceptionReport{{SSRC: 0xB, LastSequenceNumber: 200}}}}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("RTCP at B (-want +got):\n%s", diff)
	}
	c.pb.sendRTCP(c.b, receiverReport(0xB))
	got, err = rtcp.Unmarshal(c.pa.recvRTCP())
	if err != nil {
		t.Fatal(err)
	}
	if rr, ok := got[0].(*rtcp.ReceiverReport); !ok || rr.SSRC != fromB.SSRC {
		t.Errorf("RTCP at A: %v", got)
	}
	waitFor(t, "the RTCP counter", func() bool { return c.r.Counters(AToB).RTCP == 1 })
}
