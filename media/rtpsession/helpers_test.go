package rtpsession

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
)

// recvTimeout bounds every wait for a packet; reaching it fails the test.
const recvTimeout = 5 * time.Second

var (
	sharedPoolOnce sync.Once
	sharedPool     *PortPool
	sharedPoolErr  error
)

// testPool is one pool for the relay tests, above the kernel's ephemeral
// range (32768-60999) so no other socket of the test binary lands in it.
// The PortPool tests use 61000-61999 with pools of their own.
func testPool(t testing.TB) *PortPool {
	t.Helper()
	sharedPoolOnce.Do(func() {
		sharedPool, sharedPoolErr = NewPortPool(net.IPv4(127, 0, 0, 1), 62000, 64999)
	})
	if sharedPoolErr != nil {
		t.Fatal(sharedPoolErr)
	}
	return sharedPool
}

func allocate(t testing.TB) *Ports {
	t.Helper()
	pool := testPool(t)
	p, err := pool.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Release(p) })
	return p
}

// phone is the far end of a leg: an RTP/RTCP socket pair on loopback.
type phone struct {
	t     testing.TB
	ports *Ports
	buf   []byte
}

func newPhone(t testing.TB) *phone {
	return &phone{t: t, ports: allocate(t), buf: make([]byte, 2048)}
}

func (p *phone) rtpAddr() *net.UDPAddr  { return p.ports.LocalRTP() }
func (p *phone) rtcpAddr() *net.UDPAddr { return p.ports.LocalRTCP() }

// sendRTP sends an RTP packet to a leg's RTP port.
func (p *phone) sendRTP(to *Leg, h rtp.Header, payload []byte) {
	p.t.Helper()
	h.Version = 2
	pkt := rtp.Packet{Header: h, Payload: payload}
	b, err := pkt.Marshal()
	if err != nil {
		p.t.Fatal(err)
	}
	p.sendRaw(p.ports.RTP, to.Ports().LocalRTP(), b)
}

// sendRTCP sends raw bytes from the phone's RTCP socket to a leg's RTCP port.
func (p *phone) sendRTCP(to *Leg, b []byte) {
	p.t.Helper()
	p.sendRaw(p.ports.RTCP, to.Ports().LocalRTCP(), b)
}

func (p *phone) sendRaw(c *net.UDPConn, to *net.UDPAddr, b []byte) {
	p.t.Helper()
	if _, err := c.WriteToUDP(b, to); err != nil {
		p.t.Fatal(err)
	}
}

// recvRTP waits for the next RTP packet on the phone's RTP socket.
func (p *phone) recvRTP() *rtp.Packet {
	p.t.Helper()
	b, _ := p.recv(p.ports.RTP)
	var pkt rtp.Packet
	if err := pkt.Unmarshal(b); err != nil {
		p.t.Fatalf("received a bad RTP packet: %v", err)
	}
	return &pkt
}

// recvRTCP waits for the next datagram on the phone's RTCP socket.
func (p *phone) recvRTCP() []byte {
	p.t.Helper()
	b, _ := p.recv(p.ports.RTCP)
	return b
}

func (p *phone) recv(c *net.UDPConn) ([]byte, netip.AddrPort) {
	p.t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(recvTimeout)); err != nil {
		p.t.Fatal(err)
	}
	n, from, err := c.ReadFromUDPAddrPort(p.buf)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		p.t.Fatalf("nothing received on %v within %v", c.LocalAddr(), recvTimeout)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	return append([]byte(nil), p.buf[:n]...), from
}

// call is two phones joined by a relay through legs a and b.
type call struct {
	pa, pb *phone
	a, b   *Leg
	r      *Relay
}

// newCall starts a relay whose legs point at two phones by their SDP.
func newCall(t testing.TB, opts ...Option) *call {
	t.Helper()
	c := &call{pa: newPhone(t), pb: newPhone(t)}
	c.a, c.b = NewLeg(allocate(t)), NewLeg(allocate(t))
	c.a.SetRemote(c.pa.rtpAddr())
	c.b.SetRemote(c.pb.rtpAddr())
	c.r = NewRelay(c.a, c.b, opts...)
	if err := c.r.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.r.Close() })
	return c
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(recvTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func audio(seq uint16, ts, ssrc uint32) rtp.Header {
	return rtp.Header{PayloadType: 0, SequenceNumber: seq, Timestamp: ts, SSRC: ssrc}
}

func frame(fill byte) []byte {
	b := make([]byte, 160)
	for i := range b {
		b[i] = fill
	}
	return b
}
