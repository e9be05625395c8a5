// Package rtpsession anchors the media of a back-to-back user agent.
//
// Every call leg gets a local RTP socket on an even port and an RTCP socket
// on the next port from a PortPool, which keeps the sockets of released
// pairs open for later calls once nothing of the package uses them. A
// Relay joins two legs: what arrives on leg A's sockets leaves through leg
// B's sockets toward B's remote address, and the other way round.
//
// The relay is an RTP translator (RFC 3550 section 7). The stream sent to
// each leg has its own SSRC with continuous sequence numbers and
// timestamps, so a phone that changes its SSRC on a re-INVITE, or a
// transfer that bridges a leg to another phone, does not disturb the far
// end. That stream belongs to the leg, so it stays continuous when the leg
// moves from one relay to the next. Payload types are rewritten per
// direction, RTCP is translated to match, and RFC 4733 telephone events are
// both detected and injected.
//
// Legs latch (symmetric RTP): a leg sends to the address its packets come
// from rather than the address in the SDP, which is what makes phones
// behind NAT work. By default a latched leg accepts packets only from the
// latched source or the SDP address, so a stranger cannot take over the
// stream; SetRemote after a re-INVITE lets the leg latch again.
//
// Per leg, the relay runs one goroutine reading RTP; RTCP sockets are read
// by a few pollers shared by every relay, and a goroutine delivers OnDTMF
// callbacks only while digits are queued. The forwarding path allocates
// nothing. A relay can be tapped (Relay.Tap) to record the call.
//
// A leg can also end in the switch (Leg.Listen), for route points,
// conferences and recording: an Endpoint decodes what the phone sends into
// 20 ms frames for its taps and reports its DTMF digits, while Leg.Play and
// Leg.SendAudio send to the phone on the same output stream a relay uses.
// A FrameQueue carries frames from a tap to a consumer on its own 20 ms
// clock, such as a mixer (package mixer) or a recorder (package recorder).
package rtpsession

import (
	"errors"
	"fmt"
)

// Direction names one way through a Relay.
type Direction int

// The two directions of a Relay: from leg A to leg B and back.
const (
	AToB Direction = iota
	BToA
)

// String returns "a->b" or "b->a".
func (d Direction) String() string {
	switch d {
	case AToB:
		return "a->b"
	case BToA:
		return "b->a"
	}
	return fmt.Sprintf("Direction(%d)", int(d))
}

func (d Direction) valid() bool { return d == AToB || d == BToA }

// PayloadNone is the payload type value that means "none": as the event
// payload type of a leg it turns DTMF detection off, and as a target in a
// payload map it drops packets of that type instead of forwarding them.
const PayloadNone uint8 = 0xFF

// Errors of the package, to be tested with errors.Is.
var (
	// ErrNoPorts means every RTP/RTCP port pair of a PortPool is taken.
	ErrNoPorts = errors.New("rtpsession: no free RTP port pair")
	// ErrLegInUse means a leg is already part of another running relay, or
	// listened to by an Endpoint.
	ErrLegInUse = errors.New("rtpsession: leg already in a running relay or listened to")
	// ErrClosed means the relay has been closed.
	ErrClosed = errors.New("rtpsession: relay closed")
	// ErrNotInRelay means a leg passed to a relay method is neither of its legs.
	ErrNotInRelay = errors.New("rtpsession: leg not in this relay")
)
