package sipua

import (
	"context"
	"errors"
	"time"

	"github.com/emiago/sipgo/sip"
)

// handleRefer carries out a blind transfer a phone asked for with REFER
// (RFC 3515): the party it talks to is called through to the Refer-To
// number, the phone gets 202 Accepted and a NOTIFY with the outcome, and
// its leg is hung up. (Attended transfer with Replaces is not supported
// yet and is refused with 501.)
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
		u.respond(tx, req, 501, "Not Implemented (attended transfer with Replaces)")
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
