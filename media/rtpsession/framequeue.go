package rtpsession

import "sync"

// frameQueueDepth is how many complete frames a FrameQueue holds: 80 ms.
const frameQueueDepth = 4

// FrameQueue carries audio from the goroutine that receives it (an
// Endpoint tap, a relay tap) to one that takes a 20 ms frame at a time on
// its own clock (a mixer or recorder tick). It absorbs jitter between the
// two and bounds the delay: it holds up to four frames, and when full the
// oldest is dropped. Samples may be pushed in any amounts; they are cut
// into frames of FrameSamples. The zero value is ready to use, it is safe
// for concurrent use and allocates nothing.
type FrameQueue struct {
	mu     sync.Mutex
	frames [frameQueueDepth][FrameSamples]int16
	head   int // oldest complete frame
	n      int // complete frames
	fill   int // samples in the frame being filled, frames[(head+n)%depth]
}

// Push appends samples.
func (q *FrameQueue) Push(pcm []int16) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(pcm) > 0 {
		if q.n == frameQueueDepth { // no room for the next frame: drop the oldest
			q.head = (q.head + 1) % frameQueueDepth
			q.n--
		}
		slot := &q.frames[(q.head+q.n)%frameQueueDepth]
		c := copy(slot[q.fill:], pcm)
		pcm = pcm[c:]
		if q.fill += c; q.fill == FrameSamples {
			q.fill = 0
			q.n++
		}
	}
}

// Pop copies the oldest complete frame into dst (up to FrameSamples
// samples) and removes it. It returns false, leaving dst alone, if no
// frame is complete.
func (q *FrameQueue) Pop(dst []int16) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return false
	}
	copy(dst, q.frames[q.head][:])
	q.head = (q.head + 1) % frameQueueDepth
	q.n--
	return true
}

// Len returns the number of complete frames waiting.
func (q *FrameQueue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Reset empties the queue, partial frame included.
func (q *FrameQueue) Reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.head, q.n, q.fill = 0, 0, 0
}
