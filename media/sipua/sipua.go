// Package sipua is the switch's SIP side: a registrar with digest
// authentication and a back-to-back user agent (B2BUA) that routes calls
// from the routing table and anchors their media through rtpsession. It is
// built on github.com/emiago/sipgo and is the only package that maps SIP
// status codes (see status.go).
package sipua

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"

	"github.com/switchboard-pbx/switchboard/media/routing"
)

// Observer hears what happens on the UA. Calls are made synchronously from
// SIP handling goroutines: implementations must be quick and not block.
type Observer interface {
	RegistrationChanged(b Binding, removed bool)
	LegChanged(l LegInfo)
	DTMF(legID string, digit rune)
	// RecordingFinished tells that a recording of a call ended; failure is
	// empty or why it ended early.
	RecordingFinished(id, callID string, length time.Duration, failure string)
}

// UA is a registrar and B2BUA on one SIP address (UDP and TCP).
type UA struct {
	cfg      config
	log      *slog.Logger
	table    atomic.Pointer[routing.Table]
	digest   *digester
	bans     *banList
	bindings *bindings

	sua    *sipgo.UserAgent
	server *sipgo.Server
	udp    *sipgo.Client // sends from the listening UDP socket
	tcp    *sipgo.Client // reuses the phones' TCP connections

	addr     *net.UDPAddr // where we listen (UDP and TCP share the port)
	contact  sip.ContactHeader
	calls    *callRegistry
	orbits   *orbits
	recs     *recordings
	load     overload
	closeCtx context.Context
	closeFn  context.CancelFunc
	wg       sync.WaitGroup
	ready    chan struct{} // closed once listening
}

// New returns a UA. Call Listen (or ServeUDP and ServeTCP) to start it.
func New(opts ...Option) (*UA, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	u := &UA{cfg: cfg, log: cfg.log, digest: newDigester(cfg.nonceLifetime),
		bans:     newBanList(cfg.banFailures, cfg.banWindow, cfg.banFor, cfg.log),
		bindings: newBindings(), calls: newCallRegistry(), ready: make(chan struct{}),
		orbits: &orbits{m: make(map[string]*parked)}, recs: &recordings{m: make(map[string]*recording)}}
	u.digest.algorithms = cfg.digestAlgs
	u.table.Store(routing.Empty())
	u.closeCtx, u.closeFn = context.WithCancel(context.Background())
	sua, err := sipgo.NewUA(sipgo.WithUserAgent(cfg.userAgent))
	if err != nil {
		return nil, fmt.Errorf("sipua: %w", err)
	}
	u.sua = sua
	u.server, err = sipgo.NewServer(sua, sipgo.WithServerLogger(cfg.log))
	if err != nil {
		return nil, fmt.Errorf("sipua: %w", err)
	}
	u.server.OnRegister(u.handleRegister)
	u.server.OnOptions(u.handleOptions)
	u.server.OnInvite(u.handleInvite)
	u.server.OnAck(u.handleAck)
	u.server.OnBye(u.handleBye)
	u.server.OnCancel(u.handleCancel)
	u.server.OnInfo(u.handleInfo)
	u.server.OnRefer(u.handleRefer)
	u.server.OnNoRoute(u.handleNoRoute)
	return u, nil
}

// SetTable swaps in a new routing table. Calls in progress are not affected.
func (u *UA) SetTable(t *routing.Table) { u.table.Store(t) }

// Table returns the routing table in force.
func (u *UA) Table() *routing.Table { return u.table.Load() }

// Registrations returns every current binding.
func (u *UA) Registrations() []Binding { return u.bindings.list() }

// Ready is closed once Listen has bound its sockets.
func (u *UA) Ready() <-chan struct{} { return u.ready }

// Addr is the address the UA listens on (after Ready).
func (u *UA) Addr() *net.UDPAddr { return u.addr }

// Listen binds UDP and TCP on addr (port 0 picks a free port for both),
// with large socket buffers, and serves until ctx ends or Close is called.
func (u *UA) Listen(ctx context.Context, addr string) error {
	udp, tcp, err := listenPair(addr, u.cfg.socketBuffer)
	if err != nil {
		return err
	}
	if err := u.bind(udp.LocalAddr().(*net.UDPAddr)); err != nil {
		udp.Close()
		tcp.Close()
		return err
	}
	errc := make(chan error, 2)
	go func() { errc <- u.server.ServeUDP(timeReads(udp, &u.load)) }()
	go func() { errc <- u.server.ServeTCP(tcp) }()
	if !WaitListening(u.sua.TransportLayer(), "udp", udp.LocalAddr().String(), 5*time.Second) {
		u.log.Warn("sip: UDP listener not registered in time; replies may use another socket")
	}
	close(u.ready)
	u.wg.Add(1)
	go u.expireLoop()
	select {
	case <-ctx.Done():
	case <-u.closeCtx.Done():
	case err = <-errc:
	}
	u.Close()
	udp.Close()
	tcp.Close()
	return err
}

// bind sets the UA's own address: contact header and clients.
func (u *UA) bind(a *net.UDPAddr) error {
	host := u.cfg.advertise
	if host == "" {
		host = a.IP.String()
		if a.IP.IsUnspecified() {
			host = "127.0.0.1"
		}
	}
	u.addr = a
	u.contact = sip.ContactHeader{Address: sip.Uri{Scheme: "sip", User: "switchboard", Host: host, Port: a.Port}}
	var err error
	u.udp, err = sipgo.NewClient(u.sua, sipgo.WithClientHostname(host),
		sipgo.WithClientConnectionAddr(net.JoinHostPort(a.IP.String(), fmt.Sprint(a.Port))))
	if err != nil {
		return err
	}
	u.tcp, err = sipgo.NewClient(u.sua, sipgo.WithClientHostname(host))
	return err
}

// Close hangs up every call and stops the UA.
func (u *UA) Close() {
	u.closeFn()
	u.calls.each(func(c *call) { c.hangup(endCommanded) })
	u.wg.Wait()
	_ = u.sua.Close()
}

// expireLoop removes expired bindings every second.
func (u *UA) expireLoop() {
	defer u.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-u.closeCtx.Done():
			return
		case now := <-t.C:
			for _, b := range u.bindings.expire(now) {
				u.log.Debug("sip: registration expired", "user", b.Username, "contact", b.Contact)
				u.cfg.observer.RegistrationChanged(b, true)
			}
		}
	}
}

// listenPair binds UDP and TCP on the same port.
func listenPair(addr string, buf int) (*net.UDPConn, net.Listener, error) {
	for range 20 {
		ua, err := net.ResolveUDPAddr("udp", addr)
		if err != nil {
			return nil, nil, err
		}
		udp, err := net.ListenUDP("udp", ua)
		if err != nil {
			return nil, nil, fmt.Errorf("sipua: listen udp %s: %w", addr, err)
		}
		_ = udp.SetReadBuffer(buf)
		_ = udp.SetWriteBuffer(buf)
		local := udp.LocalAddr().(*net.UDPAddr)
		tcp, err := net.Listen("tcp", net.JoinHostPort(local.IP.String(), fmt.Sprint(local.Port)))
		if err == nil {
			return udp, tcp, nil
		}
		udp.Close()
		if ua.Port != 0 {
			return nil, nil, fmt.Errorf("sipua: listen tcp %s: %w", addr, err)
		}
	}
	return nil, nil, errors.New("sipua: no port free for both UDP and TCP")
}

// WaitListening waits (up to timeout) until sipgo's transport layer has
// registered the listening socket at addr, so that requests sent with that
// local address reuse it. sipgo registers it inside the Serve goroutine.
func WaitListening(tl *sip.TransportLayer, network, addr string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for tl.Pool(network).Get(addr) == nil {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}
