package sipua

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/routing"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// Park orbits are dialled as "*8" and two digits ("*801" … "*899").
const (
	orbitPrefix = "*8"
	orbitCount  = 99
)

// Errors of Park and Unpark.
var (
	ErrNoOrbit    = errors.New("every park orbit is taken")
	ErrOrbitEmpty = errors.New("no call is parked in that orbit")
)

// parked is a call waiting in an orbit: its one leg hears music.
type parked struct {
	c      *call
	parker *routing.User // recalled when the park times out
	timer  *time.Timer
}

// orbits holds the parked calls.
type orbits struct {
	mu sync.Mutex
	m  map[string]*parked
}

// IsOrbit reports whether a dialled number is a park orbit.
func IsOrbit(n string) bool {
	return len(n) == len(orbitPrefix)+2 && strings.HasPrefix(n, orbitPrefix) && n[2] >= '0' && n[2] <= '9' &&
		n[3] >= '0' && n[3] <= '9' && n[2:] != "00"
}

// take removes and returns the call parked in orbit.
func (o *orbits) take(orbit string) *parked {
	o.mu.Lock()
	defer o.mu.Unlock()
	p := o.m[orbit]
	delete(o.m, orbit)
	if p != nil && p.timer != nil {
		p.timer.Stop()
	}
	return p
}

// Park parks the party bridged to a leg: it waits in a free orbit hearing
// music, and the parking leg is hung up (EndParked). After the park
// timeout the parker's phones ring to take the call back. It returns the
// orbit ("*801" …), which anyone can dial to take the call, or use Unpark.
func (u *UA) Park(legID string) (string, error) {
	c := u.calls.leg(legID)
	if c == nil {
		return "", ErrUnknownLeg
	}
	c.mu.Lock()
	l, stay := c.pair(legID)
	c.mu.Unlock()
	if l == nil {
		return "", ErrNotConnected
	}
	parker, _ := u.table.Load().User(l.info.UserID)
	u.orbits.mu.Lock()
	orbit := ""
	for i := 1; i <= orbitCount && orbit == ""; i++ {
		if n := fmt.Sprintf("%s%02d", orbitPrefix, i); u.orbits.m[n] == nil {
			orbit = n
		}
	}
	if orbit == "" {
		u.orbits.mu.Unlock()
		return "", ErrNoOrbit
	}
	c2 := c.detach(l, stay, EndParked)
	p := &parked{c: c2, parker: parker}
	u.orbits.m[orbit] = p
	p.timer = time.AfterFunc(u.cfg.parkTimeout, func() { u.recall(orbit) })
	u.orbits.mu.Unlock()
	go c.hangup(EndParked)
	return orbit, nil
}

// detach moves stay out of c into a new call (same call id) where it hears
// music, and marks l to end with why.
func (c *call) detach(l, stay *leg, why EndReason) *call {
	u := c.ua
	c.mu.Lock()
	c2 := newCall(u)
	c2.id = c.id
	c2.a, c2.offer, c2.aAnswered = stay, stay.remote, true
	c2.callerExt, c2.callerName = stayNumber(u, stay), stay.info.Caller
	if stay == c.a {
		c.a = nil
	} else {
		c.b = nil
	}
	c.removeFork(stay)
	c.closeRelayLocked()
	if c.player != nil {
		c.player.Stop()
		c.player, c.holdBy = nil, nil
	}
	c.closeApp()
	stay.info.Held, stay.info.Holding = false, false
	l.info.End = why
	c.mu.Unlock()
	u.calls.move(c, c2, stay)
	if player, err := stay.rtp.Play(&codec.Music{}, payloadFor(stay.info.Codec)); err == nil {
		c2.player = player
	}
	return c2
}

// Unpark rings a user's phones to take the call parked in orbit.
func (u *UA) Unpark(orbit, userID string) error {
	user, ok := u.table.Load().User(userID)
	if !ok {
		return ErrUnknownUser
	}
	p := u.orbits.take(orbit)
	if p == nil {
		return ErrOrbitEmpty
	}
	targets, code, _ := u.targets(routing.Route{Kind: routing.ToUser, User: user}, nil)
	if code != 0 {
		u.orbits.mu.Lock()
		u.orbits.m[orbit] = p // put it back
		u.orbits.mu.Unlock()
		return ErrNotRegistered
	}
	p.c.dialed = user.Extension
	go p.c.ring(targets, user)
	return nil
}

// recall rings the parker when a parked call waited too long; with no
// parker to ring, the call is hung up.
func (u *UA) recall(orbit string) {
	p := u.orbits.take(orbit)
	if p == nil {
		return
	}
	if p.parker != nil {
		if targets, code, _ := u.targets(routing.Route{Kind: routing.ToUser, User: p.parker}, nil); code == 0 {
			p.c.dialed = p.parker.Extension
			p.c.ring(targets, p.parker)
			return
		}
	}
	p.c.hangup(EndNoAnswer)
}

// unparkByDialing connects a phone that dialled an orbit to the call
// parked there. It answers the INVITE itself.
func (u *UA) unparkByDialing(req *sip.Request, tx sip.ServerTransaction, dev *routing.Device, offer *sdpneg.Media) {
	p := u.orbits.take(req.Recipient.User)
	if p == nil {
		u.respond(tx, req, 404, "Not Found (nothing parked there)")
		return
	}
	c := p.c
	in, err := c.newLeg(true)
	if err != nil {
		u.respond(tx, req, 503, "Service Unavailable (no media ports)")
		return
	}
	in.info.UserID, in.info.DeviceID, in.info.Dialed, in.info.Calling = dev.User.ID, dev.ID, req.Recipient.User, true
	in.remote = offer
	sess, err := u.dialogUA(req.Transport()).ReadInvite(req, tx)
	if err != nil {
		u.cfg.ports.Release(in.ports)
		return
	}
	in.server = sess
	c.mu.Lock()
	chosen, _ := c.offer.AudioCodec()
	answer, _, err := sdpneg.Answer(&in.local, offer, agreed(chosen, c.offer), sdpneg.SendRecv)
	if err != nil {
		c.mu.Unlock()
		u.respond(tx, req, 488, "Not Acceptable Here (no codec in common with the parked call)")
		return
	}
	in.info.Codec = chosen.Name
	c.b = in
	c.bridge(in)
	c.setState(in, LegAnswered)
	c.mu.Unlock()
	u.calls.addDialog(sess.ID, c)
	if err := sess.RespondSDP(answer); err != nil {
		c.hangup(EndFailed)
	}
}
