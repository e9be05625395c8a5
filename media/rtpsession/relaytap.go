package rtpsession

import "errors"

// PacketTap sees the RTP packets a Relay forwards: the direction, the
// payload type as the sending leg sent it, and the payload, valid only
// during the call. It runs on the relay's reading goroutine of that
// direction, so the two directions call it concurrently; it must copy what
// it keeps and return quickly without blocking. Packets withheld (mute,
// payload type dropped, DTMF being injected) are not seen, so a held
// direction is silent.
type PacketTap func(dir Direction, pt uint8, payload []byte)

// ErrTapped means a relay already has a tap.
var ErrTapped = errors.New("rtpsession: relay already tapped")

// Tap installs fn to see the packets the relay forwards, for call
// recording; a relay has at most one tap (ErrTapped). A relay without a
// tap pays one atomic load per packet for the feature. untap removes fn;
// a call already in progress may still finish after it returns. Calling
// untap again does nothing.
func (r *Relay) Tap(fn PacketTap) (untap func(), err error) {
	p := &fn
	if !r.tap.CompareAndSwap(nil, p) {
		return nil, ErrTapped
	}
	return func() { r.tap.CompareAndSwap(p, nil) }, nil
}
