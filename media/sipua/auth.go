package sipua

import (
	"net"

	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/routing"
)

// authenticate checks the request's digest credentials. REGISTER uses
// Authorization/401, other requests Proxy-Authorization/407. When it
// returns false it has already answered the request (challenge, 403).
func (u *UA) authenticate(req *sip.Request, tx sip.ServerTransaction) (*routing.Device, bool) {
	ip := sourceIP(req)
	if u.bans.banned(ip) {
		u.respond(tx, req, 403, "Forbidden (too many failed authentications; try later)")
		return nil, false
	}
	hdrName, code, reason, chalName := "Proxy-Authorization", 407, "Proxy Authentication Required", "Proxy-Authenticate"
	if req.Method == sip.REGISTER {
		hdrName, code, reason, chalName = "Authorization", 401, "Unauthorized", "WWW-Authenticate"
	}
	tbl := u.table.Load()
	value := ""
	if h := req.GetHeader(hdrName); h != nil {
		value = h.Value()
	}
	dev, res := u.digest.verify(value, string(req.Method), tbl.Realm, tbl)
	switch res {
	case authOK:
		u.bans.succeed(ip)
		return dev, true
	case authFailed:
		if u.bans.fail(ip) {
			u.respond(tx, req, 403, "Forbidden (too many failed authentications; try later)")
			return nil, false
		}
	}
	hdrs := make([]sip.Header, 0, 2)
	for _, c := range u.digest.challenges(tbl.Realm, res == authStale) {
		hdrs = append(hdrs, sip.NewHeader(chalName, c))
	}
	u.respond(tx, req, code, reason, hdrs...)
	return nil, false
}

// respond sends a response built from req, logging a send failure.
func (u *UA) respond(tx sip.ServerTransaction, req *sip.Request, code int, reason string, hdrs ...sip.Header) {
	res := sip.NewResponseFromRequest(req, code, reason, nil)
	for _, h := range hdrs {
		res.AppendHeader(h)
	}
	if err := tx.Respond(res); err != nil {
		u.log.Debug("sip: respond failed", "code", code, "error", err)
	}
}

func sourceIP(req *sip.Request) string {
	host, _, err := net.SplitHostPort(req.Source())
	if err != nil {
		return req.Source()
	}
	return host
}
