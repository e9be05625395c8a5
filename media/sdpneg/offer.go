package sdpneg

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pion/sdp/v3"
)

// PTime is the packetization time, in milliseconds, the switch sends and
// asks for.
const PTime = 20

// Offer returns an SDP offer from the switch on l's leg: one RTP/AVP audio
// stream on l.Addr and l.Port with codecs in order (DefaultCodecs when
// empty), an a=rtpmap for each, an a=fmtp for each codec with FMTP,
// a=ptime:20 and the direction dir.
func Offer(l *Local, codecs []Codec, dir Direction) []byte {
	if len(codecs) == 0 {
		codecs = DefaultCodecs()
	}
	return l.render(l.session(audioStream(l.Port, codecs, dir)))
}

// ForwardOffer returns the offer the switch sends on l's leg for an offer
// in received on the other leg: the same codecs in the same order and the
// same direction, on the switch's address and port. An RFC 2543 hold in in
// (c=0.0.0.0) is forwarded as a=sendonly or a=inactive. in must not be nil.
func ForwardOffer(l *Local, in *Media) []byte {
	return Offer(l, in.Codecs, in.Direction)
}

// Answer returns the switch's answer on l's leg to offer, and the audio
// codec it chose: the first codec of the offer, in the offer's order, that
// has the format of one in supported. telephone-event is kept, with the
// offerer's payload type and fmtp, when the offer has it and supported
// includes telephone-event.
//
// The answer's direction is dir narrowed by the offer (RFC 3264 §6.1): an
// offer sendonly is answered recvonly (or inactive when dir does not
// receive), inactive is answered inactive, and sendrecv is answered dir. A
// B2BUA passes the direction the far leg answered with.
//
// When offer came from Parse, every other m= line of the offer is answered
// with port 0, so the answer has as many m= lines as the offer (RFC 3264
// §6). The error wraps ErrNoCommonCodec when no codec matches.
func Answer(l *Local, offer *Media, supported []Codec, dir Direction) ([]byte, Codec, error) {
	if offer == nil {
		return nil, Codec{}, fmt.Errorf("%w: no offer to answer", ErrNoAudio)
	}
	chosen, ok := chooseCodec(offer.Codecs, supported)
	if !ok {
		return nil, Codec{}, fmt.Errorf("%w: offer has %s, supported are %s",
			ErrNoCommonCodec, codecList(offer.Codecs), codecList(supported))
	}
	codecs := []Codec{chosen}
	if ev, ok := offerEvent(offer); ok && hasEvents(supported) {
		codecs = append(codecs, ev)
	}
	audio := audioStream(l.Port, codecs, answerDirection(offer.Direction, dir))
	return l.render(l.session(answerStreams(offer, audio)...)), chosen, nil
}

// audioStream builds the m=audio section the switch sends.
func audioStream(port int, codecs []Codec, dir Direction) *sdp.MediaDescription {
	md := &sdp.MediaDescription{
		MediaName: sdp.MediaName{
			Media:  "audio",
			Port:   sdp.RangedPort{Value: port},
			Protos: []string{"RTP", "AVP"},
		},
	}
	for _, c := range codecs {
		pt := strconv.Itoa(int(c.PT))
		md.MediaName.Formats = append(md.MediaName.Formats, pt)
		md.Attributes = append(md.Attributes,
			sdp.NewAttribute("rtpmap", pt+" "+c.Name+"/"+strconv.Itoa(c.Rate)))
		if c.FMTP != "" {
			md.Attributes = append(md.Attributes, sdp.NewAttribute("fmtp", pt+" "+c.FMTP))
		}
	}
	md.Attributes = append(md.Attributes,
		sdp.NewAttribute("ptime", strconv.Itoa(PTime)),
		sdp.NewPropertyAttribute(dir.String()))
	return md
}

// answerStreams puts audio in the place of the offer's audio stream and
// rejects every other stream of the offer with port 0.
func answerStreams(offer *Media, audio *sdp.MediaDescription) []*sdp.MediaDescription {
	if len(offer.streams) == 0 {
		return []*sdp.MediaDescription{audio}
	}
	out := make([]*sdp.MediaDescription, 0, len(offer.streams))
	for i, s := range offer.streams {
		if i == offer.index {
			out = append(out, audio)
			continue
		}
		formats := s.formats
		if len(formats) == 0 {
			formats = []string{"0"}
		}
		out = append(out, &sdp.MediaDescription{MediaName: sdp.MediaName{
			Media:   s.media,
			Protos:  strings.Split(s.proto, "/"),
			Formats: formats,
		}})
	}
	return out
}

// chooseCodec returns the first audio codec of offered whose format is in
// supported.
func chooseCodec(offered, supported []Codec) (Codec, bool) {
	for _, c := range offered {
		if c.IsEvent() {
			continue
		}
		for _, s := range supported {
			if sameFormat(c, s) {
				return c, true
			}
		}
	}
	return Codec{}, false
}

// offerEvent returns the offer's telephone-event codec.
func offerEvent(offer *Media) (Codec, bool) {
	for _, c := range offer.Codecs {
		if c.IsEvent() && c.Rate == TelephoneEvent.Rate {
			return c, true
		}
	}
	if offer.HasEvents {
		return Codec{PT: offer.EventPT, Name: TelephoneEvent.Name, Rate: TelephoneEvent.Rate}, true
	}
	return Codec{}, false
}

func hasEvents(codecs []Codec) bool {
	for _, c := range codecs {
		if c.IsEvent() {
			return true
		}
	}
	return false
}

func codecList(codecs []Codec) string {
	if len(codecs) == 0 {
		return "none"
	}
	names := make([]string, len(codecs))
	for i, c := range codecs {
		names[i] = c.Name + "/" + strconv.Itoa(c.Rate)
	}
	return strings.Join(names, ", ")
}
