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
// little. Registrations come second: a REGISTER is refused only from
// OverloadHigh on, in a share rising to all at RegisterHigh (a phone keeps
// its binding until it expires and retries after Retry-After, so a storm
// of phones registering after a power cut is spread out instead of
// overrunning the switch). Requests within calls (ACK, BYE, re-INVITE) and
// responses are never refused: finishing calls is what drains the load.
const (
	// OverloadLow is the smoothed datagram wait below which every new
	// call is taken: a switch at its capacity waits up to about 100 ms.
	OverloadLow = 150 * time.Millisecond
	// OverloadHigh is the wait at which every new call is refused, before
	// peers start retransmitting at T1 = 500 ms. From there on
	// REGISTERs are refused too, in a share rising to all at
	// RegisterHigh.
	OverloadHigh = 300 * time.Millisecond
	// RegisterHigh is the wait at which every REGISTER is refused.
	RegisterHigh = 450 * time.Millisecond
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
	// RefusedRegisters counts the REGISTERs refused with 503.
	RefusedRegisters uint64
}

// overload tracks the datagram wait and decides which new calls to refuse.
type overload struct {
	wait    atomic.Int64 // smoothed wait, ns; written by the one reader
	last    time.Time    // when the previous sample was taken (reader only)
	refused atomic.Uint64
	regs    atomic.Uint64 // REGISTERs refused
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
func (o *overload) shed() bool { return o.refuse(OverloadLow, OverloadHigh, &o.refused) }

// shedRegister is shed for REGISTERs, from OverloadHigh to RegisterHigh.
func (o *overload) shedRegister() bool { return o.refuse(OverloadHigh, RegisterHigh, &o.regs) }

// refuse reports whether to refuse a request: never with a wait up to low,
// always from high, in between with a probability rising in proportion.
// Refusals are counted in n.
func (o *overload) refuse(low, high time.Duration, n *atomic.Uint64) bool {
	w := time.Duration(o.wait.Load())
	switch {
	case w <= low:
		return false
	case w < high && rand.Float64() >= float64(w-low)/float64(high-low):
		return false
	}
	n.Add(1)
	return true
}

func (o *overload) stats() OverloadStats {
	return OverloadStats{Wait: time.Duration(o.wait.Load()), Refused: o.refused.Load(), RefusedRegisters: o.regs.Load()}
}

// Overload returns the overload control's figures.
func (u *UA) Overload() OverloadStats { return u.load.stats() }

// refuseOverloaded answers a new call (or, with register, a REGISTER)
// with 503 when the switch is overloaded, and reports whether it did.
// Retry-After is 1 to 4 seconds for a call and 5 to 20 for a REGISTER,
// spread so that the refused do not all come back at once.
func (u *UA) refuseOverloaded(req *sip.Request, tx sip.ServerTransaction, register bool) bool {
	after := 1 + rand.IntN(4)
	if register {
		if !u.load.shedRegister() {
			return false
		}
		after *= 5
	} else if !u.load.shed() {
		return false
	}
	u.respond(tx, req, 503, "Service Unavailable (overloaded)", sip.NewHeader("Retry-After", strconv.Itoa(after)))
	return true
}
