package sipua

import (
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// join completes a transfer between two calls of one user: the party
// bridged to l in c is connected with d, taken out of c2; then l is hung
// up and c2 ends (with it the user's other leg, or the alias of a
// consultation). Either party held by the user is taken off hold with a
// re-INVITE that also offers it the other party's codecs.
func (u *UA) join(c *call, l *leg, c2 *call, d *leg, why EndReason) error {
	c2.mu.Lock()
	if c2.ended || d.info.State != LegAnswered || (c2.a != d && c2.b != d) {
		c2.mu.Unlock()
		return ErrConsultNotUp
	}
	c2.takeOutLocked(d, c.id, why)
	c2.mu.Unlock()

	c.mu.Lock()
	_, p := c.pair(l.info.ID)
	if p == nil || c.ended {
		c.mu.Unlock()
		c2.hangup(why)
		return ErrNotConnected
	}
	if c.player != nil {
		c.player.Stop()
		c.player, c.holdBy = nil, nil
	}
	c.a, c.b, c.offer, c.aAnswered, c.forks = p, d, p.remote, true, nil
	c.callerExt, c.callerName = stayNumber(u, p), p.info.Caller
	l.consult, l.info.Related, l.info.End = nil, "", why
	l.info.Holding, p.info.Holding = false, false
	c.bridge(d)
	c.mu.Unlock()
	u.calls.move(c2, c, d)
	c.mu.Lock()
	c.setState(p, LegAnswered)
	c.setState(d, LegAnswered)
	c.mu.Unlock()
	c.endLeg(l, why)
	c2.hangup(why)
	c.unhold(p, d)
	c.unhold(d, p)
	return nil
}

// takeOutLocked takes the answered leg d out of c for the call with id
// to: c's media stops and its other legs are marked to end with why (c is
// then hung up by the caller). Callers hold c.mu.
func (c *call) takeOutLocked(d *leg, to string, why EndReason) {
	c.closeRelayLocked()
	if c.player != nil {
		c.player.Stop()
		c.player, c.holdBy = nil, nil
	}
	if c.a == d {
		c.a = nil
	} else {
		c.b = nil
	}
	c.forks = nil
	for _, o := range c.legs() {
		o.info.End = why
	}
	d.info.CallID, d.info.Related, d.info.Holding = to, "", false
}

// unhold takes l off a hold its former partner put it on (its phone was
// sent a sendonly or inactive offer): a re-INVITE offers it the media of
// other, its new partner, so that it sends again and picks a codec that
// partner speaks.
func (c *call) unhold(l, other *leg) {
	c.mu.Lock()
	held, media := l.info.Held, other.remote
	c.mu.Unlock()
	if !held || media == nil {
		return
	}
	offer := *media
	offer.Direction = sdpneg.SendRecv
	c.reinviteMu.Lock()
	defer c.reinviteMu.Unlock()
	answer, err := c.forwardReinvite(l, &offer)
	if err != nil {
		c.ua.log.Debug("sip: re-INVITE to take a transferred party off hold failed", "leg", l.info.ID, "error", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l.remote = answer
	if l == c.a {
		c.offer = answer
	}
	l.rtp.SetRemote(udpAddr(answer.Addr, answer.Port))
	l.info.Held = false
	c.ua.cfg.observer.LegChanged(l.info)
}
