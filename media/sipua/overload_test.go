package sipua

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestOverloadShare checks the share of new calls and of REGISTERs
// refused against the smoothed wait: calls none up to OverloadLow, all
// from OverloadHigh, about half half-way; REGISTERs none up to
// OverloadHigh, all from RegisterHigh.
func TestOverloadShare(t *testing.T) {
	for _, tc := range []struct {
		wait             time.Duration
		callMin, callMax float64
		regMin, regMax   float64
	}{
		{0, 0, 0, 0, 0},
		{OverloadLow, 0, 0, 0, 0},
		{(OverloadLow + OverloadHigh) / 2, 0.4, 0.6, 0, 0},
		{OverloadHigh, 1, 1, 0, 0},
		{(OverloadHigh + RegisterHigh) / 2, 1, 1, 0.4, 0.6},
		{RegisterHigh, 1, 1, 1, 1},
		{5 * time.Second, 1, 1, 1, 1},
	} {
		var o overload
		o.wait.Store(int64(tc.wait))
		const n = 4000
		calls, regs := 0, 0
		for range n {
			if o.shed() {
				calls++
			}
			if o.shedRegister() {
				regs++
			}
		}
		if share := float64(calls) / n; share < tc.callMin || share > tc.callMax {
			t.Errorf("wait %v: refused %.2f of new calls, want %.2f..%.2f", tc.wait, share, tc.callMin, tc.callMax)
		}
		if share := float64(regs) / n; share < tc.regMin || share > tc.regMax {
			t.Errorf("wait %v: refused %.2f of REGISTERs, want %.2f..%.2f", tc.wait, share, tc.regMin, tc.regMax)
		}
		if st := o.stats(); st.Refused != uint64(calls) || st.RefusedRegisters != uint64(regs) {
			t.Errorf("wait %v: stats %+v, counted %d calls and %d REGISTERs", tc.wait, st, calls, regs)
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

// TestOverloadRefusesCallsThenRegistrations sends requests to a listening UA with
// the wait set: past RegisterHigh a new INVITE and a REGISTER get 503 with
// a Retry-After while a BYE is handled as usual; below OverloadHigh a
// REGISTER is handled; once the wait is back down, a new INVITE is
// challenged as usual.
func TestOverloadRefusesCallsThenRegistrations(t *testing.T) {
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

	// Each datagram of the test moves the wait 1/32 of the way toward
	// its own (tiny) wait, so the test sets it before each request.
	setWait := func(d time.Duration) { u.load.wait.Store(int64(d)) }
	retryAfter := func(res string) int {
		t.Helper()
		_, v, ok := strings.Cut(res, "\r\nRetry-After: ")
		if !ok {
			t.Fatalf("503 without Retry-After:\n%s", res)
		}
		secs, err := strconv.Atoi(strings.TrimSpace(v[:strings.Index(v, "\r\n")]))
		if err != nil {
			t.Fatalf("Retry-After %q", v)
		}
		return secs
	}

	// Past RegisterHigh: new calls and registrations are refused, a
	// request within a call is not.
	setWait(2 * RegisterHigh)
	res := ask("INVITE", "")
	if !strings.HasPrefix(res, "SIP/2.0 503 Service Unavailable (overloaded)") {
		t.Fatalf("a new INVITE while overloaded got:\n%s", res)
	}
	if s := retryAfter(res); s < 1 || s > 4 {
		t.Fatalf("a refused call is told to retry after %d s, want 1..4", s)
	}
	setWait(2 * RegisterHigh)
	res = ask("REGISTER", "")
	if !strings.HasPrefix(res, "SIP/2.0 503 Service Unavailable (overloaded)") {
		t.Fatalf("a REGISTER while overloaded got:\n%s", res)
	}
	if s := retryAfter(res); s < 5 || s > 20 {
		t.Fatalf("a refused REGISTER is told to retry after %d s, want 5..20", s)
	}
	setWait(2 * RegisterHigh)
	if got := ask("BYE", "t1"); !strings.HasPrefix(got, "SIP/2.0 481") {
		t.Fatalf("a BYE while overloaded got:\n%s", got)
	}
	if st := u.Overload(); st.Refused != 1 || st.RefusedRegisters != 1 {
		t.Fatalf("Overload() = %+v, want one call and one REGISTER refused", st)
	}

	// Below OverloadHigh registrations go on (a new call would be refused
	// with a probability of nearly one).
	setWait(OverloadHigh - 20*time.Millisecond)
	if got := ask("REGISTER", ""); !strings.HasPrefix(got, "SIP/2.0 401") {
		t.Fatalf("a REGISTER below OverloadHigh got:\n%s", got)
	}

	setWait(0)
	if got := ask("INVITE", ""); !strings.HasPrefix(got, "SIP/2.0 407") {
		t.Fatalf("a new INVITE after the overload got:\n%s", got)
	}
}
