package codec

import (
	"bytes"
	"errors"
	"testing"
)

func TestEventRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		event Event
		wire  []byte
	}{
		{"start of 5", Event{Code: 5, Volume: 10, Duration: 0}, []byte{5, 10, 0, 0}},
		{"update of #", Event{Code: 11, Volume: 10, Duration: 400}, []byte{11, 10, 0x01, 0x90}},
		{"end of D", Event{Code: 15, End: true, Volume: 63, Duration: 800}, []byte{15, 0x80 | 63, 0x03, 0x20}},
		{"flash, max duration", Event{Code: 16, End: true, Duration: 0xFFFF}, []byte{16, 0x80, 0xFF, 0xFF}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			buf := make([]byte, 6)
			n, err := tc.event.Marshal(buf)
			if err != nil || n != EventSize {
				t.Fatalf("Marshal = %d, %v", n, err)
			}
			if !bytes.Equal(buf[:n], tc.wire) {
				t.Errorf("Marshal wrote % x, want % x", buf[:n], tc.wire)
			}
			got, err := UnmarshalEvent(tc.wire)
			if err != nil {
				t.Fatalf("UnmarshalEvent: %v", err)
			}
			if got != tc.event {
				t.Errorf("UnmarshalEvent = %+v, want %+v", got, tc.event)
			}
		})
	}
}

func TestEventErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func() error
		want error
	}{
		{"unmarshal empty", func() error { _, err := UnmarshalEvent(nil); return err }, ErrShortEvent},
		{"unmarshal 3 bytes", func() error { _, err := UnmarshalEvent([]byte{1, 2, 3}); return err }, ErrShortEvent},
		{"marshal short", func() error { _, err := Event{}.Marshal(make([]byte, 3)); return err }, ErrShortEvent},
		{"marshal volume", func() error { _, err := Event{Volume: 64}.Marshal(make([]byte, 4)); return err }, ErrVolume},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.run(); !errors.Is(err, tc.want) {
				t.Errorf("error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestUnmarshalEventIgnoresReservedBit(t *testing.T) {
	t.Parallel()
	got, err := UnmarshalEvent([]byte{3, 0x40 | 7, 0, 160, 0xAA})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Event{Code: 3, Volume: 7, Duration: 160}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestDigitCodes(t *testing.T) {
	t.Parallel()
	for code, digit := range "0123456789*#ABCD" {
		c, ok := DigitToCode(digit)
		if !ok || int(c) != code {
			t.Errorf("DigitToCode(%q) = %d, %v; want %d", digit, c, ok, code)
		}
		d, ok := CodeToDigit(uint8(code))
		if !ok || d != digit {
			t.Errorf("CodeToDigit(%d) = %q, %v; want %q", code, d, ok, digit)
		}
	}
	for _, lower := range "abcd" {
		c, ok := DigitToCode(lower)
		if !ok || c != uint8(lower-'a'+12) {
			t.Errorf("DigitToCode(%q) = %d, %v", lower, c, ok)
		}
	}
	for _, bad := range "EeX!/ ,:" {
		if _, ok := DigitToCode(bad); ok {
			t.Errorf("DigitToCode(%q) accepted", bad)
		}
	}
	for _, code := range []uint8{16, 32, 255} {
		if _, ok := CodeToDigit(code); ok {
			t.Errorf("CodeToDigit(%d) accepted", code)
		}
	}
}

func FuzzUnmarshalEvent(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add([]byte{5, 10, 0, 0})
	f.Add([]byte{11, 0x8A, 0x03, 0x20})
	f.Add([]byte{16, 0xFF, 0xFF, 0xFF, 0x00, 0x01})
	f.Add([]byte{0x0F, 0x40, 0x01, 0x90})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := UnmarshalEvent(b)
		if len(b) < EventSize {
			if err == nil {
				t.Fatalf("accepted %d bytes", len(b))
			}
			return
		}
		if err != nil {
			t.Fatalf("rejected % x: %v", b, err)
		}
		out := make([]byte, EventSize)
		if _, err := e.Marshal(out); err != nil {
			t.Fatalf("re-marshal of %+v: %v", e, err)
		}
		want := []byte{b[0], b[1] &^ 0x40, b[2], b[3]} // reserved bit cleared
		if !bytes.Equal(out, want) {
			t.Fatalf("round trip of % x gave % x", b[:EventSize], out)
		}
		if d, ok := CodeToDigit(e.Code); ok {
			if c, ok := DigitToCode(d); !ok || c != e.Code {
				t.Fatalf("digit %q of code %d maps back to %d", d, e.Code, c)
			}
		}
	})
}
