package sdpneg

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds Parse arbitrary bodies, seeded with the samples in
// testdata. Parse must not panic, and whatever it accepts must be
// answerable with an answer that Parse accepts in turn.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.sdp"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed corpus: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			return
		}
		if m.Addr == nil || m.Port <= 0 || m.Port > 65535 || len(m.Codecs) == 0 {
			t.Fatalf("Parse(%q) accepted %+v", b, m)
		}
		l := local4()
		body, codec, err := Answer(l, m, DefaultCodecs(), SendRecv)
		if err != nil {
			t.Fatalf("Answer to %q: %v", b, err)
		}
		got, err := Parse(body)
		if err != nil {
			t.Fatalf("Parse(Answer(%q)) = %v for\n%s", b, err, body)
		}
		if got.Port != l.Port || got.Codecs[0] != codec {
			t.Fatalf("answer %+v to %q does not carry %v", got, b, codec)
		}
		fwd, err := Parse(ForwardOffer(l, m))
		if err != nil || len(fwd.Codecs) != len(m.Codecs) {
			t.Fatalf("forwarded offer for %q: %+v, %v", b, fwd, err)
		}
	})
}
