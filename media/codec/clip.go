package codec

import "sync/atomic"

// Clip plays a fixed run of samples once, such as a prompt read with
// ReadWAV: Read hands them out frame by frame, then silence, and Done
// reports when all have been read. It has the shape of a player's source,
// and a player that knows about Done stops by itself at the end.
//
// Read is meant for one goroutine (the player's); Done may be called from
// any goroutine.
type Clip struct {
	pcm []int16
	pos atomic.Int64
}

// NewClip returns a clip of pcm, which it keeps and does not modify.
func NewClip(pcm []int16) *Clip { return &Clip{pcm: pcm} }

// Read fills pcm with the next samples of the clip, padding with silence
// past its end.
func (c *Clip) Read(pcm []int16) {
	pos := c.pos.Load()
	n := copy(pcm, c.pcm[pos:])
	clear(pcm[n:])
	c.pos.Store(pos + int64(n))
}

// Done reports whether every sample has been read.
func (c *Clip) Done() bool { return c.pos.Load() >= int64(len(c.pcm)) }

// Len returns the clip's length in samples.
func (c *Clip) Len() int { return len(c.pcm) }
