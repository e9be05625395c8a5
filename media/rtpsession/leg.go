package rtpsession

import (
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
)

// Leg is one call leg's side of the media anchor: its local sockets, the
// remote address from its SDP, and the addresses latched from the packets
// it actually receives. A leg belongs to at most one running Relay, or one
// Endpoint (Listen), at a time; once that is closed the leg can join
// another (a transfer) and its latches, settings and output stream are
// kept. All methods are safe for concurrent use.
type Leg struct {
	ports   *Ports
	rtp     path
	rtcp    path
	eventPT atomic.Uint32
	owner   atomic.Pointer[Relay] // the running relay, or listening
	tx      output
}

// output is the RTP stream the relay sends to a leg. It belongs to the leg
// rather than the relay, so the phone keeps seeing one stream (one SSRC,
// continuous sequence numbers and timestamps) when its leg is bridged to
// another leg, as in a transfer.
type output struct {
	mu        sync.Mutex // guards st, injecting and gen
	st        stream
	injecting bool
	gen       generatedAudio // see send.go
	injectMu  sync.Mutex     // one InjectDTMF at a time
}

func (o *output) setRate(hz uint32) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.st.rate = hz
	if !o.st.live {
		o.st.frame = hz / 50
	}
}

// NewLeg returns a leg using ports, with no remote address yet and DTMF
// detection off. The stream sent to the leg gets a random SSRC.
func NewLeg(ports *Ports) *Leg {
	l := &Leg{ports: ports}
	l.eventPT.Store(uint32(PayloadNone))
	l.tx.st = newStream(8000)
	return l
}

// SSRC returns the SSRC of the RTP stream sent to this leg. It stays the
// same for the leg's life, across relays.
func (l *Leg) SSRC() uint32 { return l.tx.st.ssrc }

// Ports returns the leg's local sockets.
func (l *Leg) Ports() *Ports { return l.ports }

// SetRemote sets the remote RTP address from the leg's SDP (connection
// address and media port) and expects RTCP on the next port. It forgets
// both latches, so the next packets that arrive, from wherever they come,
// decide where the leg sends again: call it for every offer or answer that
// changes the address, such as a re-INVITE. An unspecified address (the
// old 0.0.0.0 hold) or nil leaves the leg with no SDP address: it sends
// only once it has latched.
func (l *Leg) SetRemote(addr *net.UDPAddr) {
	var rtpAddr, rtcpAddr netip.AddrPort
	if ap, ok := toAddrPort(addr); ok {
		rtpAddr = ap
		if ap.Port() < 65535 {
			rtcpAddr = netip.AddrPortFrom(ap.Addr(), ap.Port()+1)
		}
	}
	l.rtp.reset(rtpAddr)
	l.rtcp.reset(rtcpAddr)
}

// SetRemoteRTCP overrides the remote RTCP address, for an SDP with an
// a=rtcp attribute (RFC 3605). Call it after SetRemote, which resets the
// RTCP address to the RTP port + 1.
func (l *Leg) SetRemoteRTCP(addr *net.UDPAddr) {
	ap, _ := toAddrPort(addr)
	l.rtcp.reset(ap)
}

// Remote returns where the leg sends RTP now: the latched source if it has
// latched, else the SDP address; nil if neither is known.
func (l *Leg) Remote() *net.UDPAddr { return l.rtp.destAddr() }

// RemoteRTCP returns where the leg sends RTCP now, like Remote.
func (l *Leg) RemoteRTCP() *net.UDPAddr { return l.rtcp.destAddr() }

// SetEventPayloadType sets the RTP payload type this leg negotiated for
// telephone-event (RFC 4733): packets of that type arriving from the leg
// are reported as DTMF, and InjectDTMF toward the leg uses it. PayloadNone
// (or any value above 127) turns both off.
func (l *Leg) SetEventPayloadType(pt uint8) {
	if pt > 127 {
		pt = PayloadNone
	}
	l.eventPT.Store(uint32(pt))
}

// EventPayloadType returns the telephone-event payload type, or PayloadNone.
func (l *Leg) EventPayloadType() uint8 { return uint8(l.eventPT.Load()) }

// path is where one of the leg's streams (RTP or RTCP) goes: the address
// from the SDP and the source latched from received packets. The reading
// goroutine latches; any goroutine may read the destination.
type path struct {
	sdp     atomic.Pointer[netip.AddrPort]
	latched atomic.Pointer[netip.AddrPort]
}

func (p *path) reset(sdp netip.AddrPort) {
	if sdp.IsValid() {
		p.sdp.Store(&sdp)
	} else {
		p.sdp.Store(nil)
	}
	p.latched.Store(nil)
}

// dest returns the address to send to: the latched source, else the SDP
// address.
func (p *path) dest() (netip.AddrPort, bool) {
	if l := p.latched.Load(); l != nil {
		return *l, true
	}
	if s := p.sdp.Load(); s != nil {
		return *s, true
	}
	return netip.AddrPort{}, false
}

func (p *path) destAddr() *net.UDPAddr {
	ap, ok := p.dest()
	if !ok {
		return nil
	}
	return net.UDPAddrFromAddrPort(ap)
}

// accept decides whether a packet from src is taken, and latches. Packets
// from the latched source or the SDP address are always taken (the SDP
// address also becomes the latch); before the first latch any source is
// taken and latched; after it, another source is refused when strict and
// latched otherwise. It allocates only when the latch moves.
func (p *path) accept(src netip.AddrPort, strict bool) bool {
	l := p.latched.Load()
	if l != nil && *l == src {
		return true
	}
	if s := p.sdp.Load(); s != nil && *s == src {
		p.latch(src)
		return true
	}
	if l != nil && strict {
		return false
	}
	p.latch(src)
	return true
}

func (p *path) latch(src netip.AddrPort) {
	v := new(netip.AddrPort)
	*v = src
	p.latched.Store(v)
}

// toAddrPort converts addr, rejecting nil, zero ports and unspecified
// addresses. IPv4-mapped IPv6 addresses become plain IPv4, which is how
// received sources are compared too.
func toAddrPort(addr *net.UDPAddr) (netip.AddrPort, bool) {
	if addr == nil {
		return netip.AddrPort{}, false
	}
	ap := addr.AddrPort()
	ip := ap.Addr().Unmap()
	if !ip.IsValid() || ip.IsUnspecified() || ap.Port() == 0 {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip, ap.Port()), true
}

// unmap normalises a received source address for comparison.
func unmap(ap netip.AddrPort) netip.AddrPort {
	if ap.Addr().Is4In6() {
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	}
	return ap
}
