package sipua

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"
)

// handleRefer carries out a blind transfer a phone asked for with REFER
// (RFC 3515): the party it talks to is called through to the Refer-To
// number, the phone gets 202 Accepted and a NOTIFY with the outcome, and
// its leg is hung up. A Refer-To with Replaces (RFC 3891) is an attended
// transfer: see referReplaces.
func (u *UA) handleRefer(req *sip.Request, tx sip.ServerTransaction) {
	c, l := u.findLeg(req)
	if c == nil {
		u.respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	rt := req.ReferTo()
	if rt == nil || rt.Address.User == "" {
		u.respond(tx, req, 400, "Bad Request (Refer-To with a number is required)")
		return
	}
	if rt.Address.Headers != nil && rt.Address.Headers.Has("Replaces") {
		v, _ := rt.Address.Headers.Get("Replaces")
		u.referReplaces(req, tx, c, l, v)
		return
	}
	_, _, _, err := u.transferTargets(l.info.ID, rt.Address.User)
	switch {
	case errors.Is(err, ErrUnknownDestination):
		u.respond(tx, req, 404, "Not Found (transfer target)")
		return
	case errors.Is(err, ErrNotRegistered):
		u.respond(tx, req, 480, "Temporarily Unavailable (transfer target has no registered device)")
		return
	case err != nil:
		u.respond(tx, req, 403, "Forbidden (the call cannot be transferred now)")
		return
	}
	u.respond(tx, req, 202, "Accepted")
	if err := u.transfer(l.info.ID, rt.Address.User, func() { u.notifyReferDone(l) }); err != nil {
		u.log.Debug("sip: REFER transfer failed after 202", "error", err)
	}
}

// notifyReferDone tells the transferring phone, in the REFER's implicit
// subscription, that the transfer went ahead.
func (u *UA) notifyReferDone(l *leg) {
	target := sip.Uri{}
	if l.server != nil {
		target = l.server.InviteRequest.Contact().Address
	} else if l.client.InviteResponse != nil && l.client.InviteResponse.Contact() != nil {
		target = l.client.InviteResponse.Contact().Address
	}
	n := sip.NewRequest(sip.NOTIFY, target)
	n.AppendHeader(sip.NewHeader("Event", "refer"))
	n.AppendHeader(sip.NewHeader("Subscription-State", "terminated;reason=noresource"))
	n.AppendHeader(sip.NewHeader("Content-Type", "message/sipfrag;version=2.0"))
	n.SetBody([]byte("SIP/2.0 200 OK\r\n"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var err error
	if l.server != nil {
		_, err = l.server.Do(ctx, n)
	} else {
		_, err = l.client.Do(ctx, n)
	}
	if err != nil {
		u.log.Debug("sip: NOTIFY after REFER failed", "error", err)
	}
}

// referReplaces carries out an attended transfer a phone asked for: it
// talks to one party on l and has a second call (the dialog named by
// replaces) with another; the two parties are connected, the phone gets
// 202 and a NOTIFY, and both of its calls are hung up.
func (u *UA) referReplaces(req *sip.Request, tx sip.ServerTransaction, c *call, l *leg, replaces string) {
	callID, toTag, fromTag, ok := parseReplaces(replaces)
	if !ok {
		u.respond(tx, req, 400, "Bad Request (Replaces needs a Call-ID, to-tag and from-tag)")
		return
	}
	c2, y := u.dialogLeg(sip.DialogIDMake(callID, toTag, fromTag))
	if c2 == nil {
		c2, y = u.dialogLeg(sip.DialogIDMake(callID, fromTag, toTag))
	}
	switch {
	case c2 == nil:
		u.respond(tx, req, 481, "Call/Transaction Does Not Exist (the call named in Replaces)")
		return
	case c2 == c || y.info.UserID != l.info.UserID:
		u.respond(tx, req, 403, "Forbidden (Replaces must name another call of the same user)")
		return
	}
	d := c2.other(y)
	c.mu.Lock()
	_, p := c.pair(l.info.ID)
	c.mu.Unlock()
	if d == nil || p == nil {
		u.respond(tx, req, 403, "Forbidden (both calls must be connected)")
		return
	}
	u.respond(tx, req, 202, "Accepted")
	u.notifyReferDone(l)
	if err := u.join(c, l, c2, d, EndTransferred); err != nil {
		u.log.Debug("sip: attended transfer failed after 202", "error", err)
	}
}

// dialogLeg finds a call and its leg by sipgo dialog id.
func (u *UA) dialogLeg(id string) (*call, *leg) {
	return u.legByDialog(id, func(l *leg) bool { return dialogID(l) == id })
}

// parseReplaces reads a Replaces value (RFC 3891), escaped as a URI header
// in Refer-To: "call-id;to-tag=…;from-tag=…".
func parseReplaces(v string) (callID, toTag, fromTag string, ok bool) {
	v, err := url.PathUnescape(v)
	if err != nil {
		return "", "", "", false
	}
	parts := strings.Split(v, ";")
	callID = strings.TrimSpace(parts[0])
	for _, p := range parts[1:] {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch strings.ToLower(k) {
		case "to-tag":
			toTag = val
		case "from-tag":
			fromTag = val
		}
	}
	return callID, toTag, fromTag, callID != "" && toTag != "" && fromTag != ""
}
