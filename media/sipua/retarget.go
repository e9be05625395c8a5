package sipua

import (
	"errors"
	"time"

	"github.com/switchboard-pbx/switchboard/media/routing"
)

// ErrNotRinging means the call is not ringing any more (answered or over).
var ErrNotRinging = errors.New("the call is not ringing")

// retarget asks a ringing call to ring other devices instead.
type retarget struct {
	targets []Binding
	user    *routing.User
	rp      *routing.RoutePoint // instead of targets: offer the call to a route point's application
	why     EndReason           // recorded on the forks it stops
}

// Deflect sends a call that is ringing at a leg's user to dest instead
// (TAPI lineRedirect): the ringing phones stop and dest's ring.
func (u *UA) Deflect(legID, dest string) error {
	route := u.table.Load().Resolve(dest)
	if route.Kind == routing.ToRoutePoint {
		return u.retargetCall(legID, retarget{rp: route.RoutePoint, why: EndRejected})
	}
	if route.Kind != routing.ToUser {
		return ErrUnknownDestination
	}
	targets, code, _ := u.targets(route, nil)
	if code != 0 {
		return ErrNotRegistered
	}
	return u.retargetCall(legID, retarget{targets: targets, user: route.User, why: EndRejected})
}

// Pickup answers a call ringing at a leg's user from another user's
// phones: those ring (so the picking user can take the call at the desk)
// and the call stops ringing where it was.
func (u *UA) Pickup(legID, userID string) error {
	user, ok := u.table.Load().User(userID)
	if !ok {
		return ErrUnknownUser
	}
	var targets []Binding
	now := time.Now()
	for _, d := range user.Devices {
		targets = append(targets, u.bindings.of(d.SIPUsername, now)...)
	}
	if len(targets) == 0 {
		return ErrNotRegistered
	}
	return u.retargetCall(legID, retarget{targets: targets, user: user, why: EndRejected})
}

// retargetCall hands r to the call's ringing loop.
func (u *UA) retargetCall(legID string, r retarget) error {
	c := u.calls.leg(legID)
	if c == nil {
		return ErrUnknownLeg
	}
	c.mu.Lock()
	ringing := !c.ended && c.b == nil && c.a != nil && c.isFork(legID)
	c.mu.Unlock()
	if !ringing {
		return ErrNotRinging
	}
	select {
	case c.retargets <- r:
		return nil
	default:
		return ErrNotRinging // another redirect is being applied
	}
}

// isFork reports whether legID is one of the ringing outbound legs.
// Callers hold c.mu.
func (c *call) isFork(legID string) bool {
	for _, f := range c.forks {
		if f.info.ID == legID {
			return true
		}
	}
	return false
}

// applyRetarget stops the ringing forks and rings r's targets; it returns
// how many forks it started. It runs on the ringing loop.
func (c *call) applyRetarget(r retarget, events *forkEvents) int {
	c.mu.Lock()
	for _, f := range c.forks {
		c.drop(f, r.why)
	}
	c.mu.Unlock()
	started := 0
	for _, b := range r.targets {
		if err := c.fork(b, r.user, events, c.forwardOffer); err == nil {
			started++
		}
	}
	return started
}
