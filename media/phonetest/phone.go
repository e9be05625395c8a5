// Package phonetest is a scripted SIP phone for tests and benchmarks: it
// registers with digest authentication, places and answers calls, sends a
// tone as G.711 RTP and detects tones and RFC 4733 digits in what it
// receives, and can hold, resume and hang up. It is a real SIP user agent
// (sipgo) on real loopback sockets, so a test that uses it proves the
// switch works with a peer it does not control.
package phonetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/sipua"
)

// Mode is how a phone treats incoming calls.
type Mode int

// Modes.
const (
	AutoAnswer  Mode = iota // ring, then answer after AnswerDelay
	Busy                    // answer 486 Busy Here
	Decline                 // answer 603 Decline
	RingForever             // ring and never answer
	EarlyMedia              // 183 with SDP (media flows), then answer after AnswerDelay
)

// Config describes a phone.
type Config struct {
	Username    string
	Password    string
	Server      string // the switch's SIP address, host:port
	Mode        Mode
	AnswerDelay time.Duration
	TCP         bool // talk to the switch over TCP (one connection, reused both ways)
	Log         *slog.Logger
}

// Phone is one SIP phone on a loopback port.
type Phone struct {
	cfg      Config
	ua       *sipgo.UserAgent
	srv      *sipgo.Server
	client   *sipgo.Client
	addr     *net.UDPAddr
	contact  sip.ContactHeader
	dialogs  *sipgo.DialogUA
	Incoming chan *Call // calls that rang this phone
	Early    chan *Call // calls this phone placed that got early media (183 with SDP)

	mu    sync.Mutex
	calls map[string]*Call // by sipgo dialog id
}

// New starts a phone; it stops when the test ends.
func New(t testing.TB, cfg Config) *Phone {
	t.Helper()
	p, err := Start(cfg)
	if err != nil {
		t.Fatalf("phone %s: %v", cfg.Username, err)
	}
	t.Cleanup(p.Close)
	return p
}

// Start starts a phone without a test (benchmarks, tools). Close it.
func Start(cfg Config) (*Phone, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	p := &Phone{cfg: cfg, addr: conn.LocalAddr().(*net.UDPAddr), Incoming: make(chan *Call, 16), Early: make(chan *Call, 16),
		calls: make(map[string]*Call)}
	if p.ua, err = sipgo.NewUA(sipgo.WithUserAgent("phonetest/" + cfg.Username)); err != nil {
		return nil, err
	}
	if p.srv, err = sipgo.NewServer(p.ua, sipgo.WithServerLogger(cfg.Log)); err != nil {
		return nil, err
	}
	clientOpts := []sipgo.ClientOption{sipgo.WithClientHostname("127.0.0.1")}
	if !cfg.TCP {
		clientOpts = append(clientOpts, sipgo.WithClientConnectionAddr(p.addr.String()))
	}
	if p.client, err = sipgo.NewClient(p.ua, clientOpts...); err != nil {
		return nil, err
	}
	p.contact = sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: cfg.Username, Host: "127.0.0.1", Port: p.addr.Port}}
	if cfg.TCP {
		p.contact.Address.UriParams = sip.NewParams()
		p.contact.Address.UriParams.Add("transport", "tcp")
	}
	p.dialogs = &sipgo.DialogUA{Client: p.client, ContactHDR: p.contact}
	p.srv.OnInvite(p.onInvite)
	p.srv.OnAck(p.onAck)
	p.srv.OnBye(p.onBye)
	p.srv.OnInfo(func(req *sip.Request, tx sip.ServerTransaction) { respond(tx, req, 200, "OK") })
	p.srv.OnNotify(func(req *sip.Request, tx sip.ServerTransaction) {
		if c := p.find(req); c != nil && len(req.Body()) > 0 {
			c.mu.Lock()
			c.notified = append(c.notified, string(req.Body()))
			c.mu.Unlock()
		}
		respond(tx, req, 200, "OK")
	})
	p.srv.OnOptions(func(req *sip.Request, tx sip.ServerTransaction) { respond(tx, req, 200, "OK") })
	go func() { _ = p.srv.ServeUDP(conn) }()
	if !sipua.WaitListening(p.ua.TransportLayer(), "udp", p.addr.String(), 5*time.Second) {
		p.Close()
		return nil, fmt.Errorf("phone %s: SIP socket not ready", cfg.Username)
	}
	return p, nil
}

// Close hangs up and stops the phone.
func (p *Phone) Close() {
	p.mu.Lock()
	calls := make([]*Call, 0, len(p.calls))
	for _, c := range p.calls {
		calls = append(calls, c)
	}
	p.mu.Unlock()
	for _, c := range calls {
		c.closeMedia()
	}
	_ = p.ua.Close()
}

// Addr is the phone's SIP address.
func (p *Phone) Addr() *net.UDPAddr { return p.addr }

// Register registers the phone's contact for expires seconds (0
// un-registers), answering the digest challenge. It returns the final
// response.
func (p *Phone) Register(ctx context.Context, expires int) (*sip.Response, error) {
	req := p.newRequest(sip.REGISTER, sip.Uri{Scheme: "sip", Host: host(p.cfg.Server), Port: port(p.cfg.Server)})
	to := &sip.ToHeader{Address: sip.Uri{Scheme: "sip", User: p.cfg.Username, Host: host(p.cfg.Server)}, Params: sip.NewParams()}
	req.AppendHeader(to)
	req.AppendHeader(sip.NewHeader("Expires", fmt.Sprint(expires)))
	req.AppendHeader(sip.HeaderClone(&p.contact))
	res, err := p.client.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode == 401 || res.StatusCode == 407 {
		return p.client.DoDigestAuth(ctx, req, res, sipgo.DigestAuth{Username: p.cfg.Username, Password: p.cfg.Password})
	}
	return res, nil
}

// newRequest builds an out-of-dialog request from this phone.
func (p *Phone) newRequest(m sip.RequestMethod, target sip.Uri) *sip.Request {
	req := sip.NewRequest(m, target)
	from := &sip.FromHeader{Address: sip.Uri{Scheme: "sip", User: p.cfg.Username, Host: host(p.cfg.Server)}, Params: sip.NewParams()}
	from.Params.Add("tag", sip.GenerateTagN(10))
	req.AppendHeader(from)
	if p.cfg.TCP {
		req.SetTransport("TCP")
	}
	req.SetDestination(p.cfg.Server)
	return req
}

func (p *Phone) track(id string, c *Call) {
	p.mu.Lock()
	p.calls[id] = c
	p.mu.Unlock()
}

func (p *Phone) find(req *sip.Request) *Call {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id, err := sip.DialogIDFromRequestUAS(req); err == nil {
		if c, ok := p.calls[id]; ok {
			return c
		}
	}
	if id, err := sip.DialogIDFromRequestUAC(req); err == nil {
		return p.calls[id]
	}
	return nil
}

func respond(tx sip.ServerTransaction, req *sip.Request, code int, reason string) {
	_ = tx.Respond(sip.NewResponseFromRequest(req, code, reason, nil))
}

func host(hostport string) string {
	h, _, _ := net.SplitHostPort(hostport)
	return h
}

func port(hostport string) int {
	_, p, _ := net.SplitHostPort(hostport)
	var n int
	fmt.Sscan(p, &n)
	return n
}
