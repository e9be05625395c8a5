package codec

// Music is a Source-shaped generator of a simple, endless music-on-hold
// loop: an arpeggio of A4, C#5 and E5 (440, 554 and 659 Hz), 400 ms per
// note. Its first note is 440 Hz, which tests listen for.
type Music struct {
	phase  float64
	sample int
}

// musicNotes are the loop's notes in Hz.
var musicNotes = []float64{440, 554.37, 659.25, 554.37}

// musicNote is how long each note lasts, in samples (400 ms).
const musicNote = 3200

// Read fills pcm with the next samples of the loop.
func (m *Music) Read(pcm []int16) {
	for len(pcm) > 0 {
		note := (m.sample / musicNote) % len(musicNotes)
		n := min(len(pcm), musicNote-m.sample%musicNote)
		Sine(pcm[:n], musicNotes[note], 6000, &m.phase)
		pcm = pcm[n:]
		m.sample += n
	}
}
