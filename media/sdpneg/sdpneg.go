// Package sdpneg implements the SDP offer/answer model (RFC 3264) for the
// switch's audio legs, on top of github.com/pion/sdp.
//
// The switch is a back-to-back user agent that anchors media: every leg of a
// call has its own RTP port on the switch, described by a [Local]. For a call
// from phone A to phone B the B2BUA does, on every INVITE and re-INVITE:
//
//	offerA, err := sdpneg.Parse(bodyFromA)            // what A offers
//	toB := sdpneg.ForwardOffer(legB, offerA)           // same codecs, switch's address
//	answerB, err := sdpneg.Parse(bodyFromB)            // what B chose
//	toA, codec, err := sdpneg.Answer(legA, offerA, answerB.Codecs, answerB.Direction)
//
// Only plain RTP (RTP/AVP) audio with PCMU, PCMA and telephone-event/8000
// (RFC 4733) is negotiated; everything else in a body is ignored, and streams
// the switch does not take part in are rejected in the answer with port 0.
//
// Hold and resume travel as directions ([SendOnly], [Inactive], [SendRecv]);
// an old-style RFC 2543 hold (c=0.0.0.0) is folded into [Media.Direction] by
// [Parse]. A [Local] keeps the o= line's version in step with what it sends
// (RFC 3264 §8), so the same SDP is sent again unchanged and a changed one
// always carries a higher version.
package sdpneg

import (
	"errors"
	"strconv"
)

// Errors returned by this package, wrapped with details. Test with errors.Is.
// A SIP user agent answers all of them with 488 Not Acceptable Here.
var (
	// ErrMalformed reports a body that is not valid SDP, or whose c= line
	// or audio m= line cannot be used.
	ErrMalformed = errors.New("sdpneg: malformed SDP")
	// ErrNoAudio reports a body without an active (port != 0) audio stream.
	ErrNoAudio = errors.New("sdpneg: no active audio stream")
	// ErrUnsupported reports an audio stream the switch cannot take part
	// in: secure or feedback profiles (RTP/SAVP, RTP/SAVPF, RTP/AVPF …) or
	// a multicast address.
	ErrUnsupported = errors.New("sdpneg: unsupported media")
	// ErrNoCommonCodec reports an audio stream without PCMU or PCMA, or
	// without any codec in the list the caller supports.
	ErrNoCommonCodec = errors.New("sdpneg: no common codec")
)

// Direction is the media direction of a stream (RFC 3264 §5.1), seen from
// the side that wrote the SDP. The zero value is SendRecv, the default when
// an SDP carries no direction attribute.
type Direction int

// Directions, named after their SDP attributes.
const (
	SendRecv Direction = iota
	SendOnly
	RecvOnly
	Inactive
)

// String returns the SDP attribute name: "sendrecv", "sendonly",
// "recvonly" or "inactive".
func (d Direction) String() string {
	switch d {
	case SendRecv:
		return "sendrecv"
	case SendOnly:
		return "sendonly"
	case RecvOnly:
		return "recvonly"
	case Inactive:
		return "inactive"
	default:
		return "Direction(" + strconv.Itoa(int(d)) + ")"
	}
}

// Reverse returns the direction seen from the other side: SendOnly and
// RecvOnly swap, SendRecv and Inactive stay.
func (d Direction) Reverse() Direction {
	switch d {
	case SendOnly:
		return RecvOnly
	case RecvOnly:
		return SendOnly
	default:
		return d
	}
}

// Sends reports whether the side that wrote the SDP sends media.
func (d Direction) Sends() bool { return d == SendRecv || d == SendOnly }

// Receives reports whether the side that wrote the SDP receives media.
func (d Direction) Receives() bool { return d == SendRecv || d == RecvOnly }

// makeDirection builds a direction from its two halves.
func makeDirection(send, recv bool) Direction {
	switch {
	case send && recv:
		return SendRecv
	case send:
		return SendOnly
	case recv:
		return RecvOnly
	default:
		return Inactive
	}
}

// parseDirection maps a direction attribute name to a Direction.
func parseDirection(s string) (Direction, bool) {
	for _, d := range []Direction{SendRecv, SendOnly, RecvOnly, Inactive} {
		if s == d.String() {
			return d, true
		}
	}
	return SendRecv, false
}

// answerDirection is the direction an answerer that wants dir uses for an
// offer with direction offered: it may only send where the offerer receives
// and receive where the offerer sends (RFC 3264 §6.1).
func answerDirection(offered, dir Direction) Direction {
	want := offered.Reverse()
	return makeDirection(want.Sends() && dir.Sends(), want.Receives() && dir.Receives())
}
