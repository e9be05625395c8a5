package rtpsession

import (
	"net"
	"net/netip"
	"testing"
)

func sameAddr(a, b *net.UDPAddr) bool {
	return a != nil && b != nil && a.AddrPort() == b.AddrPort()
}

func TestLatching(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		strict bool
	}{
		{"strict", true},
		{"loose", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newCall(t, WithStrictLatching(tc.strict))
			nat, stranger := newPhone(t), newPhone(t)

			// Before A's phone has sent anything, A sends to its SDP address.
			c.pb.sendRTP(c.b, audio(1, 0, 2), frame(1))
			if got := c.pa.recvRTP(); got.Payload[0] != 1 {
				t.Fatal("no packet at the SDP address before latching")
			}
			// The phone's packets come from its NAT's address: A latches.
			nat.sendRTP(c.a, audio(1, 0, 1), frame(2))
			c.pb.recvRTP()
			if !sameAddr(c.a.Remote(), nat.rtpAddr()) {
				t.Fatalf("leg sends to %v, want the latched %v", c.a.Remote(), nat.rtpAddr())
			}
			c.pb.sendRTP(c.b, audio(2, 160, 2), frame(3))
			if got := nat.recvRTP(); got.Payload[0] != 3 {
				t.Fatal("no packet at the latched address")
			}

			// Another source sends to A's port (the same stream after a NAT
			// rebinding, or a stranger), then the phone's NAT address again.
			stranger.sendRTP(c.a, audio(2, 160, 1), frame(4))
			nat.sendRTP(c.a, audio(3, 320, 1), frame(5))
			got := c.pb.recvRTP()
			if tc.strict {
				if got.Payload[0] != 5 {
					t.Fatalf("strict leg forwarded the stranger's packet (payload %d)", got.Payload[0])
				}
				if d := c.r.Counters(AToB).Dropped; d != 1 {
					t.Errorf("Dropped = %d, want 1", d)
				}
				if !sameAddr(c.a.Remote(), nat.rtpAddr()) {
					t.Errorf("strict leg moved its latch to %v", c.a.Remote())
				}
			} else if got.Payload[0] != 4 {
				t.Fatalf("loose leg did not forward the stranger's packet (payload %d)", got.Payload[0])
			}

			// Packets from the SDP address are always taken, and win the latch.
			c.pa.sendRTP(c.a, audio(4, 480, 1), frame(6))
			for got.Payload[0] != 6 {
				got = c.pb.recvRTP()
			}
			if !sameAddr(c.a.Remote(), c.pa.rtpAddr()) {
				t.Errorf("after a packet from the SDP address the leg sends to %v", c.a.Remote())
			}
		})
	}
}

// TestLatchingAfterReinvite: a new SDP address forgets the latch, so the
// leg follows a phone that moved, even a strict one.
func TestLatchingAfterReinvite(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
	c.pb.recvRTP()

	moved, movedNAT := newPhone(t), newPhone(t)
	c.a.SetRemote(moved.rtpAddr())
	if !sameAddr(c.a.Remote(), moved.rtpAddr()) {
		t.Fatalf("after SetRemote the leg sends to %v", c.a.Remote())
	}
	c.pb.sendRTP(c.b, audio(1, 0, 2), frame(2))
	if got := moved.recvRTP(); got.Payload[0] != 2 {
		t.Fatal("nothing at the new SDP address")
	}
	movedNAT.sendRTP(c.a, audio(9, 0, 3), frame(3))
	if got := c.pb.recvRTP(); got.Payload[0] != 3 {
		t.Fatal("strict leg refused the first source after SetRemote")
	}
	c.pb.sendRTP(c.b, audio(2, 160, 2), frame(4))
	if got := movedNAT.recvRTP(); got.Payload[0] != 4 {
		t.Fatal("leg did not latch after SetRemote")
	}

	// On hold with 0.0.0.0 there is nowhere to send until the phone sends.
	c.a.SetRemote(&net.UDPAddr{IP: net.IPv4zero, Port: 4000})
	if c.a.Remote() != nil {
		t.Fatalf("0.0.0.0 gave a destination %v", c.a.Remote())
	}
	c.pb.sendRTP(c.b, audio(3, 320, 2), frame(5))
	waitFor(t, "a drop for want of a destination", func() bool { return c.r.Counters(BToA).Dropped == 1 })
}

// TestLatchingRTCP: RTCP latches on its own, independently of RTP.
func TestLatchingRTCP(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	if !sameAddr(c.a.RemoteRTCP(), c.pa.rtcpAddr()) {
		t.Fatalf("RTCP goes to %v, want the SDP port + 1 %v", c.a.RemoteRTCP(), c.pa.rtcpAddr())
	}
	nat := newPhone(t)
	nat.sendRTP(c.a, audio(1, 0, 1), frame(1))
	c.pb.recvRTP()
	if !sameAddr(c.a.RemoteRTCP(), c.pa.rtcpAddr()) {
		t.Fatalf("RTP latching moved RTCP to %v", c.a.RemoteRTCP())
	}
	rr := receiverReport(0x1234)
	nat.sendRTCP(c.a, rr)
	c.pb.recvRTCP()
	if !sameAddr(c.a.RemoteRTCP(), nat.rtcpAddr()) {
		t.Fatalf("RTCP goes to %v after RTCP arrived from %v", c.a.RemoteRTCP(), nat.rtcpAddr())
	}
	c.pb.sendRTCP(c.b, receiverReport(0x5678))
	if b := nat.recvRTCP(); len(b) != len(rr) {
		t.Fatalf("got %d bytes of RTCP at the latched address", len(b))
	}
	explicit := newPhone(t)
	c.a.SetRemoteRTCP(explicit.rtpAddr())
	if !sameAddr(c.a.RemoteRTCP(), explicit.rtpAddr()) {
		t.Fatalf("SetRemoteRTCP: RTCP goes to %v", c.a.RemoteRTCP())
	}
}

func TestToAddrPort(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *net.UDPAddr
		want netip.AddrPort
		ok   bool
	}{
		{"nil", nil, netip.AddrPort{}, false},
		{"no port", &net.UDPAddr{IP: net.IPv4(10, 0, 0, 1)}, netip.AddrPort{}, false},
		{"unspecified", &net.UDPAddr{IP: net.IPv4zero, Port: 5000}, netip.AddrPort{}, false},
		{"unspecified v6", &net.UDPAddr{IP: net.IPv6unspecified, Port: 5000}, netip.AddrPort{}, false},
		{"no IP", &net.UDPAddr{Port: 5000}, netip.AddrPort{}, false},
		{"v4 in 16 bytes", &net.UDPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5000}, netip.MustParseAddrPort("10.0.0.1:5000"), true},
		{"v6", &net.UDPAddr{IP: net.ParseIP("2001:db8::1"), Port: 5000}, netip.MustParseAddrPort("[2001:db8::1]:5000"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := toAddrPort(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("toAddrPort(%v) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
	mapped := netip.MustParseAddrPort("[::ffff:127.0.0.1]:7000")
	if got := unmap(mapped); got != netip.MustParseAddrPort("127.0.0.1:7000") {
		t.Errorf("unmap = %v", got)
	}
}
