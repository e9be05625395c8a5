//go:build linux && !386

package rtpsession

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// This file holds the Linux readers of a relay's sockets: a goroutine per
// RTP socket that reads with recvmmsg (readRTP), and pollers that read the
// RTCP sockets of many relays on one goroutine.

// pollBatch is how many ready sockets one epoll_wait returns at most.
const pollBatch = 128

// maxPollers bounds the pollers; RTCP, a packet every few seconds per
// socket, keeps one busy only with tens of thousands of calls.
const maxPollers = 4

// A poller reads many sockets on one goroutine: an epoll instance holds
// the sockets assigned to it (level-triggered, EPOLLIN only), and is
// itself watched by the Go runtime's network poller, so the goroutine
// parks like any network reader when nothing is ready. Each ready socket
// gets one recvfrom per round and its datagram goes to the socket's
// handler. The relays put their RTCP sockets in pollers: a packet every
// few seconds does not deserve a goroutine, its stack and its buffer.
//
// RTP sockets are not polled this way. They stay registered with the
// runtime's poller as well (they are net.UDPConns), which then wakes up
// for every packet with nobody to run: with every socket of 750 relayed
// calls in pollers, the switch fell behind and lost a third of the
// packets, where a goroutine per RTP socket loses none.
//
// The pollers are made on first use, one per GOMAXPROCS up to maxPollers,
// and serve for the life of the process.
type poller struct {
	epfd  int
	file  *os.File     // epfd, registered with the Go runtime's poller
	count atomic.Int32 // sockets watched, to balance the pollers

	// mu is held while a batch of ready sockets is handled; unwatching
	// takes it, so that no handler of an unwatched socket runs after.
	mu      sync.Mutex
	watches map[int32]*watch
	nextID  int32

	// Owned by the poller's goroutine.
	events [pollBatch]syscall.EpollEvent
	buf    [packetBuffer]byte
	rsa    syscall.RawSockaddrAny
	recvFn func(fd uintptr) // p.recv, bound once so reading allocates nothing
	n      int              // recv's results
	errno  syscall.Errno
}

// watch is one socket in a poller.
type watch struct {
	socketReader
	rc syscall.RawConn
	id int32
}

var pollers struct {
	once sync.Once
	list []*poller
	err  error
}

// getPollers returns the pollers, making them on first use.
func getPollers() ([]*poller, error) {
	pollers.once.Do(func() {
		for range min(max(runtime.GOMAXPROCS(0), 1), maxPollers) {
			p, err := newPoller()
			if err != nil {
				for _, p := range pollers.list {
					p.file.Close()
				}
				pollers.list, pollers.err = nil, err
				return
			}
			pollers.list = append(pollers.list, p)
		}
		for _, p := range pollers.list {
			go p.run()
		}
	})
	return pollers.list, pollers.err
}

func newPoller() (*poller, error) {
	fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	// Non-blocking, so that os.NewFile registers it with the runtime's
	// poller: an epoll instance is readable when one of its sockets is.
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("fcntl", err)
	}
	p := &poller{epfd: fd, file: os.NewFile(uintptr(fd), "rtpsession-epoll"), watches: make(map[int32]*watch)}
	p.recvFn = p.recv
	return p, nil
}

// watchSet is the sockets of one relay, all in one poller.
type watchSet struct {
	p  *poller
	ws []*watch
}

// watchSockets starts reading the sockets on the least busy poller.
func watchSockets(readers []socketReader) (*watchSet, error) {
	list, err := getPollers()
	if err != nil {
		return nil, err
	}
	p := list[0]
	for _, q := range list[1:] {
		if q.count.Load() < p.count.Load() {
			p = q
		}
	}
	s := &watchSet{p: p, ws: make([]*watch, 0, len(readers))}
	for _, r := range readers {
		w, err := p.add(r)
		if errors.Is(err, net.ErrClosed) {
			continue // as a reading goroutine would, read nothing from a closed socket
		}
		if err != nil {
			s.stop()
			return nil, err
		}
		s.ws = append(s.ws, w)
	}
	return s, nil
}

// stop stops reading the sockets. When it returns, no handler of theirs
// is running or will run.
func (s *watchSet) stop() {
	for _, w := range s.ws {
		// Under Control the descriptor cannot be closed and reused meanwhile;
		// a socket already closed has left the epoll instance by itself.
		_ = w.rc.Control(func(fd uintptr) { _ = syscall.EpollCtl(s.p.epfd, syscall.EPOLL_CTL_DEL, int(fd), nil) })
	}
	s.p.mu.Lock()
	for _, w := range s.ws {
		delete(s.p.watches, w.id)
	}
	s.p.mu.Unlock()
	s.p.count.Add(-int32(len(s.ws)))
	s.ws = nil
}

// add puts a socket in the poller.
func (p *poller) add(r socketReader) (*watch, error) {
	rc, err := r.conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	w := &watch{socketReader: r, rc: rc}
	p.mu.Lock()
	for {
		p.nextID++
		if _, taken := p.watches[p.nextID]; !taken {
			break
		}
	}
	w.id = p.nextID
	p.watches[w.id] = w
	p.mu.Unlock()
	var ctlErr error
	err = rc.Control(func(fd uintptr) {
		ev := syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: w.id}
		ctlErr = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
	})
	if err == nil && ctlErr != nil {
		err = os.NewSyscallError("epoll_ctl", ctlErr)
	}
	if err != nil {
		p.mu.Lock()
		delete(p.watches, w.id)
		p.mu.Unlock()
		return nil, err
	}
	p.count.Add(1)
	return w, nil
}

// run is the poller's goroutine.
func (p *poller) run() {
	rc, err := p.file.SyscallConn()
	for err == nil {
		err = rc.Read(p.poll) // returns only on a failure of the runtime's poller
		if err != nil {
			time.Sleep(10 * time.Millisecond)
			err = nil
		}
	}
}

// poll handles ready sockets until none is left, then reports false so
// that the runtime parks the goroutine until the epoll instance is
// readable again. It stays inside one RawConn.Read for good: the runtime
// then never forgets a readiness that arrived while sockets were handled.
func (p *poller) poll(uintptr) bool {
	for {
		n, err := syscall.EpollWait(p.epfd, p.events[:], 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return false
		}
		p.mu.Lock()
		for i := range n {
			if w := p.watches[p.events[i].Fd]; w != nil {
				p.read(w)
			}
		}
		p.mu.Unlock()
	}
}

// read takes one datagram from a ready socket and hands it on.
func (p *poller) read(w *watch) {
	p.n, p.errno = 0, 0
	if w.rc.Control(p.recvFn) != nil || p.errno != 0 {
		return // closed (it has left the epoll instance), or nothing after all
	}
	if p.n >= len(p.buf) {
		w.dropped.Add(1) // may have been truncated
		return
	}
	src, ok := sockaddrToAddrPort(&p.rsa)
	if !ok {
		return
	}
	w.handle(p.buf[:p.n], src)
}

// recv is recvfrom on a non-blocking socket, into p.buf and p.rsa.
func (p *poller) recv(fd uintptr) {
	size := uint32(syscall.SizeofSockaddrAny)
	n, _, errno := syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&p.buf[0])),
		uintptr(len(p.buf)), 0, uintptr(unsafe.Pointer(&p.rsa)), uintptr(unsafe.Pointer(&size)))
	p.n, p.errno = int(n), errno
}

// sockaddrToAddrPort converts a received source address, IPv4-mapped IPv6
// addresses to plain IPv4 (as unmap does).
func sockaddrToAddrPort(rsa *syscall.RawSockaddrAny) (netip.AddrPort, bool) {
	switch rsa.Addr.Family {
	case syscall.AF_INET:
		sa := (*syscall.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), ntohs(sa.Port)), true
	case syscall.AF_INET6:
		sa := (*syscall.RawSockaddrInet6)(unsafe.Pointer(rsa))
		ip := netip.AddrFrom16(sa.Addr)
		if ip.Is4In6() {
			ip = ip.Unmap()
		} else if sa.Scope_id != 0 {
			ip = ip.WithZone(zoneName(sa.Scope_id))
		}
		return netip.AddrPortFrom(ip, ntohs(sa.Port)), true
	}
	return netip.AddrPort{}, false
}

// zoneName is the zone of a link-local IPv6 source, as the net package
// names it.
func zoneName(index uint32) string {
	if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
		return ifi.Name
	}
	return strconv.FormatUint(uint64(index), 10)
}

// ntohs converts a port from network byte order.
func ntohs(port uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&port))
	return uint16(b[0])<<8 | uint16(b[1])
}

// rtpBatchSize is how many datagrams one recvmmsg takes at most. Two is
// enough to learn that the socket is empty without a second system call:
// when fewer come back, everything queued has been read, and a datagram
// arriving later wakes the goroutine again.
const rtpBatchSize = 2

// mmsghdr is struct mmsghdr of recvmmsg(2).
type mmsghdr struct {
	hdr syscall.Msghdr
	len uint32
}

// rtpBatch is what an RTP reading goroutine needs while it reads. It is
// taken from a pool at each wake-up and given back before the goroutine
// parks, so the many parked readers hold no buffer.
type rtpBatch struct {
	msgs  [rtpBatchSize]mmsghdr
	iov   [rtpBatchSize]syscall.Iovec
	names [rtpBatchSize]syscall.RawSockaddrAny
	bufs  [rtpBatchSize][packetBuffer]byte
}

var rtpBatches = sync.Pool{New: func() any {
	b := new(rtpBatch)
	for i := range b.msgs {
		b.iov[i].Base = &b.bufs[i][0]
		b.iov[i].SetLen(packetBuffer)
		b.msgs[i].hdr.Name = (*byte)(unsafe.Pointer(&b.names[i]))
		b.msgs[i].hdr.Iov = &b.iov[i]
		b.msgs[i].hdr.Iovlen = 1
	}
	return b
}}

// rtpReader is one RTP reading goroutine's socket; read is bound once, so
// that reading allocates nothing.
type rtpReader struct {
	socketReader
	readFn func(fd uintptr) bool
}

// readRTP is the goroutine reading the RTP socket of s. It stays inside
// one RawConn.Read while the socket is read, taking what is queued with
// recvmmsg when the runtime's poller reports the socket readable: one
// system call per datagram, where ReadFromUDPAddrPort makes a second one
// that finds the socket empty before the goroutine parks. It returns when
// the socket is closed, or fails to read after the relay was closed.
func (r *Relay) readRTP(s socketReader) {
	defer r.loops.Done()
	rc, err := s.conn.SyscallConn()
	if err != nil {
		return
	}
	rd := &rtpReader{socketReader: s}
	rd.readFn = rd.read
	for {
		err := rc.Read(rd.readFn) // rd.read never reports done: only errors return
		if errors.Is(err, net.ErrClosed) || r.closed() {
			return
		}
	}
}

// read takes every datagram queued on the socket, then reports false so
// that the runtime parks the goroutine until the socket is readable again.
func (rd *rtpReader) read(fd uintptr) bool {
	b := rtpBatches.Get().(*rtpBatch)
	defer rtpBatches.Put(b)
	for {
		for i := range b.msgs {
			b.msgs[i].hdr.Namelen = syscall.SizeofSockaddrAny
		}
		n, _, errno := syscall.RawSyscall6(syscall.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&b.msgs[0])),
			rtpBatchSize, syscall.MSG_DONTWAIT, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 || n == 0 {
			return false
		}
		for i := range int(n) {
			size := int(b.msgs[i].len)
			if size >= packetBuffer {
				rd.dropped.Add(1) // may have been truncated
				continue
			}
			if src, ok := sockaddrToAddrPort(&b.names[i]); ok {
				rd.handle(b.bufs[i][:size], src)
			}
		}
		if n < rtpBatchSize {
			return false
		}
	}
}
