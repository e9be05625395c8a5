package sipua

import (
	"errors"

	"github.com/switchboard-pbx/switchboard/media/mixer"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// A conference is a call whose answered legs (members) are mixed by the
// switch instead of bridged: each member hears the others and not itself.
// It grows from a consultation (CompleteTransfer as a conference), up to
// mixer.MaxMembers parties; a member that hangs up or is dropped leaves,
// and the call ends when one member is left.

// conferenceFrom makes a conference of the consulting leg l, the party it
// held in c, and the party its consultation c2 reached. When c already is
// a conference, l rejoins it with the new party.
func (u *UA) conferenceFrom(c *call, l *leg, c2 *call, x *leg) error {
	c2.mu.Lock()
	d := c2.b
	if d == nil || d.info.State != LegAnswered || c2.ended {
		c2.mu.Unlock()
		return ErrConsultNotUp
	}
	c.mu.Lock()
	full := c.conf != nil && len(c.members)+1 > mixer.MaxMembers
	c.mu.Unlock()
	if full {
		c2.mu.Unlock()
		return ErrConferenceFull
	}
	c2.takeOutLocked(d, c.id, EndNormal)
	c2.mu.Unlock()

	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		c2.hangup(EndNormal)
		return ErrNotConnected
	}
	if c.conf != nil && c.member(l.info.ID) == nil {
		c.mu.Unlock()
		c2.hangup(EndNormal)
		return ErrNotConnected
	}
	if c.conf == nil {
		_, p := c.pair(l.info.ID)
		if p == nil {
			c.mu.Unlock()
			c2.hangup(EndNormal)
			return ErrNotConnected
		}
		if c.player != nil {
			c.player.Stop()
			c.player, c.holdBy = nil, nil
		}
		c.closeRelayLocked()
		c.conf = mixer.New()
		c.members = []*leg{c.a, c.b}
		c.forks, c.aAnswered = nil, true
		p.info.Held = false
		c.join(p)
	}
	l.consult, l.info.Related, l.info.Holding = nil, "", false
	c.members = append(c.members, d)
	c.join(l)
	c.join(d)
	c.mu.Unlock()
	u.calls.move(c2, c, d)
	c.mu.Lock()
	for _, m := range c.members {
		c.setState(m, LegAnswered)
	}
	c.mu.Unlock()
	c2.hangup(EndNormal)
	c.unhold(d, l)
	return nil
}

// join adds a member's media to the mixer. Callers hold c.mu.
func (c *call) join(l *leg) {
	pt := payloadFor(l.info.Codec)
	ep, err := c.conf.Add(l.rtp, rtpsession.ListenCodec(pt, pt), rtpsession.ListenOnDTMF(func(digit rune) {
		c.ua.cfg.observer.DTMF(l.info.ID, digit)
	}), rtpsession.ListenMediaTimeout(c.ua.cfg.mediaTimeout, func() { c.leaveIf(l, EndMediaTimeout, true) }))
	switch {
	case err == nil:
		l.mixed = ep
		ep.SetTimeoutEnabled(l.remote == nil || l.remote.Direction == sdpneg.SendRecv)
	case !errors.Is(err, mixer.ErrMember):
		c.ua.log.Warn("sip: conference member not mixed", "leg", l.info.ID, "error", err)
	}
	l.info.Conferenced = true
}

// unmix takes a member's media out of the mixer. Callers hold c.mu.
func (c *call) unmix(l *leg) {
	_ = c.conf.Remove(l.rtp)
	l.mixed = nil
}

// leave takes one member out of a conference: BYE unless it hung up
// itself, and the call ends when one member is left.
func (c *call) leave(l *leg, why EndReason) { c.leaveIf(l, why, false) }

// leaveIf is leave; with onlyMixed, for a member whose media timed out in
// the mixer, it does nothing unless the member is still mixed (not
// consulting, not gone) when it looks.
func (c *call) leaveIf(l *leg, why EndReason, onlyMixed bool) {
	c.mu.Lock()
	idx := -1
	for i, m := range c.members {
		if m == l {
			idx = i
		}
	}
	if onlyMixed && (idx < 0 || c.ended || l.mixed == nil) {
		c.mu.Unlock()
		return
	}
	if idx < 0 || c.ended {
		c.mu.Unlock()
		c.hangup(why)
		return
	}
	c.members = append(c.members[:idx], c.members[idx+1:]...)
	c.unmix(l)
	l.info.Conferenced = false
	last := len(c.members) <= 1
	c.mu.Unlock()
	c.endLeg(l, why)
	if last {
		c.hangup(EndNormal)
	}
}

// conferenced reports whether the call is a conference.
func (c *call) conferenced() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conf != nil
}

// member returns the conference member with a leg id, or nil. Callers
// hold c.mu.
func (c *call) member(legID string) *leg {
	for _, m := range c.members {
		if m.info.ID == legID {
			return m
		}
	}
	return nil
}
