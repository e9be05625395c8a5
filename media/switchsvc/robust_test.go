package switchsvc_test

import (
	"math/rand/v2"
	"net"
	"strings"
	"testing"

	"github.com/switchboard-pbx/switchboard/media/phonetest"
)

// TestGarbageDoesNotHurt sends the switch random datagrams and malformed
// requests; it must answer what it can parse with a 4xx and keep serving.
func TestGarbageDoesNotHurt(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	conn, err := net.Dial("udp", sw.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		b := make([]byte, 1+rng.IntN(1400))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		_, _ = conn.Write(b)
	}
	malformed := []string{
		"INVITE sip:1002@x SIP/2.0\r\n\r\n",
		"REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n",
		"INVITE sip:1002@x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKy\r\nFrom: <sip:a@x>;tag=1\r\n" +
			"To: <sip:1002@x>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 9\r\n\r\nnot-sdp\r\n",
		strings.Repeat("A", 60000),
	}
	for _, m := range malformed {
		_, _ = conn.Write([]byte(m))
	}
	// The switch still registers and connects calls.
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	sw.phone(t, "bob", phonetest.AutoAnswer)
	call, err := alice.Dial(ctxT(t), "1002")
	if err != nil {
		t.Fatalf("switch unusable after garbage: %v", err)
	}
	_ = call.Hangup(ctxT(t))
}

// TestMalformedSDPGets400 checks an INVITE whose body is not SDP is
// refused with a reason, after authentication.
func TestMalformedSDPGets400(t *testing.T) {
	t.Parallel()
	sw := startSwitch(t, switchsvcConfig(), user{Ext: "1001", Devices: []string{"alice"}},
		user{Ext: "1002", Devices: []string{"bob"}})
	alice := sw.phone(t, "alice", phonetest.AutoAnswer)
	sw.phone(t, "bob", phonetest.AutoAnswer)
	code, err := alice.DialRaw(ctxT(t), "1002", []byte("v=0\r\nthis is not sdp\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if code != 400 && code != 488 {
		t.Fatalf("INVITE with a broken body answered %d, want 400 or 488", code)
	}
	waitFor(t, "no legs left behind", func() bool { return len(sw.UA().Legs()) == 0 })
}
