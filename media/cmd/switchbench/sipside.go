package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/sdpneg"
	"github.com/switchboard-pbx/switchboard/media/sipua"
	"github.com/switchboard-pbx/switchboard/media/switchtest"
)

// sipEnd is one SIP user agent of the generator on its own loopback UDP
// socket: the callers share one, the callee has another.
type sipEnd struct {
	ua      *sipgo.UserAgent
	srv     *sipgo.Server
	client  *sipgo.Client
	dialogs *sipgo.DialogUA
	addr    *net.UDPAddr
	server  string // the switch, host:port
	rtp     *side

	mu      sync.Mutex
	byID    map[string]*benchCall // by sipgo dialog id
	dropped atomic.Int64          // calls the switch ended (BYE from it)
}

// benchCall is one call as one end sees it.
type benchCall struct {
	client *sipgo.DialogClientSession // caller end
	server *sipgo.DialogServerSession // callee end
	st     *stream
}

// newSIPEnd starts a user agent that sends and receives on one socket
// with large buffers (sipgo would otherwise open a default-sized one).
func newSIPEnd(name, server string, rtp *side, buf int) (*sipEnd, error) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	_ = conn.SetReadBuffer(buf)
	_ = conn.SetWriteBuffer(buf)
	e := &sipEnd{addr: conn.LocalAddr().(*net.UDPAddr), server: server, rtp: rtp, byID: make(map[string]*benchCall)}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if e.ua, err = sipgo.NewUA(sipgo.WithUserAgent("switchbench-" + name)); err != nil {
		conn.Close()
		return nil, err
	}
	if e.srv, err = sipgo.NewServer(e.ua, sipgo.WithServerLogger(quiet)); err != nil {
		return nil, err
	}
	if e.client, err = sipgo.NewClient(e.ua, sipgo.WithClientHostname("127.0.0.1"),
		sipgo.WithClientConnectionAddr(e.addr.String())); err != nil {
		return nil, err
	}
	contact := sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: name, Host: "127.0.0.1", Port: e.addr.Port}}
	e.dialogs = &sipgo.DialogUA{Client: e.client, ContactHDR: contact}
	e.srv.OnInvite(e.onInvite)
	e.srv.OnAck(e.onAck)
	e.srv.OnBye(e.onBye)
	e.srv.OnOptions(func(req *sip.Request, tx sip.ServerTransaction) { reply(tx, req, 200, "OK") })
	go func() { _ = e.srv.ServeUDP(conn) }()
	if !sipua.WaitListening(e.ua.TransportLayer(), "udp", e.addr.String(), 5*time.Second) {
		e.close()
		return nil, errors.New("SIP socket not ready")
	}
	return e, nil
}

func (e *sipEnd) close() { _ = e.ua.Close() }

func (e *sipEnd) serverURI(user string) sip.Uri {
	host, port, _ := net.SplitHostPort(e.server)
	p, _ := strconv.Atoi(port)
	return sip.Uri{Scheme: "sip", User: user, Host: host, Port: p}
}

// register registers user's contact (this end's socket) with the switch.
func (e *sipEnd) register(ctx context.Context, user string, expires int) error {
	uri := e.serverURI("")
	req := sip.NewRequest(sip.REGISTER, uri)
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: user, Host: uri.Host}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(10))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: user, Host: uri.Host}, Params: sip.NewParams()})
	req.AppendHeader(sip.NewHeader("Expires", strconv.Itoa(expires)))
	req.AppendHeader(&sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: user, Host: "127.0.0.1", Port: e.addr.Port}})
	req.SetDestination(e.server)
	res, err := e.client.Do(ctx, req)
	if err == nil && (res.StatusCode == 401 || res.StatusCode == 407) {
		res, err = e.client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: user, Password: switchtest.Password})
	}
	if err != nil {
		return err
	}
	if res.StatusCode != 200 {
		return fmt.Errorf("REGISTER %s: %d %s", user, res.StatusCode, res.Reason)
	}
	return nil
}

// dial places a call as user to ext, answering the switch's 407, and
// starts its caller-to-callee stream.
func (e *sipEnd) dial(ctx context.Context, user, ext string) error {
	st, local, err := e.rtp.newStream()
	if err != nil {
		return err
	}
	offer := sdpneg.Offer(sdpneg.NewLocal(net.IP(local.Addr().AsSlice()), int(local.Port())),
		[]sdpneg.Codec{sdpneg.PCMU}, sdpneg.SendRecv)
	req := sip.NewRequest(sip.INVITE, e.serverURI(ext))
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: user, Host: req.Recipient.Host}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(10))
	req.AppendHeader(from)
	req.AppendHeader(&sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: ext, Host: req.Recipient.Host}, Params: sip.NewParams()})
	req.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
	req.SetBody(offer)
	req.SetDestination(e.server)
	sess, err := e.dialogs.WriteInvite(ctx, req)
	if err != nil {
		return err
	}
	if err := sess.WaitAnswer(ctx, sipgo.AnswerOptions{Username: user, Password: switchtest.Password}); err != nil {
		var derr *sipgo.ErrDialogResponse
		if errors.As(err, &derr) {
			if derr.Res.StatusCode == 503 {
				return retryAfter(derr.Res)
			}
			return fmt.Errorf("INVITE %s: %d %s", ext, derr.Res.StatusCode, derr.Res.Reason)
		}
		return err
	}
	remote, err := sdpAddr(sess.InviteResponse.Body())
	if err != nil {
		_ = sess.Ack(ctx)
		_ = sess.Bye(ctx)
		return err
	}
	if err := sess.Ack(ctx); err != nil {
		return err
	}
	e.track(sess.ID, &benchCall{client: sess, st: st})
	e.rtp.start(st, remote)
	return nil
}

// onInvite answers a call from the switch at once with SDP and starts its
// callee-to-caller stream.
func (e *sipEnd) onInvite(req *sip.Request, tx sip.ServerTransaction) {
	remote, err := sdpAddr(req.Body())
	if err != nil {
		reply(tx, req, 488, "Not Acceptable Here")
		return
	}
	st, local, err := e.rtp.newStream()
	if err != nil {
		reply(tx, req, 503, "Service Unavailable")
		return
	}
	offer, _ := sdpneg.Parse(req.Body())
	body, _, err := sdpneg.Answer(sdpneg.NewLocal(net.IP(local.Addr().AsSlice()), int(local.Port())),
		offer, []sdpneg.Codec{sdpneg.PCMU}, sdpneg.SendRecv)
	if err != nil {
		reply(tx, req, 488, "Not Acceptable Here")
		return
	}
	sess, err := e.dialogs.ReadInvite(req, tx)
	if err != nil {
		return
	}
	e.track(sess.ID, &benchCall{server: sess, st: st})
	if err := sess.RespondSDP(body); err != nil {
		return
	}
	e.rtp.start(st, remote)
}

func (e *sipEnd) onAck(req *sip.Request, tx sip.ServerTransaction) {
	if c := e.find(req); c != nil && c.server != nil {
		_ = c.server.ReadAck(req, tx)
	}
}

// onBye ends a call the switch hung up: its stream stops.
func (e *sipEnd) onBye(req *sip.Request, tx sip.ServerTransaction) {
	c := e.find(req)
	if c == nil {
		reply(tx, req, 481, "Call/Transaction Does Not Exist")
		return
	}
	var err error
	if c.server != nil {
		err = c.server.ReadBye(req, tx)
	} else {
		err = c.client.ReadBye(req, tx)
	}
	if err != nil {
		reply(tx, req, 200, "OK")
	}
	if c.st.alive.Swap(false) {
		e.dropped.Add(1)
	}
	e.untrack(c)
}

// hangupAll sends BYE on every call this end placed, at most rate per
// second, and gives up at the deadline of ctx.
func (e *sipEnd) hangupAll(ctx context.Context, rate int) (sent, failed int) {
	e.mu.Lock()
	calls := make([]*benchCall, 0, len(e.byID))
	for _, c := range e.byID {
		if c.client != nil {
			calls = append(calls, c)
		}
	}
	e.mu.Unlock()
	tick := time.NewTicker(time.Second / time.Duration(max(rate, 1)))
	defer tick.Stop()
	var wg sync.WaitGroup
	var bad atomic.Int64
	for _, c := range calls {
		select {
		case <-ctx.Done():
			wg.Wait()
			return sent, int(bad.Load()) + len(calls) - sent
		case <-tick.C:
		}
		c.st.alive.Store(false)
		sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			bctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if c.client.Bye(bctx) != nil {
				bad.Add(1)
			}
			e.untrack(c)
		}()
	}
	wg.Wait()
	return sent, int(bad.Load())
}

func (e *sipEnd) track(id string, c *benchCall) {
	e.mu.Lock()
	e.byID[id] = c
	e.mu.Unlock()
}

func (e *sipEnd) untrack(c *benchCall) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for id, v := range e.byID {
		if v == c {
			delete(e.byID, id)
			return
		}
	}
}

func (e *sipEnd) find(req *sip.Request) *benchCall {
	e.mu.Lock()
	defer e.mu.Unlock()
	if id, err := sip.DialogIDFromRequestUAS(req); err == nil {
		if c, ok := e.byID[id]; ok {
			return c
		}
	}
	if id, err := sip.DialogIDFromRequestUAC(req); err == nil {
		return e.byID[id]
	}
	return nil
}

// sdpAddr returns the RTP address of an SDP body.
func sdpAddr(body []byte) (netip.AddrPort, error) {
	m, err := sdpneg.Parse(body)
	if err != nil {
		return netip.AddrPort{}, err
	}
	ip, ok := netip.AddrFromSlice(m.Addr)
	if !ok || m.Port <= 0 {
		return netip.AddrPort{}, fmt.Errorf("SDP without an RTP address: %q", body)
	}
	return netip.AddrPortFrom(ip.Unmap(), uint16(m.Port)), nil
}

func reply(tx sip.ServerTransaction, req *sip.Request, code int, reason string) {
	_ = tx.Respond(sip.NewResponseFromRequest(req, code, reason, nil))
}

// refusedError is a 503 answer: the switch asks to try again after a while.
type refusedError struct {
	reason string
	after  time.Duration
}

func (e *refusedError) Error() string {
	return fmt.Sprintf("INVITE refused: 503 %s (retry after %v)", e.reason, e.after)
}

// retryAfter is the refusedError of a 503 response (Retry-After, 1 s when
// it has none).
func retryAfter(res *sip.Response) error {
	after := time.Second
	if h := res.GetHeader("Retry-After"); h != nil {
		if secs, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(h.Value(), ";", 2)[0])); err == nil && secs >= 0 {
			after = time.Duration(secs) * time.Second
		}
	}
	return &refusedError{reason: res.Reason, after: after}
}
