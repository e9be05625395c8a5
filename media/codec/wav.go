package codec

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// WAV format tags: the audio format field of the fmt chunk.
const (
	wavPCM        = 1
	wavALaw       = 6
	wavULaw       = 7
	wavExtensible = 0xFFFE // the real tag is the first two bytes of the sub-format GUID
)

// MaxWAVSize bounds what ReadWAV reads: 64 MiB, over an hour of 8 kHz
// 16-bit mono audio.
const MaxWAVSize = 64 << 20

// wavUnknownSize is the size a streaming writer leaves in the RIFF and data
// headers until it knows the real one. DecodeWAV reads such a data chunk
// to the end of the file.
const wavUnknownSize = 0xFFFFFFFF

// wavHeaderSize is the size of the canonical header WAVWriter writes.
const wavHeaderSize = 44

// WAVError says why a WAV file cannot be used: it is malformed, or its
// audio is not 8 kHz G.711 or 16-bit PCM with the channels asked for. I/O
// errors are returned as they are, so errors.As tells the two apart.
type WAVError struct {
	Reason string
}

func (e *WAVError) Error() string { return "wav: " + e.Reason }

func wavErrorf(format string, args ...any) error {
	return &WAVError{Reason: fmt.Sprintf(format, args...)}
}

// ReadWAV reads a whole WAV file from r and decodes it like DecodeWAV.
// Files larger than MaxWAVSize are refused.
func ReadWAV(r io.Reader) ([]int16, error) { return readWAV(r, MaxWAVSize) }

func readWAV(r io.Reader, limit int64) ([]int16, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, wavErrorf("file larger than %d bytes", limit)
	}
	return DecodeWAV(b)
}

// DecodeWAV returns the samples of a mono 8 kHz WAV file held in b, in
// 16-bit linear PCM (format 1), A-law (6) or µ-law (7); G.711 is expanded
// to linear. Any other file gets a *WAVError naming what is wrong, such as
// "wav: sample rate 44100 Hz, want 8000".
func DecodeWAV(b []byte) ([]int16, error) {
	chans, err := decodeWAV(b, 1)
	if err != nil {
		return nil, err
	}
	return chans[0], nil
}

// DecodeWAVChannels is DecodeWAV for files of one or two channels, such as
// a call recording: it returns the samples of each channel separately.
func DecodeWAVChannels(b []byte) ([][]int16, error) {
	return decodeWAV(b, 2)
}

// decodeWAV walks the RIFF chunks, checking every chunk size against what
// is left of b, and decodes the data chunk with the fmt chunk before it.
// The RIFF size is not trusted: streaming writers often leave it wrong.
func decodeWAV(b []byte, maxChannels int) ([][]int16, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, wavErrorf("not a RIFF/WAVE file")
	}
	var f wavFormat
	haveFmt := false
	for off := 12; len(b)-off >= 8; {
		id := b[off : off+4]
		size := uint64(binary.LittleEndian.Uint32(b[off+4 : off+8]))
		body := off + 8
		left := uint64(len(b) - body)
		switch string(id) {
		case "fmt ":
			if size > left {
				return nil, wavErrorf("fmt chunk of %d bytes, only %d left", size, left)
			}
			var err error
			if f, err = parseWAVFormat(b[body:body+int(size)], maxChannels); err != nil {
				return nil, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, wavErrorf("data chunk before the fmt chunk")
			}
			if size == wavUnknownSize {
				size = left
			}
			if size > left {
				return nil, wavErrorf("data chunk of %d bytes, only %d left", size, left)
			}
			return f.decode(b[body : body+int(size)]), nil
		default:
			if size > left {
				return nil, wavErrorf("%q chunk of %d bytes, only %d left", id, size, left)
			}
		}
		off = body + int(size) + int(size&1) // chunks are padded to even sizes
	}
	if !haveFmt {
		return nil, wavErrorf("no fmt chunk")
	}
	return nil, wavErrorf("no data chunk")
}

// wavFormat is what the decoder needs from a fmt chunk.
type wavFormat struct {
	tag      uint16
	channels int
}

// parseWAVFormat checks a fmt chunk body and names the first thing that
// does not fit: format, channels, sample rate, sample size, block align.
func parseWAVFormat(c []byte, maxChannels int) (wavFormat, error) {
	if len(c) < 16 {
		return wavFormat{}, wavErrorf("fmt chunk of %d bytes, want at least 16", len(c))
	}
	le := binary.LittleEndian
	tag, channels, rate := le.Uint16(c[0:2]), int(le.Uint16(c[2:4])), le.Uint32(c[4:8])
	align, bits := int(le.Uint16(c[12:14])), int(le.Uint16(c[14:16]))
	if tag == wavExtensible {
		if len(c) < 40 {
			return wavFormat{}, wavErrorf("extensible fmt chunk of %d bytes, want 40", len(c))
		}
		tag = le.Uint16(c[24:26])
	}
	var name string
	wantBits := 8
	switch tag {
	case wavPCM:
		name, wantBits = "PCM", 16
	case wavALaw:
		name = "A-law"
	case wavULaw:
		name = "µ-law"
	default:
		return wavFormat{}, wavErrorf("audio format %d, want PCM (1), A-law (6) or µ-law (7)", tag)
	}
	switch {
	case channels < 1 || channels > maxChannels:
		if maxChannels == 1 {
			return wavFormat{}, wavErrorf("%d channels, want 1", channels)
		}
		return wavFormat{}, wavErrorf("%d channels, want 1 to %d", channels, maxChannels)
	case rate != SampleRate:
		return wavFormat{}, wavErrorf("sample rate %d Hz, want %d", rate, SampleRate)
	case bits != wantBits:
		return wavFormat{}, wavErrorf("%d-bit %s, want %d-bit", bits, name, wantBits)
	case align != channels*bits/8:
		return wavFormat{}, wavErrorf("block align %d, want %d", align, channels*bits/8)
	}
	return wavFormat{tag: tag, channels: channels}, nil
}

// decode splits the interleaved data into channels, expanding G.711. A
// trailing partial block is ignored.
func (f wavFormat) decode(d []byte) [][]int16 {
	width := 1
	if f.tag == wavPCM {
		width = 2
	}
	n := len(d) / (width * f.channels)
	out := make([][]int16, f.channels)
	for ch := range out {
		out[ch] = make([]int16, n)
	}
	var table *[256]int16
	switch f.tag {
	case wavULaw:
		table = &ulawDecodeTable
	case wavALaw:
		table = &alawDecodeTable
	}
	for i := range n {
		for ch := range out {
			k := (i*f.channels + ch) * width
			if table != nil {
				out[ch][i] = table[d[k]]
			} else {
				out[ch][i] = int16(binary.LittleEndian.Uint16(d[k:]))
			}
		}
	}
	return out
}

// maxWAVData is the largest data chunk a WAVWriter writes, so that the
// RIFF size (data + 36) fits in 32 bits.
const maxWAVData = 0xFFFFFFFF - wavHeaderSize

// WAVWriter writes an 8 kHz 16-bit linear PCM WAV file, mono or stereo, as
// the audio comes. It writes the header first with the sizes unknown
// (0xFFFFFFFF, which DecodeWAV reads to the end of the file, so an
// interrupted recording stays readable) and patches them in Close. Writes
// are buffered and allocate nothing. It is not safe for concurrent use.
type WAVWriter struct {
	ws       io.WriteSeeker
	bw       *bufio.Writer
	start    int64 // offset of the header in ws
	channels int
	data     int64 // bytes of samples written
	err      error // sticky
	closed   bool
	scratch  [512]byte
}

// NewWAVWriter writes a WAV header for channels (1 or 2) at ws's current
// position and returns a writer for the samples that follow.
func NewWAVWriter(ws io.WriteSeeker, channels int) (*WAVWriter, error) {
	if channels != 1 && channels != 2 {
		return nil, fmt.Errorf("wav: cannot write %d channels, only 1 or 2", channels)
	}
	start, err := ws.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	w := &WAVWriter{ws: ws, bw: bufio.NewWriterSize(ws, 8192), start: start, channels: channels}
	var h [wavHeaderSize]byte
	le := binary.LittleEndian
	copy(h[0:4], "RIFF")
	le.PutUint32(h[4:8], wavUnknownSize)
	copy(h[8:16], "WAVEfmt ")
	le.PutUint32(h[16:20], 16)
	le.PutUint16(h[20:22], wavPCM)
	le.PutUint16(h[22:24], uint16(channels))
	le.PutUint32(h[24:28], SampleRate)
	le.PutUint32(h[28:32], uint32(SampleRate*2*channels)) // byte rate
	le.PutUint16(h[32:34], uint16(2*channels))            // block align
	le.PutUint16(h[34:36], 16)                            // bits per sample
	copy(h[36:40], "data")
	le.PutUint32(h[40:44], wavUnknownSize)
	if _, err := w.bw.Write(h[:]); err != nil {
		return nil, err
	}
	return w, nil
}

// Channels returns the number of channels the writer was made for.
func (w *WAVWriter) Channels() int { return w.channels }

// Samples returns how many samples per channel have been written.
func (w *WAVWriter) Samples() int64 { return w.data / int64(2*w.channels) }

// WriteSamples appends samples, interleaved left, right for two channels;
// len(pcm) must be a multiple of the channel count. After an error every
// later call returns it.
func (w *WAVWriter) WriteSamples(pcm []int16) error {
	switch {
	case w.err != nil:
		return w.err
	case w.closed:
		return errors.New("wav: write after Close")
	case len(pcm)%w.channels != 0:
		return fmt.Errorf("wav: %d samples do not fill %d channels", len(pcm), w.channels)
	case w.data+2*int64(len(pcm)) > maxWAVData:
		w.err = errors.New("wav: file would exceed 4 GiB")
		return w.err
	}
	for len(pcm) > 0 {
		n := min(len(pcm), len(w.scratch)/2)
		for i, s := range pcm[:n] {
			binary.LittleEndian.PutUint16(w.scratch[2*i:], uint16(s))
		}
		if _, err := w.bw.Write(w.scratch[:2*n]); err != nil {
			w.err = err
			return err
		}
		w.data += 2 * int64(n)
		pcm = pcm[n:]
	}
	return nil
}

// Close flushes the samples, writes the real RIFF and data sizes into the
// header and leaves ws positioned after the data. It does not close ws.
// Calling it again does nothing.
func (w *WAVWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	end := w.start + wavHeaderSize + w.data
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(36+w.data))
	if err := w.patch(w.start+4, b[:]); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b[:], uint32(w.data))
	if err := w.patch(w.start+40, b[:]); err != nil {
		return err
	}
	if _, err := w.ws.Seek(end, io.SeekStart); err != nil {
		w.err = err
	}
	return w.err
}

func (w *WAVWriter) patch(at int64, b []byte) error {
	if _, err := w.ws.Seek(at, io.SeekStart); err != nil {
		w.err = err
		return err
	}
	if _, err := w.ws.Write(b); err != nil {
		w.err = err
		return err
	}
	return nil
}
