package sdpneg

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"
)

// Media is the audio stream of a session description: where the peer wants
// RTP sent, and what it can send and receive.
type Media struct {
	// Addr is the connection address of the stream: the media-level c=
	// line, or else the session-level one. It is the unspecified address
	// (0.0.0.0 or ::) for an old-style hold; never send RTP there.
	Addr net.IP
	// Port is the RTP port of the m= line.
	Port int
	// Codecs are the payload formats the switch supports, in the order
	// of the m= line, telephone-event included.
	Codecs []Codec
	// EventPT is the payload type of telephone-event/8000 when HasEvents.
	EventPT   uint8
	HasEvents bool
	// Direction is the peer's direction. A connection address of 0.0.0.0
	// (RFC 2543 hold) means the peer does not want to receive, so a
	// sendrecv stream becomes SendOnly and a recvonly one Inactive.
	Direction Direction
	// PTime is the a=ptime value in milliseconds, 0 when absent (RTP/AVP
	// then defaults to 20 ms for PCMU and PCMA).
	PTime int
	// RTCPPort is the port of a=rtcp (RFC 3605), or else Port+1.
	RTCPPort int

	// streams are all m= lines of the parsed body, and index the one
	// Media describes; an answer rejects the others in place.
	streams []stream
	index   int
}

// AudioCodec returns the first codec of m that is not telephone-event: in
// an answer, the codec the answerer chose.
func (m *Media) AudioCodec() (Codec, bool) {
	for _, c := range m.Codecs {
		if !c.IsEvent() {
			return c, true
		}
	}
	return Codec{}, false
}

// stream is one m= line as written in a body.
type stream struct {
	media   string
	proto   string
	formats []string
	// pion is the index of the stream in the description pion parsed,
	// or -1 when the stream was not handed to pion.
	pion int
}

// Parse reads a session description and returns its audio stream: the
// first audio m= line with a non-zero port and the RTP/AVP profile.
//
// Errors wrap ErrMalformed (not SDP, or a bad c= line), ErrNoAudio,
// ErrUnsupported (only secure or feedback profiles, multicast) or
// ErrNoCommonCodec (neither PCMU nor PCMA offered).
func Parse(b []byte) (*Media, error) {
	text, streams := prepare(b)
	if text == "" {
		return nil, fmt.Errorf("%w: empty body", ErrMalformed)
	}
	var sd sdp.SessionDescription
	if err := sd.UnmarshalString(text); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	index, md, err := pickAudio(&sd, streams)
	if err != nil {
		return nil, err
	}
	m := &Media{Port: md.MediaName.Port.Value, streams: streams, index: index}
	if m.Addr, err = connectionAddr(&sd, md); err != nil {
		return nil, err
	}
	if m.Codecs, err = readCodecs(md); err != nil {
		return nil, err
	}
	for _, c := range m.Codecs {
		if c.IsEvent() {
			m.EventPT, m.HasEvents = c.PT, true
		}
	}
	m.Direction = readDirection(&sd, md, m.Addr)
	if p, ok := attrInt(md, &sd, "ptime"); ok && p > 0 {
		m.PTime = p
	}
	m.RTCPPort = m.Port + 1
	if p, ok := attrInt(md, nil, "rtcp"); ok && p > 0 && p <= 65535 {
		m.RTCPPort = p
	}
	return m, nil
}

// prepare normalizes a body for pion: lines end in CRLF, the last one too
// (pion fails with a bare EOF otherwise), trailing blanks are cut (pion
// keeps them in attribute names) and blank lines are dropped. Only audio
// sections are handed to pion, which rejects a whole body for media types
// it does not know, such as T.38's "m=image 0 udptl t38". Every m= line is
// returned in streams so that an answer can reject it in place.
func prepare(b []byte) (string, []stream) {
	var (
		out     strings.Builder
		streams []stream
		keep    = true
		pionIdx = 0
	)
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "m="); ok {
			s := scanStream(rest)
			// A stream too short to describe is left to pion, which
			// then reports the syntax error.
			keep = s.media == "audio" || len(s.formats) == 0
			s.pion = -1
			if keep {
				s.pion = pionIdx
				pionIdx++
			}
			streams = append(streams, s)
		}
		if keep {
			out.WriteString(line)
			out.WriteString("\r\n")
		}
	}
	return out.String(), streams
}

// scanStream splits the value of an m= line: media, port, proto, formats.
func scanStream(v string) stream {
	f := strings.Fields(v)
	var s stream
	if len(f) > 0 {
		s.media = f[0]
	}
	if len(f) > 2 {
		s.proto = f[2]
	}
	if len(f) > 3 {
		s.formats = f[3:]
	}
	return s
}

// pickAudio returns the index in streams and the description of the first
// active RTP/AVP audio stream.
func pickAudio(sd *sdp.SessionDescription, streams []stream) (int, *sdp.MediaDescription, error) {
	unsupported := ""
	for i, s := range streams {
		if s.pion < 0 {
			continue
		}
		if s.pion >= len(sd.MediaDescriptions) {
			return 0, nil, fmt.Errorf("%w: m= line %d not parsed", ErrMalformed, i+1)
		}
		md := sd.MediaDescriptions[s.pion]
		if md.MediaName.Media != "audio" || md.MediaName.Port.Value == 0 {
			continue
		}
		proto := strings.Join(md.MediaName.Protos, "/")
		if proto == "RTP/AVP" {
			return i, md, nil
		}
		if unsupported == "" {
			unsupported = proto
		}
	}
	if unsupported != "" {
		return 0, nil, fmt.Errorf("%w: audio uses %s, only RTP/AVP is supported", ErrUnsupported, unsupported)
	}
	return 0, nil, fmt.Errorf("%w among %d m= lines", ErrNoAudio, len(streams))
}

// connectionAddr returns the address of the c= line that applies to md.
func connectionAddr(sd *sdp.SessionDescription, md *sdp.MediaDescription) (net.IP, error) {
	ci := md.ConnectionInformation
	if ci == nil {
		ci = sd.ConnectionInformation
	}
	if ci == nil || ci.Address == nil {
		return nil, fmt.Errorf("%w: no c= line for the audio stream", ErrMalformed)
	}
	raw := ci.Address.Address
	host, _, ttl := strings.Cut(raw, "/")
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return nil, fmt.Errorf("%w: bad c= line: %q is not an IP address", ErrMalformed, raw)
	case ip.IsMulticast() || ttl:
		return nil, fmt.Errorf("%w: multicast c= address %q", ErrUnsupported, raw)
	case ci.AddressType == "IP4" && (ip.To4() == nil || strings.Contains(host, ":")):
		return nil, fmt.Errorf("%w: bad c= line: %q is not IPv4", ErrMalformed, raw)
	case ci.AddressType == "IP6" && !strings.Contains(host, ":"):
		return nil, fmt.Errorf("%w: bad c= line: %q is not IPv6", ErrMalformed, raw)
	case ci.AddressType == "IP4":
		return ip.To4(), nil
	default:
		return ip, nil
	}
}

// readCodecs returns the supported formats of md's m= line, in its order.
func readCodecs(md *sdp.MediaDescription) ([]Codec, error) {
	maps := map[uint8]rtpmap{}
	fmtps := map[uint8]string{}
	for _, a := range md.Attributes {
		switch a.Key {
		case "rtpmap":
			if pt, m, ok := parseRtpmap(a.Value); ok {
				maps[pt] = m
			}
		case "fmtp":
			if pt, p, ok := parseFmtp(a.Value); ok {
				fmtps[pt] = p
			}
		}
	}
	var (
		codecs  []Codec
		offered []string
		seen    = map[uint8]bool{}
		events  = false
	)
	for _, f := range md.MediaName.Formats {
		pt64, err := strconv.ParseUint(f, 10, 8)
		pt := uint8(pt64)
		if err != nil || seen[pt] {
			continue
		}
		seen[pt] = true
		m, ok := maps[pt]
		if !ok {
			m, ok = staticPT[pt]
		}
		if !ok {
			offered = append(offered, f)
			continue
		}
		offered = append(offered, m.name+"/"+strconv.Itoa(m.rate))
		c, ok := known(Codec{PT: pt, Name: m.name, Rate: m.rate, FMTP: fmtps[pt]})
		if !ok || (m.channels != "" && m.channels != "1") || (c.IsEvent() && events) {
			continue
		}
		events = events || c.IsEvent()
		codecs = append(codecs, c)
	}
	audio := len(codecs)
	if events {
		audio--
	}
	if audio == 0 {
		return nil, fmt.Errorf("%w: audio offers %s, the switch needs PCMU or PCMA",
			ErrNoCommonCodec, strings.Join(offered, " "))
	}
	return codecs, nil
}

// readDirection returns the direction of md: its own attribute, or else
// the session's, with RFC 2543 hold (an unspecified address) applied.
func readDirection(sd *sdp.SessionDescription, md *sdp.MediaDescription, addr net.IP) Direction {
	d, ok := attrDirection(md.Attributes)
	if !ok {
		d, _ = attrDirection(sd.Attributes)
	}
	if addr.IsUnspecified() {
		d = makeDirection(d.Sends(), false)
	}
	return d
}

func attrDirection(attrs []sdp.Attribute) (Direction, bool) {
	for _, a := range attrs {
		if a.Value != "" {
			continue
		}
		if d, ok := parseDirection(a.Key); ok {
			return d, true
		}
	}
	return SendRecv, false
}

// attrInt returns the leading integer of attribute key in md, or else in
// sd when sd is not nil.
func attrInt(md *sdp.MediaDescription, sd *sdp.SessionDescription, key string) (int, bool) {
	v, ok := md.Attribute(key)
	if !ok && sd != nil {
		v, ok = sd.Attribute(key)
	}
	if !ok {
		return 0, false
	}
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	return n, err == nil
}
