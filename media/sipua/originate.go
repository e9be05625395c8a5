package sipua

import (
	"errors"
	"time"

	"github.com/switchboard-pbx/switchboard/media/routing"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// Errors of Originate.
var (
	ErrUnknownUser        = errors.New("no such user in the routing table")
	ErrNotRegistered      = errors.New("the user has no registered device")
	ErrUnknownDestination = errors.New("the destination is not a number the switch can reach")
)

// Originate places a call on behalf of a user, the way TAPI's MakeCall
// does: every registered device of the user rings, showing dest; when one
// answers, the switch calls dest through the routing table exactly as if
// the user had dialled it, and bridges the two. It returns the call id
// shared by the call's legs; progress is reported through the Observer.
func (u *UA) Originate(userID, dest string) (string, error) {
	tbl := u.table.Load()
	user, ok := tbl.User(userID)
	if !ok {
		return "", ErrUnknownUser
	}
	route := tbl.Resolve(dest)
	if route.Kind != routing.ToUser && route.Kind != routing.ToRoutePoint {
		return "", ErrUnknownDestination
	}
	var targets []Binding
	now := time.Now()
	for _, d := range user.Devices {
		targets = append(targets, u.bindings.of(d.SIPUsername, now)...)
	}
	if len(targets) == 0 {
		return "", ErrNotRegistered
	}
	c := newCall(u)
	c.originated = true
	c.callerExt, c.callerName, c.dialed = dest, dest, dest // the user's phone shows whom it is calling
	go c.originate(targets, user, route)
	return c.id, nil
}

// originate rings the user's devices, then calls the destination.
func (c *call) originate(targets []Binding, user *routing.User, route routing.Route) {
	a := c.ringOwnDevices(targets, user)
	if a == nil {
		return
	}
	c.callerExt, c.callerName = user.Extension, partyName(user)
	if route.Kind == routing.ToRoutePoint {
		c.offerToApp(route.RoutePoint, 0)
		return
	}
	dests, code, _ := c.ua.targets(route, nil)
	if code != 0 {
		c.mu.Lock()
		a.info.SIPStatus = code
		c.mu.Unlock()
		c.hangup(EndUnreachable)
		return
	}
	c.ring(dests, route.User)
}

// ringOwnDevices rings the originating user's devices with the switch's
// own offer and returns the leg that answered, or nil when none did (the
// call is then over).
func (c *call) ringOwnDevices(targets []Binding, user *routing.User) *leg {
	events := newForkEvents()
	defer events.stop()
	offer := func(f *leg) []byte { return sdpneg.Offer(&f.local, sdpneg.DefaultCodecs(), sdpneg.SendRecv) }
	pending := 0
	for _, b := range targets {
		if err := c.fork(b, user, events, offer); err == nil {
			pending++
		}
	}
	timer := time.NewTimer(c.ua.cfg.ringTimeout)
	defer timer.Stop()
	for pending > 0 {
		select {
		case ev := <-events.ch:
			switch {
			case !ev.final:
				c.mu.Lock()
				if ev.leg.info.State == LegTrying {
					c.setState(ev.leg, LegRinging)
				}
				c.mu.Unlock()
			case ev.err == nil && ev.res != nil && ev.res.IsSuccess():
				if a := c.takeOwnDevice(ev.leg, ev.res.Body()); a != nil {
					return a
				}
				pending--
			default:
				pending--
				c.endFork(ev.leg, ev)
			}
		case <-timer.C:
			c.hangup(EndNoAnswer)
			return nil
		case <-c.ctx.Done():
			c.hangup(EndCommanded)
			return nil
		}
	}
	c.hangup(EndUnreachable)
	return nil
}

// takeOwnDevice makes the answering device the call's first leg.
func (c *call) takeOwnDevice(f *leg, body []byte) *leg {
	m, err := sdpneg.Parse(body)
	c.mu.Lock()
	if f.dropped || c.ended {
		c.mu.Unlock()
		return nil
	}
	if err != nil {
		f.dropped = true // ended here, not again by hangup
		c.mu.Unlock()
		c.ackAndBye(f)
		return nil
	}
	f.remote, c.offer, c.a = m, m, f
	if codec, ok := m.AudioCodec(); ok {
		f.info.Codec = codec.Name
	}
	kept := c.forks[:0]
	for _, o := range c.forks {
		if o == f {
			continue
		}
		c.drop(o, EndRejected)
		c.ua.cfg.ports.Release(o.ports)
		c.setState(o, LegEnded)
	}
	c.forks = kept
	c.setState(f, LegAnswered)
	c.mu.Unlock()
	c.ua.calls.addDialog(f.client.ID, c)
	if err := f.client.Ack(c.ctx); err != nil {
		c.ua.log.Debug("sip: ACK to originating device failed", "error", err)
	}
	return f
}

// Errors of SendDigits.
var (
	ErrUnknownLeg   = errors.New("no such leg in progress")
	ErrNotConnected = errors.New("the leg is not connected to another party")
)

// SendDigits sends RFC 4733 digits from a leg to the party bridged to it,
// one after the other, in the background.
func (u *UA) SendDigits(legID, digits string, each time.Duration) error {
	c := u.calls.leg(legID)
	if c == nil {
		return ErrUnknownLeg
	}
	c.mu.Lock()
	var from, to *leg
	switch {
	case c.a != nil && c.a.info.ID == legID:
		from, to = c.a, c.b
	case c.b != nil && c.b.info.ID == legID:
		from, to = c.b, c.a
	}
	relay := c.relay
	c.mu.Unlock()
	if from == nil || to == nil || relay == nil {
		return ErrNotConnected
	}
	go func() {
		for _, d := range digits {
			if err := relay.InjectDTMF(to.rtp, d, each); err != nil {
				return
			}
		}
	}()
	return nil
}
