package codec

import (
	"encoding/binary"
	"errors"
)

// EventSize is the size in bytes of one RFC 4733 telephone-event payload.
const EventSize = 4

// MaxVolume is the largest volume an Event can carry: the field is six bits
// wide and means -0 to -63 dBm0.
const MaxVolume = 63

// Errors returned by the telephone-event codec. They are plain values so the
// relay can decode events on its per-packet path without allocating.
var (
	ErrShortEvent = errors.New("codec: telephone-event payload shorter than 4 bytes")
	ErrVolume     = errors.New("codec: telephone-event volume above 63")
)

// Event is one RFC 4733 telephone-event payload (section 2.3):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|     event     |E|R| volume    |          duration             |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
type Event struct {
	Code     uint8  // event code; 0-15 are the DTMF digits (see DigitToCode)
	End      bool   // E bit: this packet ends the event
	Volume   uint8  // power level as -dBm0, 0..63
	Duration uint16 // duration so far, in RTP timestamp units
}

// Marshal writes the event into the first 4 bytes of b and returns 4. The
// reserved bit is sent as zero.
func (e Event) Marshal(b []byte) (int, error) {
	if len(b) < EventSize {
		return 0, ErrShortEvent
	}
	if e.Volume > MaxVolume {
		return 0, ErrVolume
	}
	b[0] = e.Code
	b[1] = e.Volume
	if e.End {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:4], e.Duration)
	return EventSize, nil
}

// UnmarshalEvent decodes the first 4 bytes of b. Trailing bytes (a redundant
// or multi-event payload) are ignored, and so is the reserved bit, as the
// RFC asks of receivers.
func UnmarshalEvent(b []byte) (Event, error) {
	if len(b) < EventSize {
		return Event{}, ErrShortEvent
	}
	return Event{
		Code:     b[0],
		End:      b[1]&0x80 != 0,
		Volume:   b[1] & MaxVolume,
		Duration: binary.BigEndian.Uint16(b[2:4]),
	}, nil
}

// dtmfDigits lists the DTMF digits in event-code order (RFC 4733 section 3.2).
const dtmfDigits = "0123456789*#ABCD"

// DigitToCode returns the telephone-event code of a DTMF digit: 0-9, * (10),
// # (11) and A-D (12-15); a-d are accepted as A-D.
func DigitToCode(r rune) (uint8, bool) {
	switch {
	case r >= '0' && r <= '9':
		return uint8(r - '0'), true
	case r == '*':
		return 10, true
	case r == '#':
		return 11, true
	case r >= 'A' && r <= 'D':
		return uint8(r-'A') + 12, true
	case r >= 'a' && r <= 'd':
		return uint8(r-'a') + 12, true
	}
	return 0, false
}

// CodeToDigit returns the DTMF digit of a telephone-event code 0-15. Other
// codes (flash, modem and fax tones) report false.
func CodeToDigit(code uint8) (rune, bool) {
	if int(code) >= len(dtmfDigits) {
		return 0, false
	}
	return rune(dtmfDigits[code]), true
}
