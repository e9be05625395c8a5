package codec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tone returns one second of a sum of sines, generated in 20 ms frames the
// way a player would, so phase continuity across calls is exercised.
func tone(amplitude int16, freqs ...float64) []int16 {
	out := make([]int16, SampleRate)
	phases := make([]float64, len(freqs))
	frame := make([]int16, ToneBlock)
	for off := 0; off < len(out); off += ToneBlock {
		for i, f := range freqs {
			Sine(frame, f, amplitude, &phases[i])
			for j, s := range frame {
				out[off+j] += s
			}
		}
	}
	return out
}

func pcmuRoundTrip(pcm []int16) []int16 {
	enc := make([]byte, len(pcm))
	EncodeULaw(enc, pcm)
	out := make([]int16, len(pcm))
	DecodeULaw(out, enc)
	return out
}

func noise(n int, amplitude int) []int16 {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(r.IntN(2*amplitude+1) - amplitude)
	}
	return out
}

func TestDetectTone(t *testing.T) {
	t.Parallel()
	tone1000 := tone(8000, 1000)
	tone400 := tone(8000, 400)
	mix := tone(6000, 1000, 1400)
	// A tone that starts late in the window, with silence before it, and a
	// phase jump half way (a lost packet concealed by repeating).
	late := make([]int16, SampleRate)
	copy(late[3000:], tone1000[:2000])
	copy(late[5000:], tone1000[:3000])
	tests := []struct {
		name    string
		samples []int16
		freq    float64
		min     float64 // 0 means DetectTone
		want    bool
	}{
		{"1000 Hz at 1000", tone1000, 1000, 0, true},
		{"1000 Hz at 400", tone1000, 400, 0, false},
		{"1000 Hz at 1400", tone1000, 1400, 0, false},
		{"400 Hz at 400", tone400, 400, 0, true},
		{"400 Hz at 1000", tone400, 1000, 0, false},
		{"1000 Hz via PCMU at 1000", pcmuRoundTrip(tone1000), 1000, 0, true},
		{"1000 Hz via PCMU at 400", pcmuRoundTrip(tone1000), 400, 0, false},
		{"400 Hz via PCMU at 400", pcmuRoundTrip(tone400), 400, 0, true},
		{"quiet 1000 Hz via PCMU", pcmuRoundTrip(tone(300, 1000)), 1000, 0, true},
		{"late tone with phase jump", late, 1000, 0, true},
		{"silence", make([]int16, SampleRate), 1000, 0, false},
		{"silence, low threshold", make([]int16, SampleRate), 1000, 0.01, false},
		{"PCMU silence", pcmuRoundTrip(make([]int16, SampleRate)), 1000, 0, false},
		{"comfort noise", noise(SampleRate, 40), 1000, 0, false},
		{"white noise", noise(SampleRate, 8000), 1000, 0, false},
		{"mix at 1000", mix, 1000, 0.3, true},
		{"mix at 1400", mix, 1400, 0.3, true},
		{"mix via PCMU at 1000", pcmuRoundTrip(mix), 1000, 0.3, true},
		{"mix via PCMU at 1400", pcmuRoundTrip(mix), 1400, 0.3, true},
		{"mix at 400", mix, 400, 0.3, false},
		{"three-tone mix has no dominant tone", tone(5000, 1000, 1400, 2000), 1000, 0, false},
		{"short window", tone1000[:100], 1000, 0, true},
		{"empty", nil, 1000, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got bool
			if tc.min == 0 {
				got = DetectTone(tc.samples, tc.freq)
			} else {
				got = DetectToneMin(tc.samples, tc.freq, tc.min)
			}
			if got != tc.want {
				t.Errorf("detected = %v, want %v (fraction %.3f)", got, tc.want, ToneFraction(tc.samples, tc.freq))
			}
		})
	}
}

func TestGoertzelScale(t *testing.T) {
	t.Parallel()
	samples := tone(10000, 1000)
	want := 10000.0 * 10000 / 2
	if got := Goertzel(samples, 1000); math.Abs(got-want)/want > 0.01 {
		t.Errorf("Goertzel = %.0f, want about %.0f", got, want)
	}
	if got := MeanSquare(samples); math.Abs(got-want)/want > 0.01 {
		t.Errorf("MeanSquare = %.0f, want about %.0f", got, want)
	}
	if got := Goertzel(samples, 2000); got > want/1000 {
		t.Errorf("Goertzel at 2000 Hz = %.0f, want near 0", got)
	}
	if Goertzel(nil, 1000) != 0 || MeanSquare(nil) != 0 {
		t.Error("empty input has power")
	}
}

func TestSineContinuity(t *testing.T) {
	t.Parallel()
	whole := make([]int16, 1000)
	Sine(whole, 697, 12000, nil)
	var phase float64
	pieces := make([]int16, 0, 1000)
	for _, n := range []int{1, 159, 160, 333, 347} {
		buf := make([]int16, n)
		Sine(buf, 697, 12000, &phase)
		pieces = append(pieces, buf...)
	}
	for i := range whole {
		if d := int(whole[i]) - int(pieces[i]); d < -1 || d > 1 {
			t.Fatalf("sample %d: continuous %d, in pieces %d", i, whole[i], pieces[i])
		}
	}
	if phase < 0 || phase >= 2*math.Pi {
		t.Errorf("phase %v not wrapped into [0, 2π)", phase)
	}
}
