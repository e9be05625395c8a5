package sipua

import (
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo/sip"
)

// Overload control.
//
// sipgo reads the UDP socket on one goroutine. When the machine cannot keep
// up, datagrams wait in the socket's receive buffer. Once they wait about as
// long as a peer's retransmission timer (T1 = 500 ms), peers send them
// again, the extra load makes the wait longer, and soon no call completes:
// without this control the switch collapsed into retransmission storms
// a little above its capacity.
//
// So the switch measures how long each datagram waited: the kernel's
// receive time stamp against the time it is read (Linux; elsewhere no
// wait is measured and nothing is refused). As the smoothed wait grows
// from OverloadLow to OverloadHigh, a growing share of new calls is
// refused with 503 Service Unavailable and a Retry-After (RFC 3261
// §21.5.4), before authentication, ports or forks, so a refusal costs
// little. Requests within calls (ACK, BYE, re-INVITE), registrations and
// responses are never refused: finishing calls is what drains the load.
const (
	// OverloadLow is the smoothed datagram wait below which every new
	// call is taken: a switch at its capacity waits up to about 100 ms.
	OverloadLow = 150 * time.Millisecond
	// OverloadHigh is the wait at which every new call is refused, before
	// peers start retransmitting at T1 = 500 ms.
	OverloadHigh = 300 * time.Millisecond
	// waitTau is how quickly the smoothed wait follows the samples: a
	// sample after this long without datagrams replaces it outright, so a
	// quiet switch never refuses a call on the strength of an old burst.
	waitTau = 50 * time.Millisecond
	// minWeight is the least weight of one sample, at full load (about
	// 30 datagrams, a few milliseconds at a thousand calls a second).
	minWeight = 1.0 / 32
	// maxWait caps one sample, against clock steps.
	maxWait = 10 * time.Second
)

// OverloadStats are the overload control's figures.
type OverloadStats struct {
	// Wait is the smoothed time a SIP datagram waited in the socket
	// before it was read (zero where it cannot be measured).
	Wait time.Duration
	// Refused counts the new calls refused with 503 because of it.
	Refused uint64
}

// overload tracks the datagram wait and decides which new calls to refuse.
type overload struct {
	wait    atomic.Int64 // smoothed wait, ns; written by the one reader
	last    time.Time    // when the previous sample was taken (reader only)
	refused atomic.Uint64
}

// observe adds one datagram's wait. Only the socket's reading goroutine
// calls it.
func (o *overload) observe(now time.Time, wait time.Duration) {
	wait = min(max(wait, 0), maxWait)
	weight := 1.0
	if !o.last.IsZero() {
		weight = min(max(float64(now.Sub(o.last))/float64(waitTau), minWeight), 1)
	}
	o.last = now
	old := float64(o.wait.Load())
	o.wait.Store(int64(old + weight*(float64(wait)-old)))
}

// shed reports whether a new call is to be refused: never below
// OverloadLow, always above OverloadHigh, and in between with a
// probability rising in proportion.
func (o *overload) shed() bool {
	w := time.Duration(o.wait.Load())
	switch {
	case w <= OverloadLow:
		return false
	case w < OverloadHigh && rand.Float64() >= float64(w-OverloadLow)/float64(OverloadHigh-OverloadLow):
		return false
	}
	o.refused.Add(1)
	return true
}

func (o *overload) stats() OverloadStats {
	return OverloadStats{Wait: time.Duration(o.wait.Load()), Refused: o.refused.Load()}
}

// Overload returns the overload control's figures.
func (u *UA) Overload() OverloadStats { return u.load.stats() }

// refuseOverloaded answers a new call with 503 when the switch is
// overloaded, and reports whether it did. Retry-After is 1 to 4 seconds,
// spread so that refused callers do not all come back at once.
func (u *UA) refuseOverloaded(req *sip.Request, tx sip.ServerTransaction) bool {
	if !u.load.shed() {
		return false
	}
	after := sip.NewHeader("Retry-After", strconv.Itoa(1+rand.IntN(4)))
	u.respond(tx, req, 503, "Service Unavailable (overloaded)", after)
	return true
}
