//go:build !linux || 386

package rtpsession

import "errors"

// watchSet is a stand-in: without epoll, RTCP sockets get a reading
// goroutine each too (see Relay.startReading).
type watchSet struct{}

func watchSockets([]socketReader) (*watchSet, error) {
	return nil, errors.New("rtpsession: no poller on this system")
}

func (*watchSet) stop() {}

// readRTP is the goroutine reading an RTP socket.
func (r *Relay) readRTP(s socketReader) { r.readLoop(s) }
