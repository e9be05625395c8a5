package rtpsession

import "time"

// Option configures a Relay.
type Option func(*config)

type config struct {
	timeout   time.Duration
	onTimeout func()
	onDTMF    func(from *Leg, digit rune)
	strict    bool
	rate      uint32
}

func defaultConfig() config {
	return config{strict: true, rate: 8000}
}

// WithMediaTimeout makes the relay call the OnTimeout callback once when no
// RTP has arrived from either leg for d. Zero (the default) turns it off.
func WithMediaTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = max(d, 0) }
}

// OnTimeout sets the function called when the media timeout expires. It
// runs on its own goroutine and may call Close.
func OnTimeout(fn func()) Option {
	return func(c *config) { c.onTimeout = fn }
}

// OnDTMF sets the function called once for each RFC 4733 DTMF event that
// arrives from a leg whose event payload type is set, as soon as the first
// packet of the event is seen. Calls are made in order on one goroutine of
// the relay, never on the packet path; a callback that is slow only delays
// later digits (up to 64 are queued, then digits are dropped). It may call
// Close.
func OnDTMF(fn func(from *Leg, digit rune)) Option {
	return func(c *config) { c.onDTMF = fn }
}

// WithStrictLatching chooses what a leg does with packets from a source
// other than the one it latched to (default true): refuse them, which stops
// a stranger from hijacking the stream, or latch to the new source, which
// follows a NAT that changes its mapping mid-call. Packets from the SDP
// address are always accepted, and SetRemote always allows a new latch.
func WithStrictLatching(strict bool) Option {
	return func(c *config) { c.strict = strict }
}

// WithClockRate sets the RTP clock rate of the streams sent to the two legs,
// used to advance timestamps when an input stream is re-based and to time
// injected DTMF (default 8000, right for G.711, G.722 and G.729).
func WithClockRate(hz uint32) Option {
	return func(c *config) {
		if hz > 0 {
			c.rate = hz
		}
	}
}
