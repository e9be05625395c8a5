package rtpsession

import (
	"testing"
)

// ramp returns n samples counting up from start.
func ramp(start, n int) []int16 {
	s := make([]int16, n)
	for i := range s {
		s[i] = int16(start + i)
	}
	return s
}

func TestFrameQueue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pushes []int   // sizes pushed, samples numbered on from 0
		want   []int16 // first sample of each frame popped, in order
	}{
		{"empty", nil, nil},
		{"one frame", []int{160}, []int16{0}},
		{"partial frame is not popped", []int{100}, nil},
		{"frames cut from odd pushes", []int{100, 100, 120, 80}, []int16{0, 160, 320}[:2]},
		{"30 ms packets", []int{240, 240}, []int16{0, 160, 320}},
		{"full queue drops the oldest", []int{160, 160, 160, 160, 160, 160}, []int16{320, 480, 640, 800}},
		{"one big push", []int{160 * 5}, []int16{160, 320, 480, 640}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var q FrameQueue
			next := 0
			for _, n := range tc.pushes {
				q.Push(ramp(next, n))
				next += n
			}
			if q.Len() != len(tc.want) {
				t.Errorf("Len %d, want %d", q.Len(), len(tc.want))
			}
			dst := make([]int16, FrameSamples)
			for i, w := range tc.want {
				if !q.Pop(dst) {
					t.Fatalf("frame %d missing", i)
				}
				if dst[0] != w || dst[FrameSamples-1] != w+FrameSamples-1 {
					t.Fatalf("frame %d runs %d..%d, want from %d", i, dst[0], dst[FrameSamples-1], w)
				}
			}
			dst[0] = -1
			if q.Pop(dst) || dst[0] != -1 {
				t.Error("popped from an empty queue")
			}
		})
	}
}

func TestFrameQueueReset(t *testing.T) {
	t.Parallel()
	var q FrameQueue
	q.Push(ramp(0, 250))
	q.Reset()
	q.Push(ramp(1000, 160))
	dst := make([]int16, FrameSamples)
	if !q.Pop(dst) || dst[0] != 1000 || q.Len() != 0 {
		t.Errorf("after Reset: frame from %d, %d left", dst[0], q.Len())
	}
}

// TestFrameQueueNoAllocs is not parallel: AllocsPerRun refuses parallel
// tests.
func TestFrameQueueNoAllocs(t *testing.T) {
	var q FrameQueue
	in := ramp(0, 240)
	out := make([]int16, FrameSamples)
	if allocs := testing.AllocsPerRun(100, func() { q.Push(in); q.Pop(out) }); allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
}
