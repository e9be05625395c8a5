package rtpsession

import (
	"net"
	"syscall"
	"testing"
)

// TestPortPoolSocketBuffers checks the buffer sizes the kernel granted
// (Linux reports twice the request, capped at twice rmem_max/wmem_max).
func TestPortPoolSocketBuffers(t *testing.T) {
	t.Parallel()
	pool, err := NewPortPool(loopback, 61500, 61501)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pool.Allocate()
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Release(p)
	for _, c := range []*net.UDPConn{p.RTP, p.RTCP} {
		for name, opt := range map[string]int{"SO_RCVBUF": syscall.SO_RCVBUF, "SO_SNDBUF": syscall.SO_SNDBUF} {
			size := sockopt(t, c, opt)
			if size < DefaultSocketBuffer {
				t.Errorf("%s of %v is %d, want at least %d (is net.core.rmem_max/wmem_max below 1 MiB?)",
					name, c.LocalAddr(), size, DefaultSocketBuffer)
			}
		}
	}
}

func sockopt(t *testing.T, c *net.UDPConn, opt int) int {
	t.Helper()
	raw, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var size int
	var serr error
	err = raw.Control(func(fd uintptr) {
		size, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, opt)
	})
	if err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	return size
}
