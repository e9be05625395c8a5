package sdpneg

import (
	"strconv"
	"strings"
)

// Codec is one RTP payload format of an audio stream: its payload type, its
// encoding name and clock rate (as in a=rtpmap) and its a=fmtp parameters.
type Codec struct {
	PT   uint8
	Name string
	Rate int
	FMTP string
}

// The codecs the switch supports. PCMU and PCMA use their static payload
// types; telephone-event (RFC 4733) is dynamic, and 101 with events 0-16 is
// what the switch offers. An answer keeps the offerer's payload type.
var (
	PCMU           = Codec{PT: 0, Name: "PCMU", Rate: 8000}
	PCMA           = Codec{PT: 8, Name: "PCMA", Rate: 8000}
	TelephoneEvent = Codec{PT: 101, Name: "telephone-event", Rate: 8000, FMTP: "0-16"}
)

// DefaultCodecs returns the codecs the switch offers when it starts a call,
// in order of preference: PCMU, PCMA, telephone-event.
func DefaultCodecs() []Codec {
	return []Codec{PCMU, PCMA, TelephoneEvent}
}

// IsEvent reports whether c is telephone-event (DTMF, RFC 4733) rather than
// an audio codec.
func (c Codec) IsEvent() bool {
	return strings.EqualFold(c.Name, TelephoneEvent.Name)
}

// String returns the rtpmap form with the payload type, e.g. "0 PCMU/8000".
func (c Codec) String() string {
	return strconv.Itoa(int(c.PT)) + " " + c.Name + "/" + strconv.Itoa(c.Rate)
}

// sameFormat reports whether a and b are the same format (encoding name and
// clock rate), whatever their payload types.
func sameFormat(a, b Codec) bool {
	return strings.EqualFold(a.Name, b.Name) && a.Rate == b.Rate
}

// known returns the supported codec with c's format, with the canonical
// spelling of its name.
func known(c Codec) (Codec, bool) {
	for _, k := range []Codec{PCMU, PCMA, TelephoneEvent} {
		if sameFormat(k, c) {
			k.PT, k.FMTP = c.PT, c.FMTP
			return k, true
		}
	}
	return Codec{}, false
}

// rtpmap is what one a=rtpmap attribute says about a payload type.
type rtpmap struct {
	name     string
	rate     int
	channels string
}

// staticPT holds the static payload types (RFC 3551) that may appear in an
// m= line without a=rtpmap and that the switch cares about.
var staticPT = map[uint8]rtpmap{
	0: {name: "PCMU", rate: 8000},
	8: {name: "PCMA", rate: 8000},
}

// parseRtpmap parses an a=rtpmap value: "<pt> <name>/<rate>[/<channels>]".
func parseRtpmap(v string) (uint8, rtpmap, bool) {
	ptStr, enc, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return 0, rtpmap{}, false
	}
	pt, err := strconv.ParseUint(ptStr, 10, 8)
	if err != nil {
		return 0, rtpmap{}, false
	}
	parts := strings.Split(strings.TrimSpace(enc), "/")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, rtpmap{}, false
	}
	rate, err := strconv.Atoi(parts[1])
	if err != nil {
		return 0, rtpmap{}, false
	}
	m := rtpmap{name: parts[0], rate: rate}
	if len(parts) == 3 {
		m.channels = parts[2]
	}
	return uint8(pt), m, true
}

// parseFmtp parses an a=fmtp value: "<pt> <parameters>".
func parseFmtp(v string) (uint8, string, bool) {
	ptStr, params, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return 0, "", false
	}
	pt, err := strconv.ParseUint(ptStr, 10, 8)
	if err != nil {
		return 0, "", false
	}
	return uint8(pt), strings.TrimSpace(params), true
}
