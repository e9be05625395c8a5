package sipua

import (
	"net"
	"syscall"
	"time"
	"unsafe"
)

// timedConn is the listening UDP socket as sipgo reads it: each read also
// takes the kernel's receive time stamp (SO_TIMESTAMPNS) and tells the
// overload control how long the datagram waited. sipgo reads from one
// goroutine, so the control buffer needs no lock.
type timedConn struct {
	*net.UDPConn
	load *overload
	oob  [64]byte
}

// timeReads returns c for sipgo to serve, measuring waits into o when the
// kernel time-stamps datagrams, or c itself when it will not.
func timeReads(c *net.UDPConn, o *overload) net.PacketConn {
	rc, err := c.SyscallConn()
	if err != nil {
		return c
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil || serr != nil {
		return c
	}
	return &timedConn{UDPConn: c, load: o}
}

// ReadFrom reads one datagram, as net.UDPConn does, and measures its wait.
func (c *timedConn) ReadFrom(b []byte) (int, net.Addr, error) {
	n, oobn, _, addr, err := c.ReadMsgUDP(b, c.oob[:])
	if err != nil {
		return n, nil, err
	}
	if at, ok := receivedAt(c.oob[:oobn]); ok {
		now := time.Now()
		c.load.observe(now, now.Sub(at))
	}
	return n, addr, nil
}

// receivedAt finds the SCM_TIMESTAMPNS time stamp in a control buffer
// without allocating (syscall.ParseSocketControlMessage would).
func receivedAt(oob []byte) (time.Time, bool) {
	hdr := syscall.CmsgLen(0)
	for len(oob) >= hdr {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		if int(h.Len) < hdr || int(h.Len) > len(oob) {
			return time.Time{}, false
		}
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS &&
			int(h.Len)-hdr >= int(unsafe.Sizeof(syscall.Timespec{})) {
			ts := (*syscall.Timespec)(unsafe.Pointer(&oob[hdr]))
			return time.Unix(ts.Unix()), true
		}
		oob = oob[min(syscall.CmsgSpace(int(h.Len)-hdr), len(oob)):]
	}
	return time.Time{}, false
}
