package sdpneg

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"net"

	"github.com/pion/sdp/v3"
)

// Local is the switch's side of one leg of a call: the address and port
// where the switch receives that leg's RTP, and the identity written in the
// o= line of every SDP the switch sends on that leg.
//
// Offer and Answer keep Version in step with what they produce (RFC 3264
// §8): a body identical to the previous one keeps its version, and a body
// that differs in anything gets Version+1, unless the caller already raised
// Version with NextVersion since the previous body. A Local belongs to one
// dialog and is not safe for concurrent use.
type Local struct {
	// Addr is the switch's RTP address on this leg, IPv4 or IPv6.
	Addr net.IP
	// Port is the switch's RTP port on this leg (RTCP on Port+1).
	Port int
	// SessionID and Version are the o= line's <sess-id> and <sess-version>.
	SessionID uint64
	Version   uint64
	// Username is the o= line's <username>; "-" when empty.
	Username string

	// sent is the previous body with its version field set to zero, and
	// sentVersion the version it went out with.
	sent        []byte
	sentVersion uint64
}

// NewLocal returns a Local for a leg on addr and port, with a random
// session ID (63 bits, as RFC 3264 §5 recommends) and the same number as
// its first version.
func NewLocal(addr net.IP, port int) *Local {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	id := binary.BigEndian.Uint64(b[:]) >> 1
	return &Local{Addr: addr, Port: port, SessionID: id, Version: id, Username: "switchboard"}
}

// NextVersion increments Version, for a caller that wants the next body to
// carry a new version whatever its content.
func (l *Local) NextVersion() {
	l.Version++
}

// session returns a session description from l: o=, s=-, c= and t=0 0,
// with the given media descriptions.
func (l *Local) session(streams ...*sdp.MediaDescription) *sdp.SessionDescription {
	addrType, addr := addressFields(l.Addr)
	user := l.Username
	if user == "" {
		user = "-"
	}
	return &sdp.SessionDescription{
		Origin: sdp.Origin{
			Username:       user,
			SessionID:      l.SessionID,
			SessionVersion: l.Version,
			NetworkType:    "IN",
			AddressType:    addrType,
			UnicastAddress: addr,
		},
		SessionName: "-",
		ConnectionInformation: &sdp.ConnectionInformation{
			NetworkType: "IN",
			AddressType: addrType,
			Address:     &sdp.Address{Address: addr},
		},
		TimeDescriptions:  []sdp.TimeDescription{{}},
		MediaDescriptions: streams,
	}
}

// render marshals sd as the next body sent on l's leg, raising l.Version
// first when the body differs from the previous one and the caller has
// not raised it already.
func (l *Local) render(sd *sdp.SessionDescription) []byte {
	sd.Origin.SessionVersion = 0
	key := marshal(sd)
	if l.sent != nil && l.Version == l.sentVersion && !bytes.Equal(key, l.sent) {
		l.Version++
	}
	l.sent, l.sentVersion = key, l.Version
	sd.Origin.SessionVersion = l.Version
	return marshal(sd)
}

// marshal returns sd as text. pion's Marshal only appends to a buffer and
// never returns an error.
func marshal(sd *sdp.SessionDescription) []byte {
	b, _ := sd.Marshal()
	return b
}

// addressFields returns the <addrtype> and <address> of ip for o= and c=
// lines. A nil ip is written as 0.0.0.0, which peers read as a hold.
func addressFields(ip net.IP) (addrType, addr string) {
	if ip == nil {
		return "IP4", "0.0.0.0"
	}
	if v4 := ip.To4(); v4 != nil {
		return "IP4", v4.String()
	}
	return "IP6", ip.String()
}
