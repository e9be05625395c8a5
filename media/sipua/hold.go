package sipua

import (
	"errors"

	"github.com/switchboard-pbx/switchboard/media/codec"
)

// Errors of Hold and Retrieve.
var (
	ErrAlreadyHeld = errors.New("the call is already on hold")
	ErrNotHeld     = errors.New("the call is not on hold by this leg")
)

// Hold puts the party bridged to a leg on hold, as the leg's user asked
// (third-party hold): the relay stops, the other party hears music on hold
// and the holding phone hears silence until Retrieve.
func (u *UA) Hold(legID string) error {
	c := u.calls.leg(legID)
	if c == nil {
		return ErrUnknownLeg
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, other := c.pair(legID)
	if l == nil || other == nil || c.relay == nil {
		return ErrNotConnected
	}
	if c.holdBy != nil {
		return ErrAlreadyHeld
	}
	c.closeRelayLocked()
	player, err := other.rtp.Play(&codec.Music{}, payloadFor(other.info.Codec))
	if err != nil {
		return err
	}
	c.player, c.holdBy = player, l
	l.info.Holding, other.info.Held = true, true
	c.ua.cfg.observer.LegChanged(l.info)
	c.ua.cfg.observer.LegChanged(other.info)
	return nil
}

// Retrieve takes a call off hold: the music stops and the two parties are
// bridged again. Only the leg that held the call can retrieve it.
func (u *UA) Retrieve(legID string) error {
	c := u.calls.leg(legID)
	if c == nil {
		return ErrUnknownLeg
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, other := c.pair(legID)
	if l == nil || other == nil || c.holdBy != l {
		return ErrNotHeld
	}
	c.player.Stop()
	c.player, c.holdBy = nil, nil
	c.bridge(c.b)
	l.info.Holding, other.info.Held = false, false
	c.ua.cfg.observer.LegChanged(l.info)
	c.ua.cfg.observer.LegChanged(other.info)
	return nil
}

// pair returns the answered leg with an id and the leg bridged to it.
// Callers hold c.mu.
func (c *call) pair(legID string) (*leg, *leg) {
	switch {
	case c.a != nil && c.b != nil && c.a.info.ID == legID:
		return c.a, c.b
	case c.a != nil && c.b != nil && c.b.info.ID == legID:
		return c.b, c.a
	}
	return nil, nil
}

// payloadFor is the RTP payload type of a negotiated codec name.
func payloadFor(name string) uint8 {
	if name == "PCMA" {
		return codec.PayloadPCMA
	}
	return codec.PayloadPCMU
}
