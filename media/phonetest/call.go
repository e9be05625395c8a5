package phonetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/sdpneg"
)

// Call is one call on a phone.
type Call struct {
	phone  *Phone
	client *sipgo.DialogClientSession // calls this phone placed
	server *sipgo.DialogServerSession // calls this phone received
	media  *media
	local  *sdpneg.Local

	mu       sync.Mutex
	ended    chan struct{}
	closed   bool
	held     bool     // the other side put us on hold
	notified []string // NOTIFY bodies received (REFER progress)
	// From is the calling party as the phone sees it (From header).
	From string
}

// StatusError is a call that failed with a SIP status.
type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprintf("call failed with SIP %d", e.Code) }

// Dial calls number through the switch and waits for the answer,
// answering the switch's digest challenge. A failed call returns a
// *StatusError with the final status.
func (p *Phone) Dial(ctx context.Context, number string) (*Call, error) {
	m, err := newMedia()
	if err != nil {
		return nil, err
	}
	c := &Call{phone: p, media: m, ended: make(chan struct{}), local: sdpneg.NewLocal(net.IPv4(127, 0, 0, 1), m.port())}
	req := p.newRequest(sip.INVITE, sip.Uri{Scheme: "sip", User: number, Host: host(p.cfg.Server), Port: port(p.cfg.Server)})
	req.AppendHeader(&sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: number, Host: host(p.cfg.Server)}, Params: sip.NewParams()})
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(sdpneg.Offer(c.local, sdpneg.DefaultCodecs(), sdpneg.SendRecv))
	sess, err := p.dialogs.WriteInvite(ctx, req)
	if err != nil {
		m.close()
		return nil, err
	}
	c.client = sess
	early := false
	err = sess.WaitAnswer(ctx, sipgo.AnswerOptions{Username: p.cfg.Username, Password: p.cfg.Password,
		OnResponse: func(res *sip.Response) error {
			if res.StatusCode == 183 && len(res.Body()) > 0 && !early && c.setRemote(res.Body()) == nil {
				early = true
				m.start()
				select {
				case p.Early <- c:
				default:
				}
			}
			return nil
		}})
	var derr *sipgo.ErrDialogResponse
	if errors.As(err, &derr) {
		m.close()
		return nil, &StatusError{Code: derr.Res.StatusCode}
	}
	if err != nil {
		m.close()
		if res := sess.InviteResponse; res != nil && res.IsSuccess() {
			// Our CANCEL crossed the 200 OK: take the call and end it,
			// as a phone must (RFC 3261 §9.1, §15).
			bctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if sess.Ack(bctx) == nil {
				_ = sess.Bye(bctx)
			}
		}
		return nil, err
	}
	if err := c.setRemote(sess.InviteResponse.Body()); err != nil {
		m.close()
		return nil, err
	}
	if err := sess.Ack(ctx); err != nil {
		return nil, err
	}
	p.track(sess.ID, c)
	m.start()
	return c, nil
}

// setRemote points the call's RTP at the address in an SDP body.
func (c *Call) setRemote(body []byte) error {
	sd, err := sdpneg.Parse(body)
	if err != nil {
		return fmt.Errorf("remote SDP: %w", err)
	}
	c.media.setRemote(&net.UDPAddr{IP: sd.Addr, Port: sd.Port}, sd.EventPT)
	c.mu.Lock()
	c.held = sd.Direction != sdpneg.SendRecv
	c.mu.Unlock()
	return nil
}

// onInvite handles a new call or a re-INVITE from the switch.
func (p *Phone) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	if c := p.find(req); c != nil {
		c.onReinvite(req, tx)
		return
	}
	switch p.cfg.Mode {
	case Busy:
		respond(tx, req, 486, "Busy Here")
		return
	case Decline:
		respond(tx, req, 603, "Decline")
		return
	}
	m, err := newMedia()
	if err != nil {
		respond(tx, req, 500, "Server Internal Error")
		return
	}
	sess, err := p.dialogs.ReadInvite(req, tx)
	if err != nil {
		m.close()
		return
	}
	c := &Call{phone: p, server: sess, media: m, ended: make(chan struct{}),
		local: sdpneg.NewLocal(net.IPv4(127, 0, 0, 1), m.port())}
	if f := req.From(); f != nil {
		c.From = f.Address.User
	}
	p.track(sess.ID, c)
	_ = sess.Respond(180, "Ringing", nil)
	select {
	case p.Incoming <- c:
	default:
	}
	// sipgo ends the transaction when this handler returns: stay until the
	// call is answered or cancelled.
	if p.cfg.Mode == EarlyMedia {
		if err := c.earlyMedia(req); err != nil {
			respond(tx, req, 488, "Not Acceptable Here")
			return
		}
	}
	if p.cfg.Mode == AutoAnswer || p.cfg.Mode == EarlyMedia {
		c.answerAfter(req, p.cfg.AnswerDelay)
		return
	}
	<-sess.Context().Done() // cancelled (this phone never answers)
	c.end()
}

// answerAfter answers the ringing call after a delay.
func (c *Call) answerAfter(req *sip.Request, d time.Duration) {
	if d > 0 {
		select {
		case <-time.After(d):
		case <-c.server.Context().Done():
			c.end()
			return
		}
	}
	if err := c.Answer(req); err != nil {
		c.end() // cancelled just before the answer went out
	}
}

// earlyMedia sends 183 Session Progress with an SDP answer and starts
// media before the call is answered.
func (c *Call) earlyMedia(req *sip.Request) error {
	offer, err := sdpneg.Parse(req.Body())
	if err != nil {
		return err
	}
	body, _, err := sdpneg.Answer(c.local, offer, sdpneg.DefaultCodecs(), sdpneg.SendRecv)
	if err != nil {
		return err
	}
	c.media.setRemote(&net.UDPAddr{IP: offer.Addr, Port: offer.Port}, offer.EventPT)
	c.media.start()
	return c.server.Respond(183, "Session Progress", body, sip.NewHeader("Content-Type", "application/sdp"))
}

// Answer answers a ringing incoming call with an SDP answer to the offer.
func (c *Call) Answer(req *sip.Request) error {
	offer, err := sdpneg.Parse(req.Body())
	if err != nil {
		return err
	}
	body, _, err := sdpneg.Answer(c.local, offer, sdpneg.DefaultCodecs(), sdpneg.SendRecv)
	if err != nil {
		return err
	}
	c.media.setRemote(&net.UDPAddr{IP: offer.Addr, Port: offer.Port}, offer.EventPT)
	c.media.start()
	return c.server.RespondSDP(body)
}

// onReinvite answers a hold, resume or address change.
func (c *Call) onReinvite(req *sip.Request, tx sip.ServerTransaction) {
	offer, err := sdpneg.Parse(req.Body())
	if err != nil {
		respond(tx, req, 488, "Not Acceptable Here")
		return
	}
	c.local.NextVersion()
	body, _, err := sdpneg.Answer(c.local, offer, sdpneg.DefaultCodecs(), sdpneg.SendRecv)
	if err != nil {
		respond(tx, req, 488, "Not Acceptable Here")
		return
	}
	c.media.setRemote(&net.UDPAddr{IP: offer.Addr, Port: offer.Port}, offer.EventPT)
	c.mu.Lock()
	c.held = offer.Direction != sdpneg.SendRecv
	c.mu.Unlock()
	res := sip.NewSDPResponseFromRequest(req, body)
	res.AppendHeader(sip.HeaderClone(&c.phone.contact))
	_ = tx.Respond(res)
}

func (p *Phone) onAck(req *sip.Request, tx sip.ServerTransaction) {
	if c := p.find(req); c != nil && c.server != nil {
		_ = c.server.ReadAck(req, tx)
	}
}

func (p *Phone) onBye(req *sip.Request, tx sip.ServerTransaction) {
	c := p.find(req)
	if c == nil {
		respond(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	var err error
	if c.server != nil {
		err = c.server.ReadBye(req, tx)
	} else {
		err = c.client.ReadBye(req, tx)
	}
	if err != nil {
		respond(tx, req, 200, "OK")
	}
	c.end()
}

// Ended is closed when the call is over (BYE either way, or cancelled).
func (c *Call) Ended() <-chan struct{} { return c.ended }

// Held reports whether the other side has put this call on hold.
func (c *Call) Held() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held
}

func (c *Call) end() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.ended)
	}
	c.mu.Unlock()
	c.closeMedia()
}

func (c *Call) closeMedia() { c.media.close() }

// Hangup sends BYE.
func (c *Call) Hangup(ctx context.Context) error {
	defer c.end()
	if c.client != nil {
		return c.client.Bye(ctx)
	}
	return c.server.Bye(ctx)
}

// Hold sends a re-INVITE with a=sendonly; Resume one with a=sendrecv.
func (c *Call) Hold(ctx context.Context) error { return c.reinvite(ctx, sdpneg.SendOnly) }

// Resume takes the call off hold.
func (c *Call) Resume(ctx context.Context) error { return c.reinvite(ctx, sdpneg.SendRecv) }

func (c *Call) reinvite(ctx context.Context, dir sdpneg.Direction) error {
	c.local.NextVersion()
	req := sip.NewRequest(sip.INVITE, c.remoteTarget())
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(sdpneg.Offer(c.local, sdpneg.DefaultCodecs(), dir))
	res, err := c.do(ctx, req)
	if err != nil {
		return err
	}
	if !res.IsSuccess() {
		return &StatusError{Code: res.StatusCode}
	}
	ack := sip.NewRequest(sip.ACK, c.remoteTarget())
	if c.client != nil {
		err = c.client.WriteRequest(ack)
	} else {
		err = c.server.WriteRequest(ack)
	}
	if err != nil {
		return err
	}
	sd, err := sdpneg.Parse(res.Body())
	if err != nil {
		return err
	}
	c.media.setRemote(&net.UDPAddr{IP: sd.Addr, Port: sd.Port}, sd.EventPT)
	return nil
}

// SendInfoDTMF sends a digit as SIP INFO (application/dtmf-relay).
func (c *Call) SendInfoDTMF(ctx context.Context, digit rune) error {
	req := sip.NewRequest(sip.INFO, c.remoteTarget())
	req.AppendHeader(sip.NewHeader("Content-Type", "application/dtmf-relay"))
	req.SetBody([]byte(fmt.Sprintf("Signal=%c\r\nDuration=160\r\n", digit)))
	res, err := c.do(ctx, req)
	if err != nil {
		return err
	}
	if res.StatusCode != 200 {
		return &StatusError{Code: res.StatusCode}
	}
	return nil
}

func (c *Call) do(ctx context.Context, req *sip.Request) (*sip.Response, error) {
	if c.client != nil {
		return c.client.Do(ctx, req)
	}
	return c.server.Do(ctx, req)
}

func (c *Call) remoteTarget() sip.Uri {
	if c.client != nil {
		if ct := c.client.InviteResponse.Contact(); ct != nil {
			return ct.Address
		}
		return c.client.InviteRequest.Recipient
	}
	return c.server.InviteRequest.Contact().Address
}

// DialRaw sends an INVITE with the given body (which need not be valid
// SDP) and returns the final status. A 2xx is acknowledged and hung up.
func (p *Phone) DialRaw(ctx context.Context, number string, body []byte) (int, error) {
	return p.dialRaw(ctx, number, body, true)
}

// DialNoAck places a call (with a valid offer for a port nobody reads) and
// never acknowledges the answer: a caller whose ACKs are all lost. It
// returns the final status.
func (p *Phone) DialNoAck(ctx context.Context, number string) (int, error) {
	return p.dialRaw(ctx, number, sdpneg.Offer(sdpneg.NewLocal(net.IPv4(127, 0, 0, 1), 9), sdpneg.DefaultCodecs(), sdpneg.SendRecv), false)
}

func (p *Phone) dialRaw(ctx context.Context, number string, body []byte, ack bool) (int, error) {
	req := p.newRequest(sip.INVITE, sip.Uri{Scheme: "sip", User: number, Host: host(p.cfg.Server), Port: port(p.cfg.Server)})
	req.AppendHeader(&sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: number, Host: host(p.cfg.Server)}, Params: sip.NewParams()})
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(body)
	sess, err := p.dialogs.WriteInvite(ctx, req)
	if err != nil {
		return 0, err
	}
	err = sess.WaitAnswer(ctx, sipgo.AnswerOptions{Username: p.cfg.Username, Password: p.cfg.Password})
	var derr *sipgo.ErrDialogResponse
	if errors.As(err, &derr) {
		return derr.Res.StatusCode, nil
	}
	if err != nil {
		return 0, err
	}
	if ack {
		_ = sess.Ack(ctx)
		_ = sess.Bye(ctx)
	}
	return sess.InviteResponse.StatusCode, nil
}

// Refer asks the switch to transfer the other party to number (a blind
// transfer from the phone's transfer button, RFC 3515) and returns the
// final status of the REFER (202 when accepted).
func (c *Call) Refer(ctx context.Context, number string) (int, error) {
	req := sip.NewRequest(sip.REFER, c.remoteTarget())
	req.AppendHeader(&sip.ReferToHeader{Address: sip.Uri{Scheme: "sip", User: number, Host: host(c.phone.cfg.Server)}})
	res, err := c.do(ctx, req)
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// ReferReplaces asks the switch to connect the other party of this call
// with the other party of second, another call of this phone (an attended
// transfer, RFC 3515 with Replaces, RFC 3891), and returns the REFER's
// final status (202 when accepted).
func (c *Call) ReferReplaces(ctx context.Context, second *Call) (int, error) {
	var callID, local, remote string
	switch {
	case second.client != nil:
		callID = second.client.InviteRequest.CallID().Value()
		local, _ = second.client.InviteRequest.From().Params.Get("tag")
		remote, _ = second.client.InviteResponse.To().Params.Get("tag")
	case second.server != nil:
		callID = second.server.InviteRequest.CallID().Value()
		remote, _ = second.server.InviteRequest.From().Params.Get("tag")
		local, _ = second.server.InviteResponse.To().Params.Get("tag")
	}
	replaces := url.PathEscape(callID + ";to-tag=" + remote + ";from-tag=" + local)
	replaces = strings.NewReplacer(";", "%3B", "=", "%3D", "@", "%40").Replace(replaces)
	uri := sip.Uri{Scheme: "sip", User: "transfer", Host: host(c.phone.cfg.Server), Headers: sip.NewParams()}
	uri.Headers.Add("Replaces", replaces)
	req := sip.NewRequest(sip.REFER, c.remoteTarget())
	req.AppendHeader(&sip.ReferToHeader{Address: uri})
	res, err := c.do(ctx, req)
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}

// Notified returns the NOTIFY bodies the call received (REFER progress).
func (c *Call) Notified() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.notified...)
}
