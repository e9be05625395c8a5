package interop_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
)

// A minimal RIFF/WAVE codec for 16-bit PCM, enough to give baresip a tone
// to play and to read back what it recorded. Recordings from libsndfile
// may carry extra chunks (LIST, PEAK …) and, when the writer did not
// finish, a data chunk size of 0 or too large: readWAV then takes the
// samples up to the end of the file.

// wavAudio is 16-bit PCM audio.
type wavAudio struct {
	Rate     int
	Channels int
	Samples  []int16 // interleaved when Channels > 1
}

// encodeWAV returns a canonical 44-byte-header WAV file.
func encodeWAV(a wavAudio) []byte {
	data := len(a.Samples) * 2
	le := binary.LittleEndian
	b := make([]byte, 0, 44+data)
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, uint32(36+data))
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, 16)                          // fmt chunk size
	b = le.AppendUint16(b, 1)                           // PCM
	b = le.AppendUint16(b, uint16(a.Channels))          // channels
	b = le.AppendUint32(b, uint32(a.Rate))              // sample rate
	b = le.AppendUint32(b, uint32(a.Rate*a.Channels*2)) // byte rate
	b = le.AppendUint16(b, uint16(a.Channels*2))        // block align
	b = le.AppendUint16(b, 16)                          // bits per sample
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(data))
	for _, s := range a.Samples {
		b = le.AppendUint16(b, uint16(s))
	}
	return b
}

// writeWAV writes a WAV file.
func writeWAV(path string, a wavAudio) error { return os.WriteFile(path, encodeWAV(a), 0o644) }

// readWAV reads a 16-bit PCM WAV file.
func readWAV(path string) (wavAudio, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return wavAudio{}, err
	}
	return decodeWAV(b)
}

// decodeWAV parses a 16-bit PCM (or WAVE_FORMAT_EXTENSIBLE 16-bit) WAV
// file.
func decodeWAV(b []byte) (wavAudio, error) {
	le := binary.LittleEndian
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return wavAudio{}, errors.New("wav: not a RIFF/WAVE file")
	}
	var a wavAudio
	haveFmt := false
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int(le.Uint32(b[off+4:off+8]))
		body := b[off+8:]
		switch id {
		case "fmt ":
			if size < 16 || len(body) < 16 {
				return wavAudio{}, errors.New("wav: short fmt chunk")
			}
			format, bits := le.Uint16(body[0:2]), le.Uint16(body[14:16])
			if (format != 1 && format != 0xFFFE) || bits != 16 {
				return wavAudio{}, fmt.Errorf("wav: format %d with %d bits, want 16-bit PCM", format, bits)
			}
			a.Channels, a.Rate = int(le.Uint16(body[2:4])), int(le.Uint32(body[4:8]))
			haveFmt = a.Channels > 0 && a.Rate > 0
		case "data":
			if !haveFmt {
				return wavAudio{}, errors.New("wav: data before fmt")
			}
			if size == 0 || size > len(body) { // unfinished recording
				size = len(body)
			}
			a.Samples = make([]int16, size/2)
			for i := range a.Samples {
				a.Samples[i] = int16(le.Uint16(body[2*i:]))
			}
			return a, nil
		}
		if size < 0 || size > len(body) {
			break
		}
		off += 8 + size + size%2 // chunks are padded to even sizes
	}
	return wavAudio{}, errors.New("wav: no fmt and data chunks")
}

func TestWAVRoundTrip(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   wavAudio
	}{
		{"empty", wavAudio{Rate: 8000, Channels: 1, Samples: []int16{}}},
		{"mono", wavAudio{Rate: 8000, Channels: 1, Samples: []int16{0, 1, -1, 32767, -32768}}},
		{"stereo", wavAudio{Rate: 16000, Channels: 2, Samples: []int16{1, 2, 3, 4}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeWAV(encodeWAV(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got.Rate != tc.in.Rate || got.Channels != tc.in.Channels || !slices.Equal(got.Samples, tc.in.Samples) {
				t.Fatalf("round trip: got %+v, want %+v", got, tc.in)
			}
		})
	}
}

func TestWAVUnfinishedDataChunk(t *testing.T) {
	t.Parallel()
	b := encodeWAV(wavAudio{Rate: 8000, Channels: 1, Samples: []int16{5, 6, 7}})
	binary.LittleEndian.PutUint32(b[40:44], 0) // the writer never patched the size
	got, err := decodeWAV(b)
	if err != nil || !slices.Equal(got.Samples, []int16{5, 6, 7}) {
		t.Fatalf("got %+v, %v", got, err)
	}
}

func FuzzDecodeWAV(f *testing.F) {
	f.Add(encodeWAV(wavAudio{Rate: 8000, Channels: 1, Samples: []int16{1, 2, 3}}))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEdata\xff\xff\xff\xff"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decodeWAV(b)
		if err != nil {
			return
		}
		again, err := decodeWAV(encodeWAV(a))
		if err != nil || !slices.Equal(again.Samples, a.Samples) {
			t.Fatalf("re-encoding %+v: %+v, %v", a, again, err)
		}
	})
}
