package sipua

import (
	"context"
	"net"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/rtpsession"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// byeTimeout bounds how long the switch waits for a BYE's response.
const byeTimeout = 5 * time.Second

// onProvisional passes ringing and early media on to the caller.
func (c *call) onProvisional(f *leg, res *sip.Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended {
		return
	}
	if f.info.State == LegTrying {
		c.setState(f, LegRinging)
	}
	if len(res.Body()) > 0 && c.early == nil {
		if answer, ok := c.answerFrom(f, res.Body()); ok {
			c.early = f
			c.answerA = answer
			c.bridge(f)
			c.respondA(183, "Session Progress", answer)
			c.ringingToA()
			return
		}
	}
	if !c.ringing {
		c.respondA(180, "Ringing", nil)
		c.ringingToA()
	}
}

// ringingToA marks the caller's leg as ringing. Callers hold c.mu.
func (c *call) ringingToA() {
	c.ringing = true
	if c.a.info.State == LegTrying {
		c.setState(c.a, LegRinging)
	}
}

// answerFrom parses a callee's SDP answer and builds the answer to the
// caller with the codec the callee chose. Callers hold c.mu.
func (c *call) answerFrom(f *leg, body []byte) ([]byte, bool) {
	m, err := sdpneg.Parse(body)
	if err != nil {
		c.ua.log.Debug("sip: bad SDP from callee", "leg", f.info.ID, "error", err)
		return nil, false
	}
	chosen, ok := m.AudioCodec()
	if !ok {
		return nil, false
	}
	f.remote = m
	f.info.Codec = chosen.Name
	if c.a.server == nil || c.aAnswered {
		return []byte{}, true // an originated or transferred caller leg already has its media
	}
	answer, _, err := sdpneg.Answer(&c.a.local, c.offer, agreed(chosen, m), m.Direction.Reverse())
	if err != nil {
		return nil, false
	}
	c.a.info.Codec = chosen.Name
	return answer, true
}

// respondA sends a response on the caller's INVITE (nothing for an
// originated call, whose caller leg is already answered). Callers hold c.mu.
func (c *call) respondA(code int, reason string, sdp []byte) {
	if c.a.server == nil || c.aAnswered {
		return
	}
	var hdrs []sip.Header
	if sdp != nil {
		hdrs = append(hdrs, sip.NewHeader("Content-Type", "application/sdp"))
	}
	if err := c.a.server.Respond(code, reason, sdp, hdrs...); err != nil {
		c.ua.log.Debug("sip: response to caller failed", "code", code, "error", err)
	}
}

// onAnswer connects the caller to the fork that answered first and drops
// the others. It reports false, doing nothing, when the fork was given up
// meanwhile (its answer is then ended by drop).
func (c *call) onAnswer(f *leg, res *sip.Response) bool {
	c.mu.Lock()
	if f.dropped || c.ended {
		c.mu.Unlock()
		return false
	}
	answer := c.answerA
	if c.early != f || answer == nil {
		var ok bool
		if answer, ok = c.answerFrom(f, res.Body()); !ok {
			f.dropped = true // ended here, not again by hangup
			c.mu.Unlock()
			c.ackAndBye(f)
			c.fail(488, "Not Acceptable Here (callee answered with unusable SDP)", EndFailed)
			return true
		}
	}
	c.b = f
	c.bridge(f)
	for _, o := range c.forks {
		if o != f {
			c.drop(o, EndRejected)
		}
	}
	// Answered before the 200 goes out, so that a BYE racing in right after
	// it finds both legs answered and hangs up the callee too.
	if c.a.info.State != LegAnswered {
		c.setState(c.a, LegAnswered)
	}
	c.setState(f, LegAnswered)
	c.releaseLosers()
	caller, respond := c.a.server, !c.aAnswered
	c.mu.Unlock()
	c.ua.calls.addDialog(f.client.ID, c)
	if err := f.client.Ack(c.ctx); err != nil {
		c.ua.log.Debug("sip: ACK to callee failed", "error", err)
	}
	if caller == nil || !respond {
		return true
	}
	if err := caller.RespondSDP(answer); err != nil {
		c.ua.log.Warn("sip: 200 OK to caller failed", "error", err)
		c.hangup(EndFailed)
	}
	return true
}

// bridge points the relay at the caller and fork f. Callers hold c.mu.
func (c *call) bridge(f *leg) {
	c.a.rtp.SetRemote(udpAddr(c.offer.Addr, c.offer.Port))
	f.rtp.SetRemote(udpAddr(f.remote.Addr, f.remote.Port))
	c.a.rtp.SetEventPayloadType(eventPT(c.offer))
	f.rtp.SetEventPayloadType(eventPT(f.remote))
	if c.relay != nil && c.relayB == f {
		return
	}
	c.closeRelayLocked()
	if c.player != nil { // music while a transferred party waited
		c.player.Stop()
		c.player = nil
	}
	aLeg, fLeg := c.a, f
	r := rtpsession.NewRelay(c.a.rtp, f.rtp,
		rtpsession.WithMediaTimeout(c.ua.cfg.mediaTimeout),
		rtpsession.OnDTMF(func(from *rtpsession.Leg, digit rune) {
			id := aLeg.info.ID
			if from == fLeg.rtp {
				id = fLeg.info.ID
			}
			c.ua.cfg.observer.DTMF(id, digit)
		}),
		rtpsession.OnTimeout(func() { go c.hangup(EndMediaTimeout) }))
	if c.offer.HasEvents && f.remote.HasEvents && c.offer.EventPT != f.remote.EventPT {
		r.SetPayloadMap(rtpsession.AToB, map[uint8]uint8{c.offer.EventPT: f.remote.EventPT})
		r.SetPayloadMap(rtpsession.BToA, map[uint8]uint8{f.remote.EventPT: c.offer.EventPT})
	}
	if err := r.Start(); err != nil {
		c.ua.log.Warn("sip: relay did not start", "error", err)
	}
	c.relay, c.relayB = r, f
}

// eventPT is the telephone-event payload type of a media description, or
// none.
func eventPT(m *sdpneg.Media) uint8 {
	if m.HasEvents {
		return m.EventPT
	}
	return rtpsession.PayloadNone
}

// releaseLosers frees the ports of forks that did not win. Callers hold c.mu.
func (c *call) releaseLosers() {
	kept := c.forks[:0]
	for _, o := range c.forks {
		if o == c.b {
			kept = append(kept, o)
			continue
		}
		c.ua.cfg.ports.Release(o.ports)
		o.info.State = LegEnded
		c.ua.cfg.observer.LegChanged(o.info)
	}
	c.forks = kept
}

// endFork records a fork that failed or was declined.
func (c *call) endFork(f *leg, ev forkEvent) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev.res != nil {
		f.info.SIPStatus = ev.res.StatusCode
	}
	if f.info.End == EndNone {
		f.info.End = endReasonFor(f.info.SIPStatus)
	}
	c.setState(f, LegEnded)
	c.ua.cfg.ports.Release(f.ports)
	c.removeFork(f)
	if c.early == f {
		c.early, c.answerA = nil, nil
		c.closeRelayLocked()
	}
}

// ackAndBye ends an outbound leg that answered but cannot be used.
func (c *call) ackAndBye(f *leg) {
	_ = f.client.Ack(c.ctx)
	ctx, cancel := context.WithTimeout(context.Background(), byeTimeout)
	defer cancel()
	_ = f.client.Bye(ctx)
}

// fail answers the caller with a failure and ends the call.
func (c *call) fail(code int, reason string, why EndReason) {
	c.mu.Lock()
	if !c.ended {
		c.a.info.SIPStatus = code
		c.respondA(code, reason, nil)
	}
	c.mu.Unlock()
	c.hangup(why)
}

// hangup ends every leg of the call: CANCEL for ringing forks, BYE for
// answered legs that did not send one, then frees the media.
func (c *call) hangup(why EndReason) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.ended = true
	legs := c.legs()
	for _, f := range c.forks {
		if f != c.a && f != c.b {
			c.drop(f, why)
		}
	}
	var needBye, handOver []*leg
	var consults []*call
	kept := legs[:0]
	for _, l := range legs {
		switch {
		case l.consult != nil && !l.byeIn:
			handOver = append(handOver, l) // the phone goes on in its consultation
			continue
		case l.consult != nil:
			consults = append(consults, l.consult) // the phone hung up: end both calls
		case l.alias != nil:
			// Borrows the phone's dialog: no BYE; its call keeps the phone.
		case l.info.State == LegAnswered && !l.byeIn:
			needBye = append(needBye, l)
		}
		kept = append(kept, l)
	}
	legs = kept
	relay, player, conf := c.relay, c.player, c.conf
	c.stopRecordingLocked()
	c.closeApp()
	if a := c.a; a != nil && a.info.State != LegAnswered && a.info.SIPStatus == 0 && why != EndCanceled {
		// The caller still waits for a final response (Drop or a hang-up
		// command while it rings).
		c.respondA(480, "Temporarily Unavailable (call ended)", nil)
	}
	c.mu.Unlock()
	c.cancel() // stops ringing forks: sipgo sends CANCEL
	if relay != nil {
		relay.Close()
	}
	if conf != nil {
		conf.Close()
	}
	if player != nil {
		player.Stop()
	}
	for _, l := range needBye {
		c.bye(l)
	}
	c.mu.Lock()
	for _, l := range legs {
		if l.info.End == EndNone {
			l.info.End = why
		}
		c.ua.cfg.ports.Release(l.ports)
		c.setState(l, LegEnded)
	}
	for _, l := range handOver {
		l.info.End = why
		c.setState(l, LegEnded)
	}
	c.mu.Unlock()
	c.ua.calls.remove(c)
	for _, l := range handOver {
		c.handOver(l)
	}
	for _, c2 := range consults {
		c2.hangup(EndNormal)
	}
	c.consultEnded()
}

// bye sends BYE on an answered leg.
func (c *call) bye(l *leg) {
	ctx, cancel := context.WithTimeout(context.Background(), byeTimeout)
	defer cancel()
	var err error
	if l.server != nil {
		err = l.server.Bye(ctx)
	} else if l.client != nil {
		err = l.client.Bye(ctx)
	}
	if err != nil {
		c.ua.log.Debug("sip: BYE failed", "leg", l.info.ID, "error", err)
	}
}

func udpAddr(ip net.IP, port int) *net.UDPAddr { return &net.UDPAddr{IP: ip, Port: port} }

// agreed is what the caller may be answered with: the codec the callee
// chose, and telephone-event when the callee accepted it too (so that
// RFC 4733 digits pass end to end).
func agreed(chosen sdpneg.Codec, callee *sdpneg.Media) []sdpneg.Codec {
	out := []sdpneg.Codec{chosen}
	if callee.HasEvents {
		out = append(out, sdpneg.TelephoneEvent)
	}
	return out
}
