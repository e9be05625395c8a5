package rtpsession

import (
	"testing"
	"time"
)

const ms = int64(time.Millisecond)

// streamIn is an input packet for TestStream.
type streamIn struct {
	ssrc uint32
	seq  uint16
	ts   uint32
	at   int64 // ns
	skip bool  // withheld (mute)
}

// streamOut is the expected output, relative to the first output packet.
type streamOut struct {
	drop   bool   // admit refuses it
	dseq   uint16 // output seq - seq0
	dts    uint32 // output ts - ts0
	marker bool
}

var streamTests = []struct {
	name string
	in   []streamIn
	want []streamOut
}{
	{
		name: "steady stream keeps its spacing and gaps",
		in:   []streamIn{{1, 10, 100, 0, false}, {1, 11, 260, 20 * ms, false}, {1, 13, 580, 60 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, false}, {false, 3, 480, false}},
	},
	{
		name: "reordered packet keeps its place",
		in:   []streamIn{{1, 10, 100, 0, false}, {1, 12, 420, 40 * ms, false}, {1, 11, 260, 41 * ms, false}, {1, 13, 580, 60 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 2, 320, false}, {false, 1, 160, false}, {false, 3, 480, false}},
	},
	{
		name: "new SSRC follows on by wall clock",
		in:   []streamIn{{1, 10, 100, 0, false}, {1, 11, 260, 20 * ms, false}, {2, 5000, 9, 120 * ms, false}, {2, 5001, 169, 140 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, false}, {false, 2, 160 + 800, true}, {false, 3, 160 + 960, false}},
	},
	{
		name: "new SSRC at once advances one frame",
		in:   []streamIn{{1, 10, 100, 0, false}, {1, 11, 260, 20 * ms, false}, {2, 7, 9, 20 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, false}, {false, 2, 320, true}},
	},
	{
		name: "late packets of the old SSRC are dropped",
		in:   []streamIn{{1, 10, 100, 0, false}, {2, 70, 0, 20 * ms, false}, {1, 11, 260, 25 * ms, false}, {2, 71, 160, 40 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, true}, {true, 0, 0, false}, {false, 2, 320, false}},
	},
	{
		name: "old SSRC is welcome again later",
		in:   []streamIn{{1, 10, 100, 0, false}, {2, 70, 0, 20 * ms, false}, {1, 11, 260, 900 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, true}, {false, 2, 160 + 7040, true}},
	},
	{
		name: "sequence jump restarts the mapping",
		in:   []streamIn{{1, 10, 100, 0, false}, {1, 30000, 5, 20 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, true}},
	},
	{
		name: "withheld packets leave no sequence gap",
		in:   []streamIn{{1, 10, 100, 0, false}, {1, 11, 260, 20 * ms, true}, {1, 12, 420, 40 * ms, true}, {1, 13, 580, 60 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {}, {}, {false, 1, 480, true}},
	},
	{
		name: "timestamps wrap",
		in:   []streamIn{{1, 65535, 0xFFFFFF60, 0, false}, {1, 0, 0, 20 * ms, false}, {1, 1, 160, 40 * ms, false}},
		want: []streamOut{{false, 0, 0, true}, {false, 1, 160, false}, {false, 2, 320, false}},
	},
}

// TestStream drives the output stream with input packets and checks the
// output against the first output packet (seq0, ts0).
func TestStream(t *testing.T) {
	t.Parallel()
	for _, tc := range streamTests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newStream(8000)
			var seq0 uint16
			var ts0 uint32
			for i, p := range tc.in {
				w := tc.want[i]
				ok := s.admit(p.ssrc, p.seq, p.ts, p.at)
				if ok == w.drop {
					t.Fatalf("packet %d: admitted %v", i, ok)
				}
				if !ok {
					continue
				}
				if p.skip {
					s.skip()
					continue
				}
				seq, ts, mark := s.emit(p.seq, p.ts, p.at)
				if i == 0 {
					seq0, ts0 = seq, ts
				}
				if seq-seq0 != w.dseq || ts-ts0 != w.dts || mark != w.marker {
					t.Errorf("packet %d: +seq %d +ts %d marker %v; want +%d +%d %v",
						i, seq-seq0, ts-ts0, mark, w.dseq, w.dts, w.marker)
				}
			}
		})
	}
}

// TestStreamGenerated interleaves generated packets (DTMF) with input.
func TestStreamGenerated(t *testing.T) {
	t.Parallel()
	s := newStream(8000)
	s.admit(1, 10, 100, 0)
	seq0, ts0, _ := s.emit(10, 100, 0)
	ets := s.eventTimestamp(50 * ms)
	if ets-ts0 != 400 {
		t.Errorf("event timestamp +%d, want +400 (50 ms)", ets-ts0)
	}
	for i := range 3 {
		if seq := s.generated(ets, int64(50+i)*ms); seq != seq0+1+uint16(i) {
			t.Errorf("generated packet %d has seq +%d", i, seq-seq0)
		}
	}
	s.admit(1, 11, 260, 60*ms) // suppressed during the event
	s.skip()
	s.mark = true
	s.admit(1, 12, 420, 80*ms)
	seq, ts, mark := s.emit(12, 420, 80*ms)
	if seq != seq0+4 || ts-ts0 != 320 || !mark {
		t.Errorf("audio after the event: +seq %d +ts %d marker %v; want +4 +320 true", seq-seq0, ts-ts0, mark)
	}

	// Generated packets before any input: the input then follows them.
	s = newStream(8000)
	ets = s.eventTimestamp(0)
	first := s.generated(ets, 0)
	s.admit(7, 500, 12345, 100*ms)
	seq, ts, _ = s.emit(500, 12345, 100*ms)
	if seq != first+1 || ts-ets != 800 {
		t.Errorf("first input after an event: seq +%d ts +%d; want +1 +800", seq-first, ts-ets)
	}
}
