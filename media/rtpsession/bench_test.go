package rtpsession

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"
	"time"
)

// BenchmarkRelay pushes G.711-sized RTP packets through a running relay
// over loopback: a sender socket writes to leg A, and a receiver socket at
// leg B's remote address reads what the relay forwards. One op is one
// forwarded packet. allocs/op counts every allocation in the process, the
// relay's goroutines included. With window 1 each packet makes the round
// trip before the next is sent (latency-bound); larger windows keep that
// many packets in flight.
func BenchmarkRelay(b *testing.B) {
	for _, window := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("window=%d", window), func(b *testing.B) {
			benchmarkRelay(b, window)
		})
	}
}

func benchmarkRelay(b *testing.B, window int) {
	c := newCall(b)
	pkt := marshalRTP(b, audio(0, 0, 0xA), frame(0x55))
	to := c.a.Ports().LocalRTP().AddrPort()
	send, recv := c.pa.ports.RTP, c.pb.ports.RTP
	buf := make([]byte, packetBuffer)
	var seq uint16
	b.ReportAllocs()
	b.SetBytes(int64(len(pkt)))
	b.ResetTimer()
	for done := 0; done < b.N; done += window {
		n := min(window, b.N-done)
		for range n {
			seq++
			binary.BigEndian.PutUint16(pkt[2:4], seq)
			binary.BigEndian.PutUint32(pkt[4:8], uint32(seq)*160)
			if _, err := send.WriteToUDPAddrPort(pkt, to); err != nil {
				b.Fatal(err)
			}
		}
		if err := recv.SetReadDeadline(time.Now().Add(recvTimeout)); err != nil {
			b.Fatal(err)
		}
		for range n {
			if _, _, err := recv.ReadFromUDPAddrPort(buf); err != nil {
				b.Fatalf("after %d packets: %v (lost %d)", done, err, c.r.Counters(AToB).Dropped)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkHandleRTP measures the forwarding function alone: header
// parsing, stream mapping, rewrite and the send system call, without the
// receive system call and goroutine wake-up of BenchmarkRelay. The
// receiver does not read, so the kernel discards most of what is sent.
func BenchmarkHandleRTP(b *testing.B) {
	c := idleCall(b)
	d := &c.r.dirs[AToB]
	src := netip.MustParseAddrPort(c.pa.rtpAddr().String())
	tmpl := marshalRTP(b, audio(0, 0, 0xA), frame(0x55))
	buf := make([]byte, packetBuffer)
	var seq uint16
	b.ReportAllocs()
	for b.Loop() {
		n := copy(buf, tmpl)
		seq++
		binary.BigEndian.PutUint16(buf[2:4], seq)
		d.handleRTP(buf[:n], src)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkPortPool allocates and releases a pair, binding new sockets
// each time (cold) or handing out the same warm sockets again.
func BenchmarkPortPool(b *testing.B) {
	for _, bc := range []struct {
		name string
		warm int
	}{{"cold", 0}, {"warm", 1}} {
		b.Run(bc.name, func(b *testing.B) {
			pool, err := NewPortPool(loopback, 61900, 61909, WithWarmPairs(bc.warm), WithQuarantine(0))
			if err != nil {
				b.Fatal(err)
			}
			defer pool.Close()
			for b.Loop() {
				p, err := pool.Allocate()
				if err != nil {
					b.Fatal(err)
				}
				pool.Release(p)
			}
		})
	}
}
