package sipua

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/routing"
)

// handleRegister is the registrar (RFC 3261 §10.3): authenticate, then
// add, refresh or remove the request's contacts and answer with the
// bindings now in force.
func (u *UA) handleRegister(req *sip.Request, tx sip.ServerTransaction) {
	to := req.To()
	if to == nil || req.CallID() == nil || req.CSeq() == nil {
		u.respond(tx, req, 400, "Bad Request (missing To, Call-ID or CSeq)")
		return
	}
	if u.refuseOverloaded(req, tx, true) {
		return
	}
	dev, ok := u.authenticate(req, tx)
	if !ok {
		return
	}
	if to.Address.User != dev.SIPUsername {
		u.respond(tx, req, 403, "Forbidden (credentials do not match the To address)")
		return
	}
	contacts, wildcard := registerContacts(req)
	defExpires, hasExpires := expiresHeader(req)
	if wildcard {
		if !hasExpires || defExpires != 0 || len(contacts) > 1 {
			u.respond(tx, req, 400, "Bad Request (Contact: * needs Expires: 0 and no other contact)")
			return
		}
		for _, b := range u.bindings.removeAll(dev.SIPUsername) {
			u.cfg.observer.RegistrationChanged(b, true)
		}
		u.okRegister(req, tx, dev)
		return
	}
	if !hasExpires {
		defExpires = u.cfg.maxExpires
	}
	for _, c := range contacts {
		if n := contactExpires(c, defExpires); n > 0 && n < u.cfg.minExpires {
			u.respond(tx, req, 423, "Interval Too Brief",
				sip.NewHeader("Min-Expires", strconv.Itoa(u.cfg.minExpires)))
			return
		}
	}
	for _, c := range contacts {
		u.applyContact(req, dev, c, defExpires)
	}
	u.okRegister(req, tx, dev)
}

// applyContact adds, refreshes or removes one contact.
func (u *UA) applyContact(req *sip.Request, dev *routing.Device, c *sip.ContactHeader, defExpires int) {
	uri := c.Address.String()
	n := min(contactExpires(c, defExpires), u.cfg.maxExpires)
	if n == 0 {
		if b, ok := u.bindings.remove(dev.SIPUsername, uri); ok {
			u.cfg.observer.RegistrationChanged(b, true)
		}
		return
	}
	b := Binding{DeviceID: dev.ID, UserID: dev.User.ID, Username: dev.SIPUsername, Contact: uri,
		Source: req.Source(), Target: target(req, c), Transport: strings.ToLower(req.Transport()),
		Expires: time.Now().Add(time.Duration(n) * time.Second), CallID: req.CallID().Value()}
	if h := req.GetHeader("User-Agent"); h != nil {
		b.UserAgent = h.Value()
	}
	u.bindings.put(b)
	u.cfg.observer.RegistrationChanged(b, false)
}

// okRegister answers 200 with every current contact of the device's user
// name and its remaining time.
func (u *UA) okRegister(req *sip.Request, tx sip.ServerTransaction, dev *routing.Device) {
	res := sip.NewResponseFromRequest(req, 200, "OK", nil)
	now := time.Now()
	for _, b := range u.bindings.of(dev.SIPUsername, now) {
		left := int(b.Expires.Sub(now).Round(time.Second) / time.Second)
		res.AppendHeader(sip.NewHeader("Contact", fmt.Sprintf("<%s>;expires=%d", b.Contact, left)))
	}
	res.AppendHeader(sip.NewHeader("Date", now.UTC().Format(time.RFC1123)))
	if err := tx.Respond(res); err != nil {
		u.log.Debug("sip: respond failed", "error", err)
	}
}

// target is where requests to a contact go. A phone behind NAT registers a
// private Contact it cannot be reached on; one that asks for symmetric
// response routing (rport, RFC 3581) or uses TCP is reached where its
// REGISTER came from. Otherwise the Contact is used, so a device may
// register a contact for another socket (as SIPp does).
func target(req *sip.Request, c *sip.ContactHeader) string {
	if via := req.Via(); via != nil && via.Params != nil && via.Params.Has("rport") {
		return req.Source()
	}
	if strings.EqualFold(req.Transport(), "tcp") {
		return req.Source()
	}
	port := c.Address.Port
	if port == 0 {
		port = 5060
	}
	return net.JoinHostPort(c.Address.Host, strconv.Itoa(port))
}

// registerContacts returns the Contact headers and whether one is "*".
func registerContacts(req *sip.Request) ([]*sip.ContactHeader, bool) {
	var out []*sip.ContactHeader
	wildcard := false
	for _, h := range req.GetHeaders("Contact") {
		c, ok := h.(*sip.ContactHeader)
		if !ok {
			continue
		}
		if c.Address.Wildcard {
			wildcard = true
		}
		out = append(out, c)
	}
	return out, wildcard
}

// expiresHeader returns the Expires header value, if any.
func expiresHeader(req *sip.Request) (int, bool) {
	h := req.GetHeader("Expires")
	if h == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(h.Value()))
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// contactExpires returns a contact's expires parameter, or def.
func contactExpires(c *sip.ContactHeader, def int) int {
	if c.Params != nil {
		if v, ok := c.Params.Get("expires"); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= 0 {
				return n
			}
		}
	}
	return def
}

// handleOptions answers OPTIONS (keep-alives and capability queries).
func (u *UA) handleOptions(req *sip.Request, tx sip.ServerTransaction) {
	u.respond(tx, req, 200, "OK",
		sip.NewHeader("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, REFER, NOTIFY"),
		sip.NewHeader("Accept", "application/sdp, application/dtmf-relay"))
}

// handleNoRoute answers methods the switch does not support.
func (u *UA) handleNoRoute(req *sip.Request, tx sip.ServerTransaction) {
	u.respond(tx, req, 405, "Method Not Allowed",
		sip.NewHeader("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, REFER, NOTIFY"))
}
