package sipua

import (
	"github.com/switchboard-pbx/switchboard/media/routing"
)

// Transfer is a blind transfer by a leg's user: the party bridged to the
// leg is called through to dest (hearing music while dest rings) and the
// transferring leg is hung up with EndTransferred. The transferred party
// stays in the same call (same call id).
func (u *UA) Transfer(legID, dest string) error {
	return u.transfer(legID, dest, nil)
}

// transfer does Transfer; before, when set, runs just before the
// transferring leg is hung up (a REFER's NOTIFY).
func (u *UA) transfer(legID, dest string, before func()) error {
	c, route, targets, err := u.transferTargets(legID, dest)
	if err != nil {
		return err
	}
	c.mu.Lock()
	l, stay := c.pair(legID)
	c.mu.Unlock()
	if l == nil || stay == nil {
		return ErrNotConnected
	}
	c2 := c.detach(l, stay, EndTransferred)
	c2.dialed = dest
	go func() {
		if before != nil {
			before()
		}
		c.hangup(EndTransferred)
		c2.reach(route, targets)
	}()
	return nil
}

// transferTargets checks that a leg's call can be transferred to dest and
// returns the call, the route and the devices to ring.
func (u *UA) transferTargets(legID, dest string) (*call, routing.Route, []Binding, error) {
	c := u.calls.leg(legID)
	if c == nil {
		return nil, routing.Route{}, nil, ErrUnknownLeg
	}
	route, targets, err := u.destTargets(dest)
	if err != nil {
		return nil, route, nil, err
	}
	c.mu.Lock()
	l, _ := c.pair(legID)
	c.mu.Unlock()
	if l == nil {
		return nil, route, nil, ErrNotConnected
	}
	return c, route, targets, nil
}

// destTargets resolves a number to the devices to ring (none for a route
// point: see reach).
func (u *UA) destTargets(dest string) (routing.Route, []Binding, error) {
	route := u.table.Load().Resolve(dest)
	if route.Kind == routing.ToRoutePoint {
		return route, nil, nil
	}
	if route.Kind != routing.ToUser {
		return route, nil, ErrUnknownDestination
	}
	targets, code, _ := u.targets(route, nil)
	if code != 0 {
		return route, nil, ErrNotRegistered
	}
	return route, targets, nil
}

// reach connects the call's caller to route: it rings a user's devices
// (targets), or offers the call to a route point's application.
func (c *call) reach(route routing.Route, targets []Binding) {
	if route.Kind == routing.ToRoutePoint {
		c.offerToApp(route.RoutePoint, 0)
		return
	}
	c.ring(targets, route.User)
}

// stayNumber is the extension shown for the transferred party.
func stayNumber(u *UA, l *leg) string {
	if usr, ok := u.table.Load().User(l.info.UserID); ok {
		return usr.Extension
	}
	return l.info.Dialed
}

// move re-files a leg (and its dialog) from one call to another.
func (r *callRegistry) move(from, to *call, l *leg) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.byLeg[l.info.ID] = to
	k := r.keysOf(to)
	k.legs = append(k.legs, l.info.ID)
	if id := dialogID(l); id != "" && r.byDialog[id] == from {
		r.byDialog[id] = to
		k.dialogs = append(k.dialogs, id)
	}
}

// dialogID is the sipgo dialog id of a leg.
func dialogID(l *leg) string {
	switch {
	case l.server != nil:
		return l.server.ID
	case l.client != nil:
		return l.client.ID
	}
	return ""
}
