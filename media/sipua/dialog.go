package sipua

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// reinviteTimeout bounds a re-INVITE passed to the other side.
const reinviteTimeout = 10 * time.Second

// findLeg finds the call and leg an in-dialog request belongs to: a
// request from the caller matches the server dialog, one from the callee
// the client dialog.
func (u *UA) findLeg(req *sip.Request) (*call, *leg) {
	if id, err := sip.DialogIDFromRequestUAS(req); err == nil {
		if c, l := u.legByDialog(id, func(l *leg) bool { return l.server != nil && l.server.ID == id }); c != nil {
			return c, l
		}
	}
	if id, err := sip.DialogIDFromRequestUAC(req); err == nil {
		if c, l := u.legByDialog(id, func(l *leg) bool { return l.client != nil && l.client.ID == id }); c != nil {
			return c, l
		}
	}
	return nil, nil
}

// legByDialog finds the call filed under a dialog id and its leg that
// matches.
func (u *UA) legByDialog(id string, match func(*leg) bool) (*call, *leg) {
	c := u.calls.dialog(id)
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range append([]*leg{c.a, c.b}, c.members...) {
		if l != nil && match(l) {
			return c, l
		}
	}
	return nil, nil
}

// other returns the leg bridged to l.
func (c *call) other(l *leg) *leg {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l == c.a {
		return c.b
	}
	return c.a
}

// handleAck confirms the caller's dialog (ACK to our 200 OK).
func (u *UA) handleAck(req *sip.Request, tx sip.ServerTransaction) {
	c, l := u.findLeg(req)
	if c == nil || l.server == nil {
		return
	}
	_ = l.server.ReadAck(req, tx) // a re-INVITE's ACK has another CSeq: harmless
}

// handleBye ends the call whose leg sent BYE.
func (u *UA) handleBye(req *sip.Request, tx sip.ServerTransaction) {
	c, l := u.findLeg(req)
	if c == nil {
		u.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	var err error
	if l.server != nil {
		err = l.server.ReadBye(req, tx)
	} else {
		err = l.client.ReadBye(req, tx)
	}
	if err != nil {
		u.respond(tx, req, 200, "OK")
	}
	c.mu.Lock()
	l.byeIn = true
	l.info.End = EndNormal
	c.mu.Unlock()
	if c.conferenced() {
		c.leave(l, EndNormal)
		return
	}
	c.hangup(EndNormal)
}

// handleCancel answers a CANCEL that matched no INVITE transaction (the
// transaction layer handles the ones that do).
func (u *UA) handleCancel(req *sip.Request, tx sip.ServerTransaction) {
	u.respond(tx, req, 481, "Call/Transaction Does Not Exist")
}

// handleReinvite passes a re-INVITE (hold, resume, new address) to the
// other side and answers with what the other side accepted.
func (u *UA) handleReinvite(req *sip.Request, tx sip.ServerTransaction) {
	c, l := u.findLeg(req)
	if c == nil {
		u.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	offer, err := sdpneg.Parse(req.Body())
	if err != nil {
		code, reason := sdpFailure(err)
		u.respond(tx, req, code, reason)
		return
	}
	c.reinviteMu.Lock()
	defer c.reinviteMu.Unlock()
	if c.conferenced() {
		c.answerLocally(req, tx, l, offer)
		return
	}
	other := c.other(l)
	if other == nil {
		u.respond(tx, req, 491, "Request Pending")
		return
	}
	answerOther, err := c.forwardReinvite(other, offer)
	if err != nil {
		u.log.Debug("sip: re-INVITE to the other side failed", "error", err)
		u.respond(tx, req, 488, "Not Acceptable Here (the other party refused the change)")
		return
	}
	c.applyReinvite(l, other, offer, answerOther)
	chosen, _ := answerOther.AudioCodec()
	l.local.NextVersion()
	body, _, err := sdpneg.Answer(&l.local, offer, agreed(chosen, answerOther), answerOther.Direction.Reverse())
	if err != nil {
		u.respond(tx, req, 488, "Not Acceptable Here ("+err.Error()+")")
		return
	}
	u.answerReinvite(req, tx, body)
}

// answerReinvite sends the 200 OK with SDP body to a re-INVITE.
func (u *UA) answerReinvite(req *sip.Request, tx sip.ServerTransaction, body []byte) {
	res := sip.NewSDPResponseFromRequest(req, body)
	res.AppendHeader(sip.HeaderClone(&u.contact))
	if err := tx.Respond(res); err != nil {
		u.log.Debug("sip: re-INVITE answer failed", "error", err)
	}
}

// forwardReinvite sends the new offer to the other leg and ACKs its answer.
func (c *call) forwardReinvite(other *leg, offer *sdpneg.Media) (*sdpneg.Media, error) {
	other.local.NextVersion()
	req := sip.NewRequest(sip.INVITE, c.remoteTarget(other))
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(sdpneg.ForwardOffer(&other.local, offer))
	ctx, cancel := context.WithTimeout(c.ctx, reinviteTimeout)
	defer cancel()
	var res *sip.Response
	var err error
	if other.server != nil {
		res, err = other.server.Do(ctx, req)
	} else {
		res, err = other.client.Do(ctx, req)
	}
	if err != nil {
		return nil, err
	}
	if !res.IsSuccess() {
		return nil, errors.New("re-INVITE answered " + strconv.Itoa(res.StatusCode))
	}
	ack := sip.NewRequest(sip.ACK, c.remoteTarget(other))
	if other.server != nil {
		err = other.server.WriteRequest(ack)
	} else {
		err = other.client.WriteRequest(ack)
	}
	if err != nil {
		return nil, err
	}
	return sdpneg.Parse(res.Body())
}

// remoteTarget is where in-dialog requests to a leg go (its Contact).
func (c *call) remoteTarget(l *leg) sip.Uri {
	if l.server != nil {
		return l.server.InviteRequest.Contact().Address
	}
	if l.client.InviteResponse != nil && l.client.InviteResponse.Contact() != nil {
		return l.client.InviteResponse.Contact().Address
	}
	return l.client.InviteRequest.Recipient
}

// applyReinvite updates media after a re-INVITE from l: new remote
// addresses, hold state, and the media timeout (off while held).
func (c *call) applyReinvite(l, other *leg, offer, answer *sdpneg.Media) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l.remote, other.remote = offer, answer
	l.rtp.SetRemote(udpAddr(offer.Addr, offer.Port))
	other.rtp.SetRemote(udpAddr(answer.Addr, answer.Port))
	held := offer.Direction != sdpneg.SendRecv
	if other.info.Held != held {
		other.info.Held = held
		c.ua.cfg.observer.LegChanged(other.info)
	}
	if c.relay != nil {
		c.relay.SetTimeoutEnabled(!held)
	}
}

// handleInfo turns SIP INFO DTMF (application/dtmf-relay or
// application/dtmf) into an RFC 4733 event toward the other party.
func (u *UA) handleInfo(req *sip.Request, tx sip.ServerTransaction) {
	c, l := u.findLeg(req)
	if c == nil {
		u.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	digit, dur, ok := parseDTMFInfo(req)
	if !ok {
		u.respond(tx, req, 415, "Unsupported Media Type (application/dtmf-relay expected)")
		return
	}
	c.mu.Lock()
	app, appLeg, relay := c.app, c.appLeg, c.relay
	c.mu.Unlock()
	if app != nil { // a route point's caller: the digit is for the application
		// Queued before the 200 OK: a phone sends its next digit once it
		// has the answer, and every INFO runs on a goroutine of its own,
		// so answering first lets the next digit overtake this one.
		u.cfg.observer.DTMF(appLeg.info.ID, digit)
		app.digit(digit)
		u.respond(tx, req, 200, "OK")
		return
	}
	u.respond(tx, req, 200, "OK")
	u.cfg.observer.DTMF(l.info.ID, digit)
	other := c.other(l)
	if other != nil && relay != nil {
		relay.InjectDTMF(other.rtp, digit, dur)
	}
}

// parseDTMFInfo reads a digit and duration from an INFO body.
func parseDTMFInfo(req *sip.Request) (rune, time.Duration, bool) {
	ct := ""
	if h := req.ContentType(); h != nil {
		ct = strings.ToLower(strings.TrimSpace(h.Value()))
	}
	body := strings.TrimSpace(string(req.Body()))
	dur := 160 * time.Millisecond
	var sig string
	switch ct {
	case "application/dtmf":
		sig = body
	case "application/dtmf-relay":
		for _, line := range strings.Split(body, "\n") {
			k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "signal":
				sig = strings.TrimSpace(v)
			case "duration":
				if ms, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && ms > 0 && ms < 5000 {
					dur = time.Duration(ms) * time.Millisecond
				}
			}
		}
	default:
		return 0, 0, false
	}
	if len(sig) != 1 || !strings.ContainsRune("0123456789*#ABCDabcd", rune(sig[0])) {
		return 0, 0, false
	}
	return []rune(strings.ToUpper(sig))[0], dur, true
}

// answerLocally answers a re-INVITE the switch itself is the far end of
// (a conference member's hold or new address): the offer is accepted with
// the codec the leg already uses.
func (c *call) answerLocally(req *sip.Request, tx sip.ServerTransaction, l *leg, offer *sdpneg.Media) {
	c.mu.Lock()
	chosen, _ := l.remote.AudioCodec()
	l.local.NextVersion()
	body, _, err := sdpneg.Answer(&l.local, offer, agreed(chosen, offer), offer.Direction.Reverse())
	if err == nil {
		l.remote = offer
		l.rtp.SetRemote(udpAddr(offer.Addr, offer.Port))
		if l.mixed != nil { // a member whose phone holds may stop sending
			l.mixed.SetTimeoutEnabled(offer.Direction == sdpneg.SendRecv)
		}
	}
	c.mu.Unlock()
	if err != nil {
		c.ua.respond(tx, req, 488, "Not Acceptable Here ("+err.Error()+")")
		return
	}
	c.ua.answerReinvite(req, tx, body)
}
