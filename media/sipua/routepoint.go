package sipua

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/switchboard-pbx/switchboard/media/codec"
	"github.com/switchboard-pbx/switchboard/media/routing"
	"github.com/switchboard-pbx/switchboard/media/rtpsession"
	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// A call to a route point is offered to the application serving it: the
// caller hears ringing while a virtual leg (no phone, no ports) for the
// route point rings. The application answers it (AnswerApp), after which
// the switch itself is the caller's far end: it plays audio, collects
// digits and records. With no answer in the route point's answer timeout
// the call goes to its fallback extension (or fails with 480).

// maxFallbackHops bounds route points falling back to route points.
const maxFallbackHops = 3

// Errors of route point operations.
var (
	ErrNotRoutePoint = errors.New("the leg is not a route point's leg")
	ErrNotAnswered   = errors.New("the route point call is not answered")
)

// appMedia is the switch's end of an answered route point call.
type appMedia struct {
	ep     *rtpsession.Endpoint
	pt     uint8     // the caller's audio payload type
	digits chan rune // pressed and not collected yet (type-ahead)

	mu       sync.Mutex
	player   *rtpsession.Player
	onDigit  chan struct{} // closed by a digit while an interruptible play runs
	interrup bool
}

// digit queues a digit from the caller for CollectApp and interrupts an
// interruptible play.
func (m *appMedia) digit(d rune) {
	select {
	case m.digits <- d:
	default: // an application that never collects: newer digits are lost
	}
	m.mu.Lock()
	if m.onDigit != nil && m.interrup {
		close(m.onDigit)
		m.onDigit = nil
	}
	m.mu.Unlock()
}

// offerToApp rings the route point's application and drives the call until
// it is answered, falls back or ends. It runs on the caller's INVITE
// handler, like ring.
func (c *call) offerToApp(rp *routing.RoutePoint, hops int) {
	v := &leg{info: LegInfo{ID: uuid.NewString(), CallID: c.id, State: LegRinging, Dialed: rp.Extension,
		Caller: c.callerName, RoutePointID: rp.ID, Start: time.Now()}}
	answer := make(chan struct{}, 1)
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.appLeg, c.appAnswer, c.dialed = v, answer, rp.Extension
	c.forks = append(c.forks, v)
	c.ua.calls.addLeg(v.info.ID, c)
	c.setState(v, LegRinging)
	if !c.ringing {
		c.ringing = true
		c.respondA(180, "Ringing", nil)
	}
	c.mu.Unlock()
	timeout := rp.AnswerTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-answer:
		c.answerApp(v)
	case <-timer.C:
		c.leaveApp(v, EndNoAnswer)
		c.fallback(rp, hops)
	case r := <-c.retargets:
		c.leaveApp(v, r.why)
		if r.rp != nil {
			c.offerToApp(r.rp, hops+1)
			return
		}
		c.ring(r.targets, r.user)
	case <-c.callerGone():
		c.hangup(EndCanceled)
	case <-c.ctx.Done():
		c.fail(487, "Request Terminated", EndCommanded)
	}
}

// leaveApp ends the route point's ringing leg when the call goes elsewhere.
func (c *call) leaveApp(v *leg, why EndReason) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v.dropped = true
	if v.info.End == EndNone {
		v.info.End = why
	}
	c.removeFork(v)
	c.appLeg, c.appAnswer = nil, nil
	c.setState(v, LegEnded)
}

// fallback sends a call nobody answered at a route point to the route
// point's fallback extension: a user's phones, or another route point.
func (c *call) fallback(rp *routing.RoutePoint, hops int) {
	route := c.ua.table.Load().Resolve(rp.FallbackExtension)
	switch {
	case rp.FallbackExtension == "" || route.Kind == routing.Unknown:
		c.fail(480, "Temporarily Unavailable (no application answered)", EndNoAnswer)
	case route.Kind == routing.ToRoutePoint && hops < maxFallbackHops:
		c.offerToApp(route.RoutePoint, hops+1)
	case route.Kind == routing.ToUser:
		targets, code, reason := c.ua.targets(route, nil)
		if code != 0 {
			c.fail(code, reason, EndUnreachable)
			return
		}
		c.mu.Lock()
		c.dialed = rp.FallbackExtension
		c.mu.Unlock()
		c.ring(targets, route.User)
	default:
		c.fail(480, "Temporarily Unavailable (route point fallback loop)", EndNoAnswer)
	}
}

// AnswerApp answers a call ringing at a route point for its application.
func (u *UA) AnswerApp(legID string) error {
	c := u.calls.leg(legID)
	if c == nil {
		return ErrUnknownLeg
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.appLeg == nil || c.appLeg.info.ID != legID {
		return ErrNotRoutePoint
	}
	if c.appLeg.info.State != LegRinging || c.appAnswer == nil {
		return ErrNotRinging
	}
	select {
	case c.appAnswer <- struct{}{}:
	default:
	}
	return nil
}

// answerApp connects the caller to the switch for the application: 200 OK
// with the switch's SDP answer, and an endpoint on the caller's media.
func (c *call) answerApp(v *leg) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	a := c.a
	chosen, _ := c.offer.AudioCodec()
	body, _, err := sdpneg.Answer(&a.local, c.offer, agreed(chosen, c.offer), sdpneg.SendRecv)
	if err != nil {
		c.mu.Unlock()
		c.fail(488, "Not Acceptable Here (no codec in common)", EndFailed)
		return
	}
	a.info.Codec = chosen.Name
	a.rtp.SetRemote(udpAddr(c.offer.Addr, c.offer.Port))
	a.rtp.SetEventPayloadType(eventPT(c.offer))
	pt := payloadFor(chosen.Name)
	m := &appMedia{pt: pt, digits: make(chan rune, 64)}
	vid := v.info.ID
	ep, err := a.rtp.Listen(rtpsession.ListenCodec(chosen.PT, pt), rtpsession.ListenOnDTMF(func(d rune) {
		c.ua.cfg.observer.DTMF(vid, d)
		m.digit(d)
	}), rtpsession.ListenMediaTimeout(c.ua.cfg.mediaTimeout, func() { c.hangup(EndMediaTimeout) }))
	if err != nil {
		c.mu.Unlock()
		c.fail(500, "Server Internal Error (media)", EndFailed)
		return
	}
	m.ep = ep
	if c.player != nil { // music while a transferred party waited
		c.player.Stop()
		c.player = nil
	}
	c.app, c.b, c.forks, c.appAnswer = m, v, nil, nil
	c.setState(v, LegAnswered)
	c.setState(a, LegAnswered)
	server, respond := a.server, !c.aAnswered
	c.mu.Unlock()
	if server != nil && respond {
		if err := server.RespondSDP(body); err != nil {
			c.ua.log.Warn("sip: 200 OK to a route point's caller failed", "error", err)
			c.hangup(EndFailed)
		}
	}
}

// appOf returns the media of the answered route point call a leg belongs to.
func (u *UA) appOf(legID string) (*call, *appMedia, error) {
	c := u.calls.leg(legID)
	if c == nil {
		return nil, nil, ErrUnknownLeg
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.ended:
		return nil, nil, ErrUnknownLeg
	case c.appLeg == nil || c.appLeg.info.ID != legID:
		return nil, nil, ErrNotRoutePoint
	case c.app == nil:
		return nil, nil, ErrNotAnswered
	}
	return c, c.app, nil
}

// PlayApp plays samples (8 kHz) to the caller of an answered route point
// call and waits until they were played (true) or playing was interrupted
// (false): by a digit when interruptible, another PlayApp, or the end of
// the call.
func (u *UA) PlayApp(legID string, samples []int16, interruptible bool) (bool, error) {
	c, m, err := u.appOf(legID)
	if err != nil {
		return false, err
	}
	m.mu.Lock()
	if m.player != nil {
		m.player.Stop()
	}
	if interruptible && len(m.digits) > 0 {
		m.mu.Unlock()
		return false, nil // the caller already typed ahead
	}
	p, err := m.ep.Leg().Play(codec.NewClip(samples), m.pt)
	if err != nil {
		m.mu.Unlock()
		return false, err
	}
	m.player, m.interrup = p, interruptible
	digit := make(chan struct{})
	m.onDigit = digit
	m.mu.Unlock()
	select {
	case <-p.Done():
	case <-digit:
		p.Stop()
	case <-c.ctx.Done():
		p.Stop()
	}
	m.mu.Lock()
	if m.player == p {
		m.player, m.onDigit = nil, nil
	}
	m.mu.Unlock()
	return p.Completed(), nil
}

// Reasons CollectApp ends for.
const (
	CollectMaxDigits  = "max_digits"
	CollectTerminator = "terminator"
	CollectTimeout    = "timeout"
	CollectHangup     = "hangup"
)

// CollectApp collects digits from the caller of an answered route point
// call: up to max, until terminator (not included), or until no digit came
// for interDigit or overall passed.
func (u *UA) CollectApp(legID string, max int, terminator string, interDigit, overall time.Duration) (string, string, error) {
	c, m, err := u.appOf(legID)
	if err != nil {
		return "", "", err
	}
	var got strings.Builder
	all := time.NewTimer(overall)
	defer all.Stop()
	gap := time.NewTimer(interDigit)
	defer gap.Stop()
	for {
		select {
		case d := <-m.digits:
			if terminator != "" && string(d) == terminator {
				return got.String(), CollectTerminator, nil
			}
			got.WriteRune(d)
			if got.Len() >= max {
				return got.String(), CollectMaxDigits, nil
			}
			gap.Reset(interDigit)
		case <-gap.C:
			return got.String(), CollectTimeout, nil
		case <-all.C:
			return got.String(), CollectTimeout, nil
		case <-c.ctx.Done():
			return got.String(), CollectHangup, nil
		}
	}
}

// closeApp stops the media of an answered route point call. Callers hold
// c.mu.
func (c *call) closeApp() {
	m := c.app
	if m == nil {
		return
	}
	c.stopRecordingLocked()
	c.app = nil
	m.mu.Lock()
	if m.player != nil {
		m.player.Stop()
		m.player = nil
	}
	m.mu.Unlock()
	m.ep.Close()
}
