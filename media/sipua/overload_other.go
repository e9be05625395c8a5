//go:build !linux

package sipua

import "net"

// timeReads returns c unchanged: only Linux time-stamps datagrams here, so
// elsewhere no wait is measured and no call is refused as overload.
func timeReads(c *net.UDPConn, _ *overload) net.PacketConn { return c }
