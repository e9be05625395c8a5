//go:build !linux || !(amd64 || arm64)

package main

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"time"
)

// sendBatch is packets waiting to be sent from one socket, each to its own
// address (one system call each here; sendmmsg on Linux).
type sendBatch struct {
	dst  []netip.AddrPort
	bufs [][packetLen]byte
	n    int
}

func newSendBatch(size int) *sendBatch {
	b := &sendBatch{dst: make([]netip.AddrPort, size), bufs: make([][packetLen]byte, size)}
	for i := range b.bufs {
		for j := rtpHdrLen + 24; j < packetLen; j++ {
			b.bufs[i][j] = 0xFF // PCMU silence
		}
	}
	return b
}

func (b *sendBatch) len() int   { return b.n }
func (b *sendBatch) full() bool { return b.n == len(b.bufs) }

func (b *sendBatch) add(dst netip.AddrPort) []byte {
	b.dst[b.n] = dst
	b.n++
	return b.bufs[b.n-1][:]
}

func (b *sendBatch) flush(c *udpSocket) (sent, failed int) {
	for i := range b.n {
		if _, err := c.conn.WriteToUDPAddrPort(b.bufs[i][:], b.dst[i]); err != nil {
			failed++
		} else {
			sent++
		}
	}
	b.n = 0
	return sent, failed
}

// udpSocket is a generator socket on 127.0.0.1.
type udpSocket struct {
	conn  *net.UDPConn
	local netip.AddrPort
}

func listenUDP(buf int) (*udpSocket, error) {
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	_ = c.SetReadBuffer(buf)
	_ = c.SetWriteBuffer(buf)
	return &udpSocket{conn: c, local: c.LocalAddr().(*net.UDPAddr).AddrPort()}, nil
}

func (c *udpSocket) Close() error { return c.conn.Close() }

// recvBatch is a receiver's buffer. Arrival times are taken when a
// datagram is read, so they include up to a receivePeriod of waiting.
type recvBatch struct {
	buf   []byte
	start time.Time
}

func newRecvBatch(start time.Time) *recvBatch {
	return &recvBatch{buf: make([]byte, 2048), start: start}
}

func (r *recvBatch) drain(c *udpSocket, fn func(pkt []byte, at time.Duration)) {
	_ = c.conn.SetReadDeadline(time.Now())
	for {
		n, _, err := c.conn.ReadFromUDPAddrPort(r.buf)
		if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, net.ErrClosed) {
			return
		}
		if err == nil {
			fn(r.buf[:n], time.Duration(time.Now().UnixNano()-r.start.UnixNano()))
		}
	}
}
