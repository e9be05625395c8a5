package codec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// memFile is an in-memory io.WriteSeeker.
type memFile struct {
	b   []byte
	off int64
}

func (m *memFile) Write(p []byte) (int, error) {
	if need := int(m.off) + len(p); need > len(m.b) {
		m.b = append(m.b, make([]byte, need-len(m.b))...)
	}
	copy(m.b[m.off:], p)
	m.off += int64(len(p))
	return len(p), nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += m.off
	case io.SeekEnd:
		off += int64(len(m.b))
	}
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	m.off = off
	return off, nil
}

// wavFmt describes the fmt chunk of a hand-built file.
type wavFmt struct {
	tag, channels, align, bits uint16
	rate                       uint32
}

var (
	pcmMono  = wavFmt{tag: wavPCM, channels: 1, rate: 8000, align: 2, bits: 16}
	ulawMono = wavFmt{tag: wavULaw, channels: 1, rate: 8000, align: 1, bits: 8}
	alawMono = wavFmt{tag: wavALaw, channels: 1, rate: 8000, align: 1, bits: 8}
)

func (f wavFmt) chunk() []byte {
	b := make([]byte, 16)
	le := binary.LittleEndian
	le.PutUint16(b[0:], f.tag)
	le.PutUint16(b[2:], f.channels)
	le.PutUint32(b[4:], f.rate)
	le.PutUint32(b[8:], f.rate*uint32(f.align))
	le.PutUint16(b[12:], f.align)
	le.PutUint16(b[14:], f.bits)
	return b
}

// extensible returns a WAVE_FORMAT_EXTENSIBLE fmt chunk carrying f's tag
// in its sub-format GUID.
func (f wavFmt) extensible() []byte {
	inner := f.tag
	f.tag = wavExtensible
	b := append(f.chunk(), make([]byte, 24)...)
	le := binary.LittleEndian
	le.PutUint16(b[16:], 22)     // cbSize
	le.PutUint16(b[18:], f.bits) // valid bits
	le.PutUint32(b[20:], 4)      // channel mask: front centre
	le.PutUint16(b[24:], inner)
	copy(b[26:], "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71")
	return b
}

func chunk(id string, body []byte) []byte {
	b := make([]byte, 8, 8+len(body)+1)
	copy(b, id)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(body)))
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// riff wraps chunks in a RIFF/WAVE header with a correct size.
func riff(chunks ...[]byte) []byte {
	body := append([]byte("WAVE"), slices.Concat(chunks...)...)
	return append(chunk("RIFF", body)[:8:8], body...)
}

func pcmBytes(pcm []int16) []byte {
	b := make([]byte, 2*len(pcm))
	for i, s := range pcm {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(s))
	}
	return b
}

func TestDecodeWAV(t *testing.T) {
	t.Parallel()
	pcm := tone(8000, 1000)[:800]
	ulaw := make([]byte, len(pcm))
	EncodeULaw(ulaw, pcm)
	alaw := make([]byte, len(pcm))
	EncodeALaw(alaw, pcm)
	ulawPCM := make([]int16, len(pcm))
	DecodeULaw(ulawPCM, ulaw)
	alawPCM := make([]int16, len(pcm))
	DecodeALaw(alawPCM, alaw)
	unknownSize := riff(chunk("fmt ", pcmMono.chunk()), chunk("data", pcmBytes(pcm)))
	binary.LittleEndian.PutUint32(unknownSize[40:], wavUnknownSize)
	binary.LittleEndian.PutUint32(unknownSize[4:], wavUnknownSize)
	tests := []struct {
		name string
		file []byte
		want []int16
	}{
		{"PCM", riff(chunk("fmt ", pcmMono.chunk()), chunk("data", pcmBytes(pcm))), pcm},
		{"µ-law", riff(chunk("fmt ", ulawMono.chunk()), chunk("fact", []byte{0x20, 3, 0, 0}), chunk("data", ulaw)), ulawPCM},
		{"A-law", riff(chunk("fmt ", alawMono.chunk()), chunk("data", alaw)), alawPCM},
		{"extensible PCM", riff(chunk("fmt ", pcmMono.extensible()), chunk("data", pcmBytes(pcm))), pcm},
		{"fmt with cbSize", riff(chunk("fmt ", append(ulawMono.chunk(), 0, 0)), chunk("data", ulaw)), ulawPCM},
		{"odd LIST chunk skipped with its pad byte", riff(chunk("LIST", []byte("INFOx")), chunk("fmt ", pcmMono.chunk()), chunk("data", pcmBytes(pcm))), pcm},
		{"sizes left unknown by a streaming writer", unknownSize, pcm},
		{"trailing half sample ignored", riff(chunk("fmt ", pcmMono.chunk()), chunk("data", append(pcmBytes(pcm[:3]), 7))), pcm[:3]},
		{"chunks after data ignored", riff(chunk("fmt ", alawMono.chunk()), chunk("data", alaw[:2]), chunk("LIST", []byte("junk"))), alawPCM[:2]},
		{"empty data", riff(chunk("fmt ", pcmMono.chunk()), chunk("data", nil)), []int16{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeWAV(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("decoded %d samples, want %d (first %v, want %v)", len(got), len(tc.want), got[:min(4, len(got))], tc.want[:min(4, len(tc.want))])
			}
			back, err := ReadWAV(bytes.NewReader(tc.file))
			if err != nil || !slices.Equal(back, got) {
				t.Errorf("ReadWAV differs from DecodeWAV: %v", err)
			}
		})
	}
}

func TestDecodeWAVErrors(t *testing.T) {
	t.Parallel()
	data := chunk("data", make([]byte, 320))
	with := func(mod func(*wavFmt)) []byte {
		f := pcmMono
		mod(&f)
		return riff(chunk("fmt ", f.chunk()), data)
	}
	truncatedData := riff(chunk("fmt ", pcmMono.chunk()), data)
	truncatedData = truncatedData[:len(truncatedData)-10]
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "wav: not a RIFF/WAVE file"},
		{"AIFF", append([]byte("FORM\x00\x00\x00\x04AIFF"), data...), "wav: not a RIFF/WAVE file"},
		{"RIFF but not WAVE", append([]byte("RIFF\x04\x00\x00\x00AVI "), data...), "wav: not a RIFF/WAVE file"},
		{"44.1 kHz", with(func(f *wavFmt) { f.rate = 44100 }), "wav: sample rate 44100 Hz, want 8000"},
		{"16 kHz", with(func(f *wavFmt) { f.rate = 16000 }), "wav: sample rate 16000 Hz, want 8000"},
		{"stereo", with(func(f *wavFmt) { f.channels, f.align = 2, 4 }), "wav: 2 channels, want 1"},
		{"no channels", with(func(f *wavFmt) { f.channels = 0 }), "wav: 0 channels, want 1"},
		{"8-bit PCM", with(func(f *wavFmt) { f.bits, f.align = 8, 1 }), "wav: 8-bit PCM, want 16-bit"},
		{"24-bit PCM", with(func(f *wavFmt) { f.bits, f.align = 24, 3 }), "wav: 24-bit PCM, want 16-bit"},
		{"16-bit µ-law", with(func(f *wavFmt) { f.tag = wavULaw }), "wav: 16-bit µ-law, want 8-bit"},
		{"float", with(func(f *wavFmt) { f.tag, f.bits, f.align = 3, 32, 4 }), "wav: audio format 3, want PCM (1), A-law (6) or µ-law (7)"},
		{"GSM", with(func(f *wavFmt) { f.tag = 0x31 }), "wav: audio format 49, want PCM (1), A-law (6) or µ-law (7)"},
		{"bad block align", with(func(f *wavFmt) { f.align = 3 }), "wav: block align 3, want 2"},
		{"short fmt", riff(chunk("fmt ", pcmMono.chunk()[:14]), data), "wav: fmt chunk of 14 bytes, want at least 16"},
		{"short extensible fmt", riff(chunk("fmt ", pcmMono.extensible()[:30]), data), "wav: extensible fmt chunk of 30 bytes, want 40"},
		{"fmt larger than file", riff(chunk("fmt ", pcmMono.chunk()))[:30], "wav: fmt chunk of 16 bytes, only 10 left"},
		{"data larger than file", truncatedData, "wav: data chunk of 320 bytes, only 310 left"},
		{"other chunk larger than file", riff(chunk("LIST", make([]byte, 40)))[:30], `wav: "LIST" chunk of 40 bytes, only 10 left`},
		{"data before fmt", riff(data, chunk("fmt ", pcmMono.chunk())), "wav: data chunk before the fmt chunk"},
		{"no fmt", riff(chunk("LIST", []byte("INFO"))), "wav: no fmt chunk"},
		{"no data", riff(chunk("fmt ", pcmMono.chunk())), "wav: no data chunk"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeWAV(tc.file)
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
			var we *WAVError
			if !errors.As(err, &we) {
				t.Errorf("%T is not a *WAVError", err)
			}
		})
	}
}

func TestDecodeWAVChannels(t *testing.T) {
	t.Parallel()
	left, right := tone(8000, 1000)[:400], tone(8000, 600)[:400]
	inter := make([]int16, 0, 800)
	for i := range left {
		inter = append(inter, left[i], right[i])
	}
	stereo := riff(chunk("fmt ", wavFmt{tag: wavPCM, channels: 2, rate: 8000, align: 4, bits: 16}.chunk()), chunk("data", pcmBytes(inter)))
	got, err := DecodeWAVChannels(stereo)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !slices.Equal(got[0], left) || !slices.Equal(got[1], right) {
		t.Fatalf("channels not split back: %d channels", len(got))
	}
	if _, err := DecodeWAV(stereo); err == nil || err.Error() != "wav: 2 channels, want 1" {
		t.Errorf("DecodeWAV of stereo: %v", err)
	}
	three := riff(chunk("fmt ", wavFmt{tag: wavPCM, channels: 3, rate: 8000, align: 6, bits: 16}.chunk()), chunk("data", nil))
	if _, err := DecodeWAVChannels(three); err == nil || err.Error() != "wav: 3 channels, want 1 to 2" {
		t.Errorf("DecodeWAVChannels of 3 channels: %v", err)
	}
}

func TestReadWAVTooLarge(t *testing.T) {
	t.Parallel()
	file := riff(chunk("fmt ", pcmMono.chunk()), chunk("data", make([]byte, 100)))
	_, err := readWAV(bytes.NewReader(file), int64(len(file)-1))
	var we *WAVError
	if !errors.As(err, &we) || err.Error() != fmt.Sprintf("wav: file larger than %d bytes", len(file)-1) {
		t.Errorf("error %v, want a size error", err)
	}
	if _, err := readWAV(bytes.NewReader(file), int64(len(file))); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

func TestWAVWriterRoundTrip(t *testing.T) {
	t.Parallel()
	left, right := tone(9000, 1000), tone(9000, 600)
	for _, channels := range []int{1, 2} {
		t.Run(map[int]string{1: "mono", 2: "stereo"}[channels], func(t *testing.T) {
			t.Parallel()
			f := &memFile{b: []byte("prefix")}
			f.off = 6
			w, err := NewWAVWriter(f, channels)
			if err != nil {
				t.Fatal(err)
			}
			frame := make([]int16, ToneBlock*channels)
			for off := 0; off < len(left); off += ToneBlock {
				for i := range ToneBlock {
					frame[i*channels] = left[off+i]
					if channels == 2 {
						frame[i*channels+1] = right[off+i]
					}
				}
				if err := w.WriteSamples(frame); err != nil {
					t.Fatal(err)
				}
			}
			if got := w.Samples(); got != int64(len(left)) {
				t.Errorf("Samples = %d, want %d", got, len(left))
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
			if err := w.WriteSamples(frame); err == nil {
				t.Error("write after Close accepted")
			}
			file := f.b[6:]
			dataSize := len(left) * 2 * channels
			if len(file) != 44+dataSize || f.off != int64(len(f.b)) {
				t.Fatalf("file is %d bytes (position %d), want %d", len(file), f.off, 44+dataSize)
			}
			le := binary.LittleEndian
			if le.Uint32(file[4:]) != uint32(36+dataSize) || le.Uint32(file[40:]) != uint32(dataSize) {
				t.Errorf("sizes RIFF %d data %d, want %d and %d", le.Uint32(file[4:]), le.Uint32(file[40:]), 36+dataSize, dataSize)
			}
			got, err := DecodeWAVChannels(file)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got[0], left) || (channels == 2 && !slices.Equal(got[1], right)) {
				t.Error("samples differ after the round trip")
			}
		})
	}
}

// TestWAVWriterFile writes through a real file, and checks that a file
// whose writer never reached Close is still readable to its end.
func TestWAVWriterFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "x.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := NewWAVWriter(f, 1)
	if err != nil {
		t.Fatal(err)
	}
	pcm := tone(8000, 440)[:1000]
	if err := w.WriteSamples(pcm); err != nil {
		t.Fatal(err)
	}
	if err := w.bw.Flush(); err != nil { // as if the process stopped here
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecodeWAV(b); err != nil || !slices.Equal(got, pcm) {
		t.Fatalf("unfinished file: %d samples, %v", len(got), err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := DecodeWAV(b); err != nil || !slices.Equal(got, pcm) || len(b) != 44+2000 {
		t.Fatalf("finished file: %d bytes, %d samples, %v", len(b), len(got), err)
	}
}

func TestWAVWriterErrors(t *testing.T) {
	t.Parallel()
	if _, err := NewWAVWriter(&memFile{}, 3); err == nil {
		t.Error("3 channels accepted")
	}
	w, err := NewWAVWriter(&memFile{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteSamples(make([]int16, 3)); err == nil {
		t.Error("3 samples accepted for 2 channels")
	}
}

func TestWAVWriterNoAllocs(t *testing.T) {
	w, err := NewWAVWriter(&memFile{b: make([]byte, 0, 1<<20)}, 2)
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]int16, 2*ToneBlock)
	if allocs := testing.AllocsPerRun(100, func() { _ = w.WriteSamples(frame) }); allocs != 0 {
		t.Errorf("%v allocations per frame", allocs)
	}
}

func FuzzDecodeWAV(f *testing.F) {
	pcm := tone(8000, 1000)[:64]
	ulaw := make([]byte, 64)
	EncodeULaw(ulaw, pcm)
	f.Add(riff(chunk("fmt ", pcmMono.chunk()), chunk("data", pcmBytes(pcm))))
	f.Add(riff(chunk("fmt ", ulawMono.chunk()), chunk("fact", []byte{64, 0, 0, 0}), chunk("data", ulaw)))
	f.Add(riff(chunk("fmt ", alawMono.chunk()), chunk("data", ulaw[:7])))
	f.Add(riff(chunk("fmt ", pcmMono.extensible()), chunk("data", pcmBytes(pcm[:5]))))
	f.Add(riff(chunk("LIST", []byte("INFOodd")), chunk("fmt ", pcmMono.chunk()), chunk("data", nil)))
	f.Add(riff(chunk("fmt ", wavFmt{tag: wavPCM, channels: 2, rate: 8000, align: 4, bits: 16}.chunk()), chunk("data", pcmBytes(pcm))))
	f.Add([]byte("RIFF\xff\xff\xff\xffWAVEfmt \xff\xff\xff\xff"))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEdata\xff\xff\xff\xff"))
	f.Add([]byte("RIFF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		mono, err := DecodeWAV(b)
		chans, errChans := DecodeWAVChannels(b)
		if err == nil {
			if errChans != nil || len(chans) != 1 || !slices.Equal(chans[0], mono) {
				t.Fatalf("DecodeWAVChannels disagrees with DecodeWAV: %v", errChans)
			}
			if len(mono) > len(b) {
				t.Fatalf("%d samples from %d bytes", len(mono), len(b))
			}
		} else if _, ok := err.(*WAVError); !ok {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if errChans != nil {
			return
		}
		// What was read writes back and reads again the same.
		out := &memFile{}
		w, err := NewWAVWriter(out, len(chans))
		if err != nil {
			t.Fatal(err)
		}
		inter := make([]int16, 0, len(chans)*len(chans[0]))
		for i := range chans[0] {
			for _, c := range chans {
				inter = append(inter, c[i])
			}
		}
		if err := w.WriteSamples(inter); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := DecodeWAVChannels(out.b)
		if err != nil {
			t.Fatal(err)
		}
		for i := range chans {
			if !slices.Equal(again[i], chans[i]) {
				t.Fatalf("channel %d differs after writing back", i)
			}
		}
	})
}
