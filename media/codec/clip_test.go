package codec

import (
	"slices"
	"testing"
)

func TestClip(t *testing.T) {
	t.Parallel()
	pcm := tone(8000, 1000)[:400] // two and a half frames
	c := NewClip(pcm)
	if c.Len() != 400 || c.Done() {
		t.Fatalf("new clip: Len %d, Done %v", c.Len(), c.Done())
	}
	var got []int16
	frame := make([]int16, ToneBlock)
	for i := 0; !c.Done(); i++ {
		if i == 10 {
			t.Fatal("clip never done")
		}
		c.Read(frame)
		got = append(got, frame...)
	}
	if len(got) != 3*ToneBlock {
		t.Fatalf("read %d samples before Done, want %d", len(got), 3*ToneBlock)
	}
	if !slices.Equal(got[:400], pcm) {
		t.Error("samples differ from the clip")
	}
	if slices.ContainsFunc(got[400:], func(s int16) bool { return s != 0 }) {
		t.Error("the end of the last frame is not silence")
	}
	for i := range frame {
		frame[i] = 1
	}
	c.Read(frame)
	if slices.ContainsFunc(frame, func(s int16) bool { return s != 0 }) {
		t.Error("reading past the end is not silence")
	}
	if !NewClip(nil).Done() {
		t.Error("an empty clip is not done")
	}
}
