package codec

import (
	"math"
	"testing"
)

func TestG711KnownValues(t *testing.T) {
	t.Parallel()
	encode := []struct {
		name string
		enc  func(int16) byte
		in   int16
		want byte
	}{
		{"ulaw zero", ulawEncodeSample, 0, 0xFF},
		{"ulaw max", ulawEncodeSample, math.MaxInt16, 0x80},
		{"ulaw min", ulawEncodeSample, math.MinInt16, 0x00},
		{"ulaw minus one", ulawEncodeSample, -1, 0x7F},
		{"alaw zero", alawEncodeSample, 0, 0xD5},
		{"alaw minus one", alawEncodeSample, -1, 0x55},
		{"alaw max", alawEncodeSample, math.MaxInt16, 0xAA},
		{"alaw min", alawEncodeSample, math.MinInt16, 0x2A},
	}
	for _, tc := range encode {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.enc(tc.in); got != tc.want {
				t.Errorf("encode(%d) = %#02x, want %#02x", tc.in, got, tc.want)
			}
		})
	}
	decode := []struct {
		name string
		dec  func(byte) int16
		in   byte
		want int16
	}{
		{"ulaw 0xFF", ulawDecodeSample, 0xFF, 0},
		{"ulaw 0x7F", ulawDecodeSample, 0x7F, 0},
		{"ulaw 0x80", ulawDecodeSample, 0x80, 32124},
		{"ulaw 0x00", ulawDecodeSample, 0x00, -32124},
		{"ulaw 0xFE", ulawDecodeSample, 0xFE, 8},
		{"alaw 0xD5", alawDecodeSample, 0xD5, 8},
		{"alaw 0x55", alawDecodeSample, 0x55, -8},
		{"alaw 0xAA", alawDecodeSample, 0xAA, 32256},
		{"alaw 0x2A", alawDecodeSample, 0x2A, -32256},
	}
	for _, tc := range decode {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.dec(tc.in); got != tc.want {
				t.Errorf("decode(%#02x) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

type law struct {
	name      string
	encode    func([]byte, []int16) int
	decode    func([]int16, []byte) int
	encSample func(int16) byte
	decSample func(byte) int16
	// negZero is the code word that decodes to zero but is not what zero
	// encodes to, if any.
	negZero int
}

var laws = []law{
	{"ulaw", EncodeULaw, DecodeULaw, ulawEncodeSample, ulawDecodeSample, 0x7F},
	{"alaw", EncodeALaw, DecodeALaw, alawEncodeSample, alawDecodeSample, -1},
}

// TestG711TablesMatchReference checks the table-driven codecs against the
// per-sample reference functions for every possible input.
func TestG711TablesMatchReference(t *testing.T) {
	t.Parallel()
	pcm := make([]int16, 1<<16)
	for i := range pcm {
		pcm[i] = int16(uint16(i))
	}
	codes := make([]byte, 256)
	for i := range codes {
		codes[i] = byte(i)
	}
	for _, l := range laws {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			enc := make([]byte, len(pcm))
			if n := l.encode(enc, pcm); n != len(pcm) {
				t.Fatalf("encoded %d samples, want %d", n, len(pcm))
			}
			for i, s := range pcm {
				if want := l.encSample(s); enc[i] != want {
					t.Fatalf("encode(%d) = %#02x, reference %#02x", s, enc[i], want)
				}
			}
			dec := make([]int16, 256)
			l.decode(dec, codes)
			for c, s := range dec {
				if want := l.decSample(byte(c)); s != want {
					t.Fatalf("decode(%#02x) = %d, reference %d", c, s, want)
				}
			}
		})
	}
}

// TestG711Properties checks what makes a G.711 codec usable: decoding then
// re-encoding is the identity, the expander is monotonic, and the error of
// a round trip is within half a quantisation step of the segment.
func TestG711Properties(t *testing.T) {
	t.Parallel()
	for _, l := range laws {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			for c := range 256 {
				if c == l.negZero {
					continue
				}
				if got := l.encSample(l.decSample(byte(c))); got != byte(c) {
					t.Errorf("encode(decode(%#02x)) = %#02x", c, got)
				}
			}
			for i := range 1 << 16 {
				s := int16(uint16(i))
				back := int(l.decSample(l.encSample(s)))
				// The largest step is 1024 (top segment) and the steps grow
				// with the magnitude: 1/32 of it plus the smallest step.
				limit := abs(int(s))/32 + 16
				if abs(int(s)) > 32256 {
					limit = abs(int(s)) - 32124 + 1
				}
				if err := abs(back - int(s)); err > limit {
					t.Fatalf("round trip of %d gave %d (error %d > %d)", s, back, err, limit)
				}
			}
		})
	}
}

func TestG711ShortBuffers(t *testing.T) {
	t.Parallel()
	pcm := []int16{0, 1000, -1000, 30000}
	for _, l := range laws {
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			dst := make([]byte, 2)
			if n := l.encode(dst, pcm); n != 2 {
				t.Errorf("encode into 2 bytes returned %d", n)
			}
			out := make([]int16, 8)
			if n := l.decode(out, dst); n != 2 {
				t.Errorf("decode of 2 bytes returned %d", n)
			}
			if n := l.encode(nil, pcm); n != 0 {
				t.Errorf("encode into nil returned %d", n)
			}
		})
	}
}

// TestG711NoAllocs is not parallel: testing.AllocsPerRun refuses to run in
// a parallel test.
func TestG711NoAllocs(t *testing.T) {
	pcm := make([]int16, 160)
	Sine(pcm, 1000, 8000, nil)
	enc := make([]byte, 160)
	for _, l := range laws {
		allocs := testing.AllocsPerRun(100, func() {
			l.encode(enc, pcm)
			l.decode(pcm, enc)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per frame", l.name, allocs)
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func BenchmarkEncodeULaw(b *testing.B) {
	pcm := make([]int16, 160)
	Sine(pcm, 1000, 8000, nil)
	dst := make([]byte, 160)
	b.SetBytes(int64(len(pcm) * 2))
	for b.Loop() {
		EncodeULaw(dst, pcm)
	}
}

func BenchmarkDecodeULaw(b *testing.B) {
	src := make([]byte, 160)
	for i := range src {
		src[i] = byte(i)
	}
	dst := make([]int16, 160)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		DecodeULaw(dst, src)
	}
}
