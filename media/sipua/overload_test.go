package sipua

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestOverloadShare checks the share of new calls refused against the
// smoothed wait: none up to OverloadLow, all from OverloadHigh, about half
// half-way.
func TestOverloadShare(t *testing.T) {
	for _, tc := range []struct {
		wait     time.Duration
		min, max float64
	}{
		{0, 0, 0},
		{OverloadLow, 0, 0},
		{(OverloadLow + OverloadHigh) / 2, 0.4, 0.6},
		{OverloadHigh, 1, 1},
		{5 * time.Second, 1, 1},
	} {
		var o overload
		o.wait.Store(int64(tc.wait))
		const n = 4000
		refused := 0
		for range n {
			if o.shed() {
				refused++
			}
		}
		share := float64(refused) / n
		if share < tc.min || share > tc.max {
			t.Errorf("wait %v: refused %.2f of new calls, want %.2f..%.2f", tc.wait, share, tc.min, tc.max)
		}
		if o.stats().Refused != uint64(refused) {
			t.Errorf("wait %v: Refused %d, counted %d", tc.wait, o.stats().Refused, refused)
		}
	}
}

// TestOverloadSmoothing checks that the wait follows a burst within a few
// dozen datagrams, and that one datagram after a quiet spell replaces an
// old burst's wait instead of being averaged into it.
func TestOverloadSmoothing(t *testing.T) {
	var o overload
	now := time.Now()
	for i := range 100 { // 10,000 datagrams a second, each waiting 400 ms
		o.observe(now.Add(time.Duration(i)*100*time.Microsecond), 400*time.Millisecond)
	}
	if w := o.stats().Wait; w < 380*time.Millisecond {
		t.Fatalf("after a burst of 400 ms waits the smoothed wait is %v", w)
	}
	o.observe(now.Add(time.Second), time.Millisecond)
	if w := o.stats().Wait; w > 2*time.Millisecond {
		t.Fatalf("a datagram after a quiet second left the smoothed wait at %v", w)
	}
	o.observe(now.Add(time.Second+time.Millisecond), -time.Hour) // a clock step back
	if w := o.stats().Wait; w < 0 {
		t.Fatalf("a negative sample made the wait %v", w)
	}
}

// TestTimedConnMeasuresWait leaves datagrams in the socket for a while and
// checks the kernel-stamped wait the reader measures.
func TestTimedConnMeasuresWait(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("datagram waits are measured on Linux only")
	}
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var o overload
	pc := timeReads(c, &o)
	if _, ok := pc.(*timedConn); !ok {
		t.Fatal("the socket was not set to time-stamp datagrams")
	}
	out, err := net.DialUDP("udp", nil, c.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := out.Write([]byte("OPTIONS sip:x SIP/2.0\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	const held = 60 * time.Millisecond
	time.Sleep(held)
	buf := make([]byte, 2048)
	n, from, err := pc.ReadFrom(buf)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(buf[:n]), "OPTIONS") || from.String() != out.LocalAddr().String() {
		t.Fatalf("read %q from %v", buf[:n], from)
	}
	if w := o.stats().Wait; w < held || w > 5*time.Second {
		t.Fatalf("a datagram held %v in the socket measured %v", held, w)
	}
}

// TestOverloadRefusesNewCallsOnly sends requests to a listening UA whose
// wait is above OverloadHigh: a new INVITE gets 503 with a Retry-After,
// while a REGISTER and a BYE are handled as usual; once the wait is back
// down, a new INVITE is challenged as usual.
func TestOverloadRefusesNewCallsOnly(t *testing.T) {
	u, err := New()
	if err != nil {
		t.Fatal(err)
	}
	u.SetTable(testTable())
	// Date the reader's previous sample an hour ahead, so that each of the
	// test's datagrams weighs little and the wait stays where the test
	// sets it (set before Listen starts the reader).
	u.load.last = time.Now().Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- u.Listen(ctx, "127.0.0.1:0") }()
	defer func() { cancel(); <-done }()
	select {
	case <-u.Ready():
	case err := <-done:
		t.Fatal(err)
	}
	conn, err := net.DialUDP("udp", nil, u.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ask := func(method, toTag string) string {
		t.Helper()
		local := conn.LocalAddr().String()
		to := "<sip:1002@127.0.0.1>"
		if toTag != "" {
			to += ";tag=" + toTag
		}
		branch := fmt.Sprintf("z9hG4bK%d", time.Now().UnixNano())
		msg := method + " sip:1002@" + u.Addr().String() + " SIP/2.0\r\n" +
			"Via: SIP/2.0/UDP " + local + ";branch=" + branch + "\r\n" +
			"From: <sip:alice@127.0.0.1>;tag=f1\r\nTo: " + to + "\r\n" +
			"Call-ID: " + branch + "\r\nCSeq: 1 " + method + "\r\n" +
			"Contact: <sip:alice@" + local + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
		if _, err := conn.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 4096)
		for {
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			n, err := conn.Read(buf)
			if err != nil {
				t.Fatalf("%s: no final response: %v", method, err)
			}
			res := string(buf[:n])
			if !strings.HasPrefix(res, "SIP/2.0 1") {
				return res
			}
		}
	}

	u.load.wait.Store(int64(OverloadHigh + time.Second))
	res := ask("INVITE", "")
	if !strings.HasPrefix(res, "SIP/2.0 503 Service Unavailable (overloaded)") {
		t.Fatalf("a new INVITE while overloaded got:\n%s", res)
	}
	if !strings.Contains(res, "\r\nRetry-After: ") {
		t.Fatalf("503 without Retry-After:\n%s", res)
	}
	if got := ask("REGISTER", ""); !strings.HasPrefix(got, "SIP/2.0 401") {
		t.Fatalf("a REGISTER while overloaded got:\n%s", got)
	}
	if got := ask("BYE", "t1"); !strings.HasPrefix(got, "SIP/2.0 481") {
		t.Fatalf("a BYE while overloaded got:\n%s", got)
	}
	if r := u.Overload().Refused; r != 1 {
		t.Fatalf("Refused = %d, want 1", r)
	}

	u.load.wait.Store(0)
	if got := ask("INVITE", ""); !strings.HasPrefix(got, "SIP/2.0 407") {
		t.Fatalf("a new INVITE after the overload got:\n%s", got)
	}
}
