package rtpsession

import (
	"encoding/binary"
	"net/netip"
)

// RTCP packet types (RFC 3550, RFC 4585).
const (
	rtcpSR    = 200
	rtcpRR    = 201
	rtcpSDES  = 202
	rtcpBYE   = 203
	rtcpRTPFB = 205
	rtcpPSFB  = 206
)

// Sizes within SR and RR packets.
const (
	srHeader    = 28 // header, sender SSRC, sender info
	rrHeader    = 8  // header, sender SSRC
	reportBlock = 24
)

func (d *direction) handleRTCP(pkt []byte, src netip.AddrPort) {
	if !d.in.rtcp.accept(src, d.r.cfg.strict) {
		d.ctr.dropped.Add(1)
		return
	}
	d.forwardRTCP(pkt)
}

// forwardRTCP translates a compound RTCP packet from the input leg and
// sends it from the output leg's RTCP socket.
func (d *direction) forwardRTCP(pkt []byte) {
	n := translateRTCP(pkt, d.view(), d.r.dirs[1-d.id].view())
	if n < 0 {
		d.ctr.dropped.Add(1)
		return
	}
	if n == 0 {
		return
	}
	dst, ok := d.out.rtcp.dest()
	if !ok {
		d.ctr.dropped.Add(1)
		return
	}
	if _, err := d.out.ports.RTCP.WriteToUDPAddrPort(pkt[:n], dst); err != nil {
		d.ctr.dropped.Add(1)
		return
	}
	d.ctr.rtcp.Add(1)
}

func (d *direction) view() view {
	d.tx.mu.Lock()
	defer d.tx.mu.Unlock()
	return d.tx.st.view()
}

// translateRTCP rewrites a compound RTCP packet in place so that it speaks
// about the streams as the receiving leg sees them, as an RTP translator
// that changes SSRCs must (RFC 3550 section 7.2). fwd is the mapping of
// the direction the packet travels, rev that of the opposite one:
//
//   - the sender's SSRC (in SR, RR, SDES, feedback and other packets)
//     becomes the relay's output SSRC, and an SR's RTP timestamp is
//     mapped onto the output timeline;
//   - a report block or feedback about the relay's output toward the
//     sender names the real source instead, with the sequence number
//     mapped back;
//   - BYE packets are removed: the relay's output stream goes on.
//
// It returns the new length, 0 if nothing is left, or -1 if the packet is
// malformed.
func translateRTCP(pkt []byte, fwd, rev view) int {
	n := len(pkt)
	for off := 0; off < n; {
		if n-off < 4 || pkt[off]>>6 != 2 {
			return -1
		}
		size := (int(binary.BigEndian.Uint16(pkt[off+2:off+4])) + 1) * 4
		if size > n-off {
			return -1
		}
		p := pkt[off : off+size]
		ok := true
		switch p[1] {
		case rtcpBYE:
			copy(pkt[off:], pkt[off+size:n])
			n -= size
			continue
		case rtcpSR:
			ok = translateReport(p, srHeader, fwd, rev)
		case rtcpRR:
			ok = translateReport(p, rrHeader, fwd, rev)
		case rtcpSDES:
			ok = translateSDES(p, fwd)
		case rtcpRTPFB, rtcpPSFB:
			ok = translateFeedback(p, fwd, rev)
		default: // APP, XR and others start with the sender's SSRC
			if size >= 8 {
				binary.BigEndian.PutUint32(p[4:8], fwd.outSSRC)
			}
		}
		if !ok {
			return -1
		}
		off += size
	}
	return n
}

// translateReport handles SR (hdr 28) and RR (hdr 8) packets.
func translateReport(p []byte, hdr int, fwd, rev view) bool {
	count := int(p[0] & 0x1F)
	if len(p) < hdr+count*reportBlock {
		return false
	}
	sender := binary.BigEndian.Uint32(p[4:8])
	binary.BigEndian.PutUint32(p[4:8], fwd.outSSRC)
	if hdr == srHeader && fwd.hasInput && sender == fwd.inSSRC {
		ts := binary.BigEndian.Uint32(p[16:20])
		binary.BigEndian.PutUint32(p[16:20], ts+fwd.tsOff)
	}
	for i := range count {
		b := p[hdr+i*reportBlock : hdr+(i+1)*reportBlock]
		if !rev.hasInput || binary.BigEndian.Uint32(b[0:4]) != rev.outSSRC {
			continue
		}
		binary.BigEndian.PutUint32(b[0:4], rev.inSSRC)
		ext := binary.BigEndian.Uint32(b[8:12])
		low := uint16(ext) - rev.seqOff
		binary.BigEndian.PutUint32(b[8:12], ext&0xFFFF0000|uint32(low))
	}
	return true
}

// translateSDES gives every chunk the relay's output SSRC: the chunks
// describe the sender, whose stream the receiver knows by that SSRC.
func translateSDES(p []byte, fwd view) bool {
	off := 4
	for range int(p[0] & 0x1F) {
		if off+4 > len(p) {
			return false
		}
		binary.BigEndian.PutUint32(p[off:off+4], fwd.outSSRC)
		off += 4
		for {
			if off >= len(p) {
				return false
			}
			if p[off] == 0 { // end of items, then padding to 32 bits
				break
			}
			if off+2 > len(p) {
				return false
			}
			off += 2 + int(p[off+1])
		}
		off = (off + 4) &^ 3
	}
	return true
}

// translateFeedback handles RFC 4585 feedback: sender SSRC, then the SSRC
// of the media the feedback is about.
func translateFeedback(p []byte, fwd, rev view) bool {
	if len(p) < 12 {
		return false
	}
	binary.BigEndian.PutUint32(p[4:8], fwd.outSSRC)
	if rev.hasInput && binary.BigEndian.Uint32(p[8:12]) == rev.outSSRC {
		binary.BigEndian.PutUint32(p[8:12], rev.inSSRC)
	}
	return true
}
