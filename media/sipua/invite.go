package sipua

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/routing"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// handleInvite routes a new call (or passes a re-INVITE on).
func (u *UA) handleInvite(req *sip.Request, tx sip.ServerTransaction) {
	if inDialog(req) {
		u.handleReinvite(req, tx)
		return
	}
	if req.Contact() == nil || req.From() == nil || req.To() == nil {
		u.respond(tx, req, 400, "Bad Request (missing Contact, From or To)")
		return
	}
	if u.refuseOverloaded(req, tx, false) {
		return
	}
	dev, ok := u.authenticate(req, tx)
	if !ok {
		return
	}
	offer, err := sdpneg.Parse(req.Body())
	if err != nil {
		code, reason := sdpFailure(err)
		u.respond(tx, req, code, reason)
		return
	}
	if IsOrbit(req.Recipient.User) {
		u.unparkByDialing(req, tx, dev, offer)
		return
	}
	route := u.table.Load().Resolve(req.Recipient.User)
	var targets []Binding
	if route.Kind != routing.ToRoutePoint {
		var code int
		var reason string
		if targets, code, reason = u.targets(route, dev); code != 0 {
			u.respond(tx, req, code, reason)
			return
		}
	}
	c := newCall(u)
	c.offer = offer
	if err := c.acceptInbound(req, tx, dev); err != nil {
		u.log.Warn("sip: cannot take call", "error", err)
		u.respond(tx, req, 503, "Service Unavailable (no media ports)")
		c.cancel()
		u.calls.remove(c)
		return
	}
	u.log.Debug("sip: call", "from", dev.SIPUsername, "to", req.Recipient.User, "targets", len(targets))
	// sipgo ends the server transaction when the handler returns, so the
	// handler drives the call until the caller has its final response.
	if route.Kind == routing.ToRoutePoint {
		c.offerToApp(route.RoutePoint, 0)
		return
	}
	c.ring(targets, route.User)
}

// targets returns the bindings to ring for a route, or a failure status.
func (u *UA) targets(r routing.Route, caller *routing.Device) ([]Binding, int, string) {
	switch r.Kind {
	case routing.Unknown:
		return nil, 404, "Not Found"
	case routing.External:
		return nil, 403, "Forbidden (no trunk serves external numbers)"
	case routing.ToUser:
	default:
		// routing.ToRoutePoint (and any kind added later): this switch
		// does not hand such calls to an application yet, so nobody can
		// take them.
		return nil, 480, "Temporarily Unavailable (no application serves this number)"
	}
	var out []Binding
	now := time.Now()
	for _, d := range r.User.Devices {
		if caller != nil && d.ID == caller.ID {
			continue
		}
		out = append(out, u.bindings.of(d.SIPUsername, now)...)
	}
	if len(out) == 0 {
		return nil, 480, "Temporarily Unavailable (no registered device)"
	}
	return out, 0, ""
}

// sdpFailure maps an SDP parse error to a SIP failure.
func sdpFailure(err error) (int, string) {
	switch {
	case errors.Is(err, sdpneg.ErrNoCommonCodec):
		return 488, "Not Acceptable Here (no common codec; PCMU or PCMA needed)"
	case errors.Is(err, sdpneg.ErrUnsupported):
		return 488, "Not Acceptable Here (" + err.Error() + ")"
	default:
		return 400, "Bad Request (SDP: " + err.Error() + ")"
	}
}

// acceptInbound creates the caller's leg and its server dialog and sends
// 100 Trying.
func (c *call) acceptInbound(req *sip.Request, tx sip.ServerTransaction, dev *routing.Device) error {
	a, err := c.newLeg(true)
	if err != nil {
		return err
	}
	a.info.UserID, a.info.DeviceID = dev.User.ID, dev.ID
	a.info.Dialed = req.Recipient.User
	a.info.Caller = partyName(dev.User)
	a.info.Calling = true
	c.callerExt, c.callerName, c.dialed = dev.User.Extension, a.info.Caller, a.info.Dialed
	a.info.SIPCallID = req.CallID().Value()
	sess, err := c.ua.dialogUA(req.Transport()).ReadInvite(req, tx)
	if err != nil {
		c.ua.cfg.ports.Release(a.ports)
		return err
	}
	a.server = sess
	a.remote = c.offer
	c.a = a
	c.ua.calls.addDialog(sess.ID, c)
	if err := sess.Respond(100, "Trying", nil); err != nil {
		c.ua.log.Debug("sip: 100 Trying failed", "error", err)
	}
	c.mu.Lock()
	c.setState(a, LegTrying)
	c.mu.Unlock()
	return nil
}

// forkEvent is a response (or the end) of one outbound fork.
type forkEvent struct {
	leg   *leg
	res   *sip.Response
	final bool
	err   error
}

// forkEvents carries the forks' responses to the loop ringing them. Once
// that loop has returned (answered, failed or retargeted to an
// application) nobody reads any more: stop closes done, and a fork's later
// responses are dropped instead of blocking its goroutine. So the channel
// needs no room for every response of every fork, which used to cost each
// call a 10 KiB buffer.
type forkEvents struct {
	ch   chan forkEvent
	done chan struct{}
}

func newForkEvents() *forkEvents {
	return &forkEvents{ch: make(chan forkEvent, 4), done: make(chan struct{})}
}

// send passes ev to the ringing loop, or drops it once the loop is gone.
func (e *forkEvents) send(ev forkEvent) {
	select {
	case e.ch <- ev:
	case <-e.done:
	}
}

// stop tells the forks that the ringing loop has returned.
func (e *forkEvents) stop() { close(e.done) }

// ring sends an INVITE to every target and drives the call until it is
// answered or fails. Every response to the caller is sent from this one
// goroutine, so they go out in order (never a 180 after the 200).
func (c *call) ring(targets []Binding, callee *routing.User) {
	events := newForkEvents()
	defer events.stop()
	pending := 0
	for _, b := range targets {
		if err := c.fork(b, callee, events, c.forwardOffer); err != nil {
			c.ua.log.Warn("sip: fork failed", "contact", b.Contact, "error", err)
			continue
		}
		pending++
	}
	timer := time.NewTimer(c.ua.cfg.ringTimeout)
	defer timer.Stop()
	best := 0
	for pending > 0 {
		select {
		case ev := <-events.ch:
			c.ua.log.Debug("sip: fork event", "final", ev.final, "res", statusOf(ev.res), "error", ev.err)
			if !ev.final {
				c.onProvisional(ev.leg, ev.res)
				continue
			}
			if ev.err == nil && ev.res != nil && ev.res.IsSuccess() && c.onAnswer(ev.leg, ev.res) {
				return
			}
			pending--
			best = betterFailure(best, ev)
			c.endFork(ev.leg, ev)
		case <-timer.C:
			c.fail(480, "Temporarily Unavailable (no answer)", EndNoAnswer)
			return
		case <-c.callerGone():
			c.ua.log.Debug("sip: caller gone before answer", "call", c.id)
			c.hangup(EndCanceled)
			return
		case <-c.ctx.Done():
			c.fail(487, "Request Terminated", EndCommanded)
			return
		case r := <-c.retargets:
			if r.rp != nil {
				c.mu.Lock()
				for _, f := range c.forks {
					c.drop(f, r.why)
				}
				c.mu.Unlock()
				c.offerToApp(r.rp, 1)
				return
			}
			pending += c.applyRetarget(r, events)
			timer.Reset(c.ua.cfg.ringTimeout)
		}
	}
	c.fail(failureFor(best))
}

// forwardOffer is the offer a fork sends: the caller's, with the switch's
// address for the fork's leg.
func (c *call) forwardOffer(f *leg) []byte { return sdpneg.ForwardOffer(&f.local, c.offer) }

// callerGone is closed when the caller's dialog ends before answer: a
// CANCEL on an inbound leg, a BYE on an originated one.
func (c *call) callerGone() <-chan struct{} {
	if c.a.server != nil {
		return c.a.server.Context().Done()
	}
	return c.a.client.Context().Done()
}

// fork sends one outbound INVITE toward a binding, with the SDP offer body
// returns for the new leg.
func (c *call) fork(b Binding, callee *routing.User, events *forkEvents, body func(*leg) []byte) error {
	f, err := c.newLeg(false)
	if err != nil {
		return err
	}
	f.info.UserID, f.info.DeviceID, f.info.Dialed, f.info.Caller = callee.ID, b.DeviceID, c.dialed, c.callerName
	f.info.Calling = c.a == nil // ringing the devices of the user an Originate calls for
	req, err := c.outboundInvite(b, callee, f, body(f))
	if err != nil {
		c.ua.cfg.ports.Release(f.ports)
		return err
	}
	f.info.SIPCallID = req.CallID().Value()
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		c.ua.cfg.ports.Release(f.ports)
		return errCallEnded
	}
	c.forks = append(c.forks, f)
	c.setState(f, LegTrying)
	c.mu.Unlock()
	ctx, cancel := context.WithCancel(c.ctx)
	f.cancel = cancel
	sess, err := c.ua.dialogUA(b.Transport).WriteInvite(ctx, req)
	if err != nil {
		cancel()
		// The ringing loop itself is the caller: hand the failure over
		// once it reads again.
		go events.send(forkEvent{leg: f, final: true, err: err})
		return nil
	}
	f.client = sess
	go func() {
		err := sess.WaitAnswer(ctx, sipgo.AnswerOptions{OnResponse: func(res *sip.Response) error {
			if res.IsProvisional() && res.StatusCode > 100 {
				events.send(forkEvent{leg: f, res: res})
			}
			return nil
		}})
		res := sess.InviteResponse
		if res != nil && res.IsSuccess() && (err != nil || !c.claim(f)) {
			// A 2xx nobody wants: it crossed our CANCEL, or another fork
			// won, or the call ended meanwhile. The callee is in a call,
			// so end it properly (RFC 3261 §13.2.2.4, §15).
			c.ackAndBye(f)
			if err == nil {
				err = errForkDropped
			}
		}
		events.send(forkEvent{leg: f, res: res, final: true, err: err})
	}()
	return nil
}

// errForkDropped is the final error of a fork whose answer came after the
// ringing loop had given up on it.
var errForkDropped = errors.New("answer after the fork was given up")

// errCallEnded refuses a new fork for a call that has ended.
var errCallEnded = errors.New("the call has ended")

// claim is called by a fork's goroutine when the fork's INVITE got a 2xx:
// it reports whether the ringing loop may still take that answer. It pairs
// with drop under c.mu, so that exactly one of them ends a late answer.
func (c *call) claim(f *leg) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f.dropped || c.ended {
		return false
	}
	f.answered = true
	return true
}

// drop gives up on a ringing fork: CANCEL if it is still ringing, ACK and
// BYE if its 2xx was already claimed (the two answered at once). Callers
// hold c.mu.
func (c *call) drop(f *leg, why EndReason) {
	if f.dropped {
		return
	}
	f.dropped = true
	if f.info.End == EndNone {
		f.info.End = why
	}
	if f.cancel != nil {
		f.cancel()
	}
	if f.answered {
		go c.ackAndBye(f)
	}
}

// outboundInvite builds the INVITE to one of the callee's contacts.
func (c *call) outboundInvite(b Binding, callee *routing.User, f *leg, body []byte) (*sip.Request, error) {
	var target sip.Uri
	if err := sip.ParseUri(b.Contact, &target); err != nil {
		return nil, fmt.Errorf("contact %q: %w", b.Contact, err)
	}
	req := sip.NewRequest(sip.INVITE, target)
	host := c.ua.contact.Address.Host
	from := &sip.FromHeader{DisplayName: c.callerName,
		Address: sip.Uri{Scheme: "sip", User: c.callerExt, Host: host}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(16))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{
		Address: sip.Uri{Scheme: "sip", User: callee.Extension, Host: host}, Params: sip.NewParams()})
	req.To().DisplayName = partyName(callee)
	callID := sip.CallIDHeader(sip.GenerateTagN(24) + "@" + host)
	req.AppendHeader(&callID)
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.AppendHeader(sip.NewHeader("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO"))
	req.SetBody(body)
	req.SetTransport(transportName(b.Transport))
	req.SetDestination(b.Target)
	return req, nil
}

// transportName is the sipgo transport name for a binding's transport.
func transportName(t string) string {
	if t == "tcp" {
		return "TCP"
	}
	return "UDP"
}

// partyName is how a user is shown to the called party: the display
// name without the characters that would break a quoted SIP display name.
func partyName(u *routing.User) string {
	name := strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, u.DisplayName)
	if name == "" {
		return u.Extension
	}
	return name
}

// mediaIP is the address put in SDP for the switch's RTP ports.
func (u *UA) mediaIP() net.IP {
	if u.cfg.ports != nil && u.cfg.ports.IP() != nil && !u.cfg.ports.IP().IsUnspecified() {
		return u.cfg.ports.IP()
	}
	return net.ParseIP(u.contact.Address.Host)
}

// dialogUA returns the dialog UA for a transport.
func (u *UA) dialogUA(transport string) *sipgo.DialogUA {
	cl := u.udp
	if transport == "tcp" || transport == "TCP" {
		cl = u.tcp
	}
	return &sipgo.DialogUA{Client: cl, ContactHDR: u.contact, RewriteContact: true}
}

func statusOf(res *sip.Response) int {
	if res == nil {
		return 0
	}
	return res.StatusCode
}
