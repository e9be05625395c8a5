package rtpsession

import (
	"testing"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// TestRelayCarriesTones sends a different tone each way as PCMU, in 20 ms
// packets as a phone would, and checks each far end hears its tone and not
// the other: the audio check the end-to-end tests rely on.
func TestRelayCarriesTones(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	tests := []struct {
		name        string
		from, to    *phone
		leg         *Leg
		freq, other float64
	}{
		{"a to b at 1000 Hz", c.pa, c.pb, c.a, 1000, 400},
		{"b to a at 400 Hz", c.pb, c.pa, c.b, 400, 1000},
	}
	for _, tc := range tests {
		var phase float64
		pcm := make([]int16, codec.ToneBlock)
		payload := make([]byte, codec.ToneBlock)
		heard := make([]int16, 0, codec.SampleRate)
		for i := range 50 {
			codec.Sine(pcm, tc.freq, 8000, &phase)
			codec.EncodeULaw(payload, pcm)
			tc.from.sendRTP(tc.leg, audio(uint16(i), uint32(i*codec.ToneBlock), 0x70), payload)
			got := tc.to.recvRTP()
			if got.PayloadType != codec.PayloadPCMU {
				t.Fatalf("%s: payload type %d", tc.name, got.PayloadType)
			}
			n := len(heard)
			heard = heard[:n+len(got.Payload)]
			codec.DecodeULaw(heard[n:], got.Payload)
		}
		if !codec.DetectTone(heard, tc.freq) {
			t.Errorf("%s: tone not detected (fraction %.3f)", tc.name, codec.ToneFraction(heard, tc.freq))
		}
		if codec.DetectTone(heard, tc.other) {
			t.Errorf("%s: %v Hz detected too", tc.name, tc.other)
		}
	}
}
