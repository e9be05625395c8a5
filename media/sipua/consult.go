package sipua

import (
	"errors"
	"time"

	"github.com/google/uuid"
)

// Errors of Consult and CompleteTransfer.
var (
	ErrConsulting     = errors.New("the leg is already consulting")
	ErrNoConsult      = errors.New("the leg has no consultation call")
	ErrConsultNotUp   = errors.New("the consultation call is not answered yet")
	ErrNotTwoParties  = errors.New("only a two-party call can be transferred this way")
	ErrConferenceFull = errors.New("the conference has its maximum of parties")
)

// Consult starts a consultation from a leg's user, as a phone's "transfer"
// or "conference" key does: the party bridged to the leg is put on hold
// (music), and a new call from the same phone rings dest. The phone keeps
// its one SIP dialog; the consultation call uses it through a second leg
// (an alias sharing the phone's dialog and media ports). It returns the
// consultation call's id and the alias leg's id. CompleteTransfer then
// joins the held party with dest, as a transfer or a conference.
func (u *UA) Consult(legID, dest string) (string, string, error) {
	c := u.calls.leg(legID)
	if c == nil {
		return "", "", ErrUnknownLeg
	}
	route, targets, err := u.destTargets(dest)
	if err != nil {
		return "", "", err
	}
	c.mu.Lock()
	l := c.member(legID)
	inConference := l != nil
	if !inConference {
		l, _ = c.pair(legID)
	}
	switch {
	case l == nil || l.info.State != LegAnswered:
		c.mu.Unlock()
		return "", "", ErrNotConnected
	case l.consult != nil:
		c.mu.Unlock()
		return "", "", ErrConsulting
	case inConference:
		// The others go on talking while this member consults.
		c.unmix(l)
		l.info.Holding = true
	}
	c.mu.Unlock()
	if !inConference {
		if err := u.Hold(legID); err != nil && !errors.Is(err, ErrAlreadyHeld) {
			return "", "", err
		}
	}
	c2 := newCall(u)
	x := &leg{rtp: l.rtp, local: l.local, remote: l.remote, server: l.server, client: l.client, alias: l,
		info: LegInfo{ID: uuid.NewString(), CallID: c2.id, State: LegAnswered, UserID: l.info.UserID,
			DeviceID: l.info.DeviceID, Dialed: dest, Caller: l.info.Caller, SIPCallID: l.info.SIPCallID,
			Codec: l.info.Codec, Calling: true, Related: c.id}}
	x.info.Start, x.info.Answer = time.Now(), time.Now()
	c2.a, c2.offer, c2.aAnswered, c2.dialed, c2.consultOf = x, l.remote, true, dest, c
	c2.callerExt, c2.callerName = stayNumber(u, l), l.info.Caller
	c.mu.Lock()
	if c.ended || l.info.State != LegAnswered {
		c.mu.Unlock()
		return "", "", ErrNotConnected
	}
	l.consult, l.info.Related = c2, c2.id
	u.cfg.observer.LegChanged(l.info)
	c.mu.Unlock()
	u.calls.addLeg(x.info.ID, c2)
	c2.mu.Lock()
	c2.setState(x, LegAnswered)
	c2.mu.Unlock()
	go c2.reach(route, targets)
	return c2.id, x.info.ID, nil
}

// consultEnded unlinks a finished consultation call from the call it was
// made from, whose leg goes back to plain hold. It runs when c2 hangs up.
func (c2 *call) consultEnded() {
	c := c2.consultOf
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.legs() {
		if l.consult != c2 {
			continue
		}
		l.consult, l.info.Related = nil, ""
		if c.conf != nil && l.info.Conferenced && !c.ended {
			l.info.Holding = false // back into the conference it stepped out of
			c.join(l)
		}
		if !c.ended {
			c.ua.cfg.observer.LegChanged(l.info)
		}
	}
}

// CompleteTransfer joins the held party of a consultation with the party
// the consultation reached. legID is the consulting user's leg in either
// call. As a transfer, the two are bridged and the consulting phone is
// hung up (EndTransferred); as a conference, the three are mixed.
func (u *UA) CompleteTransfer(legID string, conference bool) error {
	c, l, c2, x, err := u.consultation(legID)
	if err != nil {
		return err
	}
	if conference {
		return u.conferenceFrom(c, l, c2, x)
	}
	if c.conferenced() {
		return ErrNotTwoParties
	}
	c2.mu.Lock()
	d := c2.b
	c2.mu.Unlock()
	if d == nil {
		return ErrConsultNotUp
	}
	return u.join(c, l, c2, d, EndTransferred)
}

// consultation finds, from a leg of either call, the consulting leg l in
// the held call c, and its alias x in the consultation call c2.
func (u *UA) consultation(legID string) (c *call, l *leg, c2 *call, x *leg, err error) {
	cc := u.calls.leg(legID)
	if cc == nil {
		return nil, nil, nil, nil, ErrUnknownLeg
	}
	cc.mu.Lock()
	for _, o := range cc.legs() {
		if o.info.ID != legID {
			continue
		}
		switch {
		case o.consult != nil:
			c, l, c2 = cc, o, o.consult
		case o.alias != nil && cc.consultOf != nil:
			c, l, c2, x = cc.consultOf, o.alias, cc, o
		}
	}
	cc.mu.Unlock()
	if c == nil {
		return nil, nil, nil, nil, ErrNoConsult
	}
	if x == nil {
		c2.mu.Lock()
		x = c2.a
		c2.mu.Unlock()
	}
	return c, l, c2, x, nil
}

// endLeg ends one answered leg of a call that goes on without it: BYE
// (unless it hung up itself), ports back to the pool, and the observer
// told.
func (c *call) endLeg(l *leg, why EndReason) {
	c.mu.Lock()
	bye := !l.byeIn
	c.mu.Unlock()
	if bye {
		c.bye(l)
	}
	c.mu.Lock()
	if l.info.End == EndNone {
		l.info.End = why
	}
	c.ua.cfg.ports.Release(l.ports)
	c.setState(l, LegEnded)
	c.mu.Unlock()
}

// handOver gives the consultation call the phone's dialog when the call it
// was made from ends first (the held party hung up): the alias becomes the
// real leg, so the phone keeps talking to the consulted party. Callers do
// not hold c.mu.
func (c *call) handOver(l *leg) {
	c2 := l.consult
	c2.mu.Lock()
	x := c2.a
	if x == nil || x.alias != l || c2.ended {
		c2.mu.Unlock()
		c.ua.cfg.ports.Release(l.ports)
		return
	}
	x.alias, x.ports, x.info.Related = nil, l.ports, ""
	c2.consultOf = nil
	c2.ua.cfg.observer.LegChanged(x.info)
	c2.mu.Unlock()
	if id := dialogID(l); id != "" {
		c2.ua.calls.addDialog(id, c2)
	}
}
