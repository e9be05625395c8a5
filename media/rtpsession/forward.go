package rtpsession

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"sync/atomic"
)

// packetBuffer is the receive buffer of each poller (or reading
// goroutine). A datagram that fills it may have been truncated and is
// dropped.
const packetBuffer = 2048

// socketReader is a socket to read and what to do with each datagram.
type socketReader struct {
	conn    *net.UDPConn
	handle  func([]byte, netip.AddrPort)
	dropped *atomic.Uint64 // counts datagrams too large for the buffer
}

// readers returns the relay's RTP sockets and its RTCP sockets, with their
// handlers.
func (r *Relay) readers() (rtp, rtcp []socketReader) {
	for i := range r.dirs {
		d := &r.dirs[i]
		rtp = append(rtp, socketReader{conn: d.in.ports.RTP, handle: d.handleRTP, dropped: &d.ctr.dropped})
		rtcp = append(rtcp, socketReader{conn: d.in.ports.RTCP, handle: d.handleRTCP, dropped: &d.ctr.dropped})
	}
	return rtp, rtcp
}

// readLoop is a reading goroutine for systems without the readers of
// reader_linux.go; it owns buf for its lifetime and returns when the
// socket is closed, or when it fails to read after the relay was closed.
func (r *Relay) readLoop(s socketReader) {
	defer r.loops.Done()
	buf := make([]byte, packetBuffer)
	for {
		n, src, err := s.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) || r.closed() {
				return
			}
			continue
		}
		if n == len(buf) {
			s.dropped.Add(1)
			continue
		}
		s.handle(buf[:n], unmap(src))
	}
}

// handleRTP forwards one datagram read from the input leg's RTP socket. It
// is the per-packet path and allocates nothing (except when a leg latches
// to a new address).
func (d *direction) handleRTP(pkt []byte, src netip.AddrPort) {
	if !d.in.rtp.accept(src, d.r.cfg.strict) {
		d.ctr.dropped.Add(1)
		return
	}
	if isRTCP(pkt) { // RTCP multiplexed on the RTP port (RFC 5761)
		d.forwardRTCP(pkt)
		return
	}
	hlen, err := d.hdr.Unmarshal(pkt)
	if err != nil || d.hdr.Version != 2 {
		d.ctr.dropped.Add(1)
		return
	}
	now := now()
	d.r.idle.last.Store(now)
	if uint32(d.hdr.PayloadType) == d.in.eventPT.Load() {
		d.detectDTMF(rtpPayload(pkt, hlen, d.hdr.Padding))
	}
	pt := d.mapPT(d.hdr.PayloadType)
	seq, ts, mark, ok := d.sequence(pt, now)
	if !ok {
		return
	}
	if tap := d.r.tap.Load(); tap != nil { // call recording (relaytap.go)
		(*tap)(d.id, d.hdr.PayloadType, rtpPayload(pkt, hlen, d.hdr.Padding))
	}
	writeHeader(pkt, pt, mark || d.hdr.Marker, seq, ts, d.tx.st.ssrc)
	d.send(pkt)
}

// sequence runs the packet through the output stream and returns its
// output sequence number, timestamp and forced marker, or false if it is
// not to be forwarded.
func (d *direction) sequence(pt uint8, now int64) (uint16, uint32, bool, bool) {
	d.tx.mu.Lock()
	defer d.tx.mu.Unlock()
	h := &d.hdr
	if !d.tx.st.admit(h.SSRC, h.SequenceNumber, h.Timestamp, now) {
		d.ctr.dropped.Add(1)
		return 0, 0, false, false
	}
	if pt == PayloadNone || d.tx.injecting || d.muted.Load() {
		d.tx.st.skip()
		d.ctr.muted.Add(1)
		return 0, 0, false, false
	}
	seq, ts, mark := d.tx.st.emit(h.SequenceNumber, h.Timestamp, now)
	return seq, ts, mark, true
}

// send writes an RTP packet to the output leg's remote address.
func (d *direction) send(pkt []byte) bool {
	dst, ok := d.out.rtp.dest()
	if !ok {
		d.ctr.dropped.Add(1)
		return false
	}
	if _, err := d.out.ports.RTP.WriteToUDPAddrPort(pkt, dst); err != nil {
		d.ctr.dropped.Add(1)
		return false
	}
	d.ctr.sent(len(pkt))
	return true
}

func (d *direction) mapPT(pt uint8) uint8 {
	if t := d.ptMap.Load(); t != nil {
		return t[pt&0x7F]
	}
	return pt
}

// writeHeader rewrites the fixed RTP header fields in place. CSRCs,
// extensions and padding are left as they are.
func writeHeader(pkt []byte, pt uint8, marker bool, seq uint16, ts, ssrc uint32) {
	b := pt & 0x7F
	if marker {
		b |= 0x80
	}
	pkt[1] = b
	binary.BigEndian.PutUint16(pkt[2:4], seq)
	binary.BigEndian.PutUint32(pkt[4:8], ts)
	binary.BigEndian.PutUint32(pkt[8:12], ssrc)
}

// rtpPayload returns the payload of a packet whose header is hlen bytes,
// without padding; nil if the padding is invalid.
func rtpPayload(pkt []byte, hlen int, padding bool) []byte {
	end := len(pkt)
	if padding {
		if end <= hlen || pkt[end-1] == 0 {
			return nil
		}
		end -= int(pkt[end-1])
	}
	if end < hlen {
		return nil
	}
	return pkt[hlen:end]
}

// isRTCP tells RTCP from RTP on a multiplexed port by the second byte:
// RTCP packet types 192-223 (RFC 5761 section 4).
func isRTCP(pkt []byte) bool {
	return len(pkt) >= 2 && pkt[1] >= 192 && pkt[1] <= 223
}
