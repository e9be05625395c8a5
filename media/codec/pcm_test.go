package codec

import (
	"slices"
	"testing"
)

// TestPCMBytes checks the byte layout (little-endian, two's complement)
// and that PCMFromBytes reads back what PCMBytes writes.
func TestPCMBytes(t *testing.T) {
	pcm := []int16{0, 1, -1, 32767, -32768, 0x1234}
	b := PCMBytes(pcm)
	want := []byte{0, 0, 1, 0, 0xff, 0xff, 0xff, 0x7f, 0, 0x80, 0x34, 0x12}
	if !slices.Equal(b, want) {
		t.Fatalf("PCMBytes = % x, want % x", b, want)
	}
	if got := PCMFromBytes(append(b, 0x99)); !slices.Equal(got, pcm) {
		t.Fatalf("PCMFromBytes = %v, want %v (the odd last byte ignored)", got, pcm)
	}
}
