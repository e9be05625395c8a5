//go:build !unix

package rtpsession

import (
	"errors"
	"net"
)

// canDrain is false: without a non-blocking read of a socket's queue, the
// pool closes every released pair rather than keep it warm.
const canDrain = false

func drain(*net.UDPConn) error { return errors.ErrUnsupported }

func fdLimit() int { return 0 }

func outOfDescriptors(error) bool { return false }
