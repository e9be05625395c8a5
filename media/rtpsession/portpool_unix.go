//go:build unix

package rtpsession

import (
	"errors"
	"math"
	"net"
	"syscall"
)

// canDrain tells that pairs can be kept warm: stale datagrams can be read
// off a socket without blocking.
const canDrain = true

// errStillSending means more than maxDrain datagrams were queued on a
// warm socket.
var errStillSending = errors.New("rtpsession: stale datagrams keep arriving")

// drain discards the datagrams queued on a warm socket, what the phone of
// its previous call sent after that call's readers stopped, so that the
// next call neither forwards them nor latches onto their source. The net
// package makes every socket non-blocking, so each recvfrom returns at
// once; the one that finds the queue empty fails with EAGAIN.
func drain(c *net.UDPConn) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return err
	}
	var readErr error
	err = rc.Control(func(fd uintptr) {
		var buf [1]byte // a datagram is discarded whole, whatever its size
		for range maxDrain {
			_, _, err := syscall.Recvfrom(int(fd), buf[:], 0)
			switch err {
			case nil, syscall.EINTR:
			case syscall.EAGAIN:
				return
			default:
				readErr = err
				return
			}
		}
		readErr = errStillSending
	})
	return errors.Join(err, readErr)
}

// fdLimit returns how many descriptors the process may open (the Go
// runtime has raised the soft limit to the hard one), or 0 if unknown.
func fdLimit() int {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) != nil {
		return 0
	}
	if rl.Cur > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(rl.Cur)
}

// outOfDescriptors tells a bind that failed for want of a descriptor,
// which no other port of the range would get either.
func outOfDescriptors(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE)
}
