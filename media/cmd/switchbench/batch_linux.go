//go:build linux && (amd64 || arm64)

package main

import (
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// mmsghdr is struct mmsghdr of sendmmsg(2) and recvmmsg(2).
type mmsghdr struct {
	hdr syscall.Msghdr
	len uint32
}

// sendBatch is packets waiting to be sent from one socket with sendmmsg,
// each to its own IPv4 address.
type sendBatch struct {
	msgs  []mmsghdr
	iov   []syscall.Iovec
	names []syscall.RawSockaddrInet4
	bufs  [][packetLen]byte
	n     int
}

func newSendBatch(size int) *sendBatch {
	b := &sendBatch{msgs: make([]mmsghdr, size), iov: make([]syscall.Iovec, size),
		names: make([]syscall.RawSockaddrInet4, size), bufs: make([][packetLen]byte, size)}
	for i := range b.msgs {
		for j := rtpHdrLen + 24; j < packetLen; j++ {
			b.bufs[i][j] = 0xFF // PCMU silence
		}
		b.iov[i].Base = &b.bufs[i][0]
		b.iov[i].SetLen(packetLen)
		b.names[i].Family = syscall.AF_INET
		b.msgs[i].hdr.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		b.msgs[i].hdr.Namelen = syscall.SizeofSockaddrInet4
		b.msgs[i].hdr.Iov = &b.iov[i]
		b.msgs[i].hdr.Iovlen = 1
	}
	return b
}

func (b *sendBatch) len() int   { return b.n }
func (b *sendBatch) full() bool { return b.n == len(b.msgs) }

// add queues a packet to dst (IPv4, as the generator's sockets are) and
// returns its buffer (packetLen bytes) to fill before the next flush.
func (b *sendBatch) add(dst netip.AddrPort) []byte {
	i := b.n
	b.n++
	sa := &b.names[i]
	port := dst.Port()
	p := (*[2]byte)(unsafe.Pointer(&sa.Port))
	p[0], p[1] = byte(port>>8), byte(port)
	sa.Addr = dst.Addr().As4()
	return b.bufs[i][:]
}

// flush sends the queued packets from c and empties the batch. A full
// socket buffer is waited out (the packets are counted only once sent);
// a packet the kernel refuses is skipped and counted as failed.
func (b *sendBatch) flush(c *udpSocket) (sent, failed int) {
	for off := 0; off < b.n; {
		n, _, errno := syscall.Syscall6(sysSendmmsg, uintptr(c.fd), uintptr(unsafe.Pointer(&b.msgs[off])),
			uintptr(b.n-off), syscall.MSG_DONTWAIT, 0, 0)
		switch {
		case errno == 0:
			sent += int(n)
			off += int(n)
		case errno == syscall.EAGAIN || errno == syscall.EINTR:
			runtime.Gosched()
		default: // the first packet failed
			failed++
			off++
		}
	}
	b.n = 0
	return sent, failed
}

// udpSocket is a generator socket on 127.0.0.1. It is a bare descriptor,
// not a net.UDPConn: the Go runtime's poller would otherwise be woken up
// for every datagram that arrives (see receivePeriod).
type udpSocket struct {
	fd    int
	local netip.AddrPort
}

// listenUDP opens a non-blocking socket on 127.0.0.1 with buffers of buf
// bytes and receive timestamps.
func listenUDP(buf int) (*udpSocket, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	_ = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, buf)
	_ = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_SNDBUF, buf)
	err = syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	if err == nil {
		err = syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}})
	}
	var sa syscall.Sockaddr
	if err == nil {
		sa, err = syscall.Getsockname(fd)
	}
	sa4, ok := sa.(*syscall.SockaddrInet4)
	if err != nil || !ok {
		syscall.Close(fd)
		return nil, fmt.Errorf("generator socket: %v", err)
	}
	return &udpSocket{fd: fd, local: netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), uint16(sa4.Port))}, nil
}

func (c *udpSocket) Close() error { return syscall.Close(c.fd) }

// recvBatchSize is how many datagrams one recvmmsg takes at most.
const recvBatchSize = 64

// timestampCmsg is the room for one SCM_TIMESTAMPNS control message.
var timestampCmsg = syscall.CmsgSpace(int(unsafe.Sizeof(syscall.Timespec{})))

// recvBatch is a receiver's buffers for recvmmsg.
type recvBatch struct {
	msgs [recvBatchSize]mmsghdr
	iov  [recvBatchSize]syscall.Iovec
	bufs [recvBatchSize][2048]byte
	oob  []byte
	wall int64 // the generator's start (g.start) in Unix nanoseconds
}

func newRecvBatch(start time.Time) *recvBatch {
	r := &recvBatch{oob: make([]byte, recvBatchSize*timestampCmsg), wall: start.UnixNano()}
	for i := range r.msgs {
		r.iov[i].Base = &r.bufs[i][0]
		r.iov[i].SetLen(len(r.bufs[i]))
		r.msgs[i].hdr.Iov = &r.iov[i]
		r.msgs[i].hdr.Iovlen = 1
		r.msgs[i].hdr.Control = &r.oob[i*timestampCmsg]
	}
	return r
}

// drain reads everything queued on c and hands each datagram to fn with
// the time the kernel received it.
func (r *recvBatch) drain(c *udpSocket, fn func(pkt []byte, at time.Duration)) {
	for {
		for i := range r.msgs {
			r.msgs[i].hdr.SetControllen(timestampCmsg)
		}
		n, _, errno := syscall.Syscall6(syscall.SYS_RECVMMSG, uintptr(c.fd), uintptr(unsafe.Pointer(&r.msgs[0])),
			recvBatchSize, syscall.MSG_DONTWAIT, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 || n == 0 {
			return
		}
		for i := range int(n) {
			fn(r.bufs[i][:r.msgs[i].len], r.arrival(i))
		}
		if n < recvBatchSize {
			return
		}
	}
}

// arrival is when message i was received, from its SCM_TIMESTAMPNS, as a
// duration since the generator's start; now if it has none.
func (r *recvBatch) arrival(i int) time.Duration {
	off := i * timestampCmsg
	if int(r.msgs[i].hdr.Controllen) >= syscall.CmsgLen(int(unsafe.Sizeof(syscall.Timespec{}))) {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&r.oob[off]))
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS {
			ts := (*syscall.Timespec)(unsafe.Pointer(&r.oob[off+syscall.CmsgLen(0)]))
			return time.Duration(ts.Nano() - r.wall)
		}
	}
	return time.Duration(time.Now().UnixNano() - r.wall)
}
