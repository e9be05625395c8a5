package codec

import "math"

// Tone detection parameters. Detection works on 20 ms blocks (one G.711
// packet), so a phase jump between blocks, as packet loss or a jitter buffer
// adjustment produces, does not cancel the tone out; blocks quieter than
// SilenceRMS are treated as silence and ignored.
const (
	ToneBlock  = SampleRate / 50 // samples per analysis block (20 ms)
	SilenceRMS = 64              // RMS below which a block is silence (about -54 dBFS)
)

// Sine fills dst with a sine tone of freq Hz and the given peak amplitude,
// sampled at SampleRate. It starts at *phase (radians) and stores the phase
// after the last sample back into *phase, so successive calls produce one
// continuous tone. A nil phase starts at zero and is not kept.
func Sine(dst []int16, freq float64, amplitude int16, phase *float64) {
	var p float64
	if phase != nil {
		p = *phase
	}
	step := 2 * math.Pi * freq / SampleRate
	amp := float64(amplitude)
	for i := range dst {
		dst[i] = int16(math.Round(amp * math.Sin(p)))
		p += step
		if p >= 2*math.Pi {
			p -= 2 * math.Pi
		}
	}
	if phase != nil {
		*phase = p
	}
}

// Goertzel returns the power of the freq Hz component of samples (taken at
// SampleRate), scaled to be comparable with MeanSquare: a sine of peak
// amplitude A yields about A²/2, the mean square of the sine itself. It
// runs the Goertzel recurrence over the whole slice.
func Goertzel(samples []int16, freq float64) float64 {
	n := len(samples)
	if n == 0 {
		return 0
	}
	coeff := 2 * math.Cos(2*math.Pi*freq/SampleRate)
	var s1, s2 float64
	for _, x := range samples {
		s0 := float64(x) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	power := s1*s1 + s2*s2 - coeff*s1*s2 // |X(freq)|²
	return 2 * power / (float64(n) * float64(n))
}

// MeanSquare returns the mean of the squared samples: the signal's power.
func MeanSquare(samples []int16) float64 {
	if len(samples) == 0 {
		return 0
	}
	var sum float64
	for _, x := range samples {
		v := float64(x)
		sum += v * v
	}
	return sum / float64(len(samples))
}

// ToneFraction returns the share (0 to about 1) of the signal's energy that
// lies at freq, over the blocks that are not silence, and 0 when the whole
// signal is silence. It analyses ToneBlock-sample blocks; a trailing partial
// block counts when it is at least half a block or the only one.
func ToneFraction(samples []int16, freq float64) float64 {
	var tone, total float64
	for start := 0; start < len(samples); start += ToneBlock {
		block := samples[start:min(start+ToneBlock, len(samples))]
		if len(block) < ToneBlock/2 && start > 0 {
			break
		}
		ms := MeanSquare(block)
		if ms < SilenceRMS*SilenceRMS {
			continue
		}
		n := float64(len(block))
		tone += Goertzel(block, freq) * n
		total += ms * n
	}
	if total == 0 {
		return 0
	}
	return tone / total
}

// DetectTone reports whether freq dominates samples: more than half of the
// energy of the non-silent part lies at freq. Silence is never a tone.
func DetectTone(samples []int16, freq float64) bool {
	return DetectToneMin(samples, freq, 0.5)
}

// DetectToneMin is DetectTone with a caller-chosen minimum share of the
// energy, for signals that mix several tones: in a mix of two equally loud
// tones each holds about half, so 0.3 finds both.
func DetectToneMin(samples []int16, freq float64, minFraction float64) bool {
	return ToneFraction(samples, freq) > minFraction
}
