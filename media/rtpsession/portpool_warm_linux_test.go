package rtpsession

import (
	"errors"
	"net"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// queued reports whether a datagram waits on c, without taking it.
func queued(t *testing.T, c *net.UDPConn) bool {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	var rerr error
	if err := rc.Control(func(fd uintptr) {
		var b [1]byte
		n, _, rerr = syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	}); err != nil {
		t.Fatal(err)
	}
	return rerr == nil && n >= 0
}

func openFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// lowestFreeFD returns the number the next descriptor opened would get.
func lowestFreeFD(t *testing.T) int {
	t.Helper()
	dir, err := os.Open("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	names, err := dir.Readdirnames(-1)
	self := strconv.Itoa(int(dir.Fd()))
	dir.Close()
	if err != nil {
		t.Fatal(err)
	}
	open := map[string]bool{}
	for _, n := range names {
		open[n] = n != self
	}
	fd := 0
	for open[strconv.Itoa(fd)] {
		fd++
	}
	return fd
}

// TestWarmPairDrainsStalePackets: what the old phone sends to a pair
// after its call ended is neither forwarded by the next call on the pair
// nor latched onto, and the old call's relay reads nothing of the new one.
func TestWarmPairDrainsStalePackets(t *testing.T) {
	t.Parallel()
	pool := warmPool(t, 61700, 61719, WithQuarantine(0))
	phoneOf := func() *phone { return &phone{t: t, ports: mustAllocate(t, pool), buf: make([]byte, 2048)} }
	oldPhone, pb, newPh := phoneOf(), phoneOf(), phoneOf()

	la, lb := mustAllocate(t, pool), mustAllocate(t, pool)
	a1, b1 := NewLeg(la), NewLeg(lb)
	a1.SetRemote(oldPhone.rtpAddr())
	b1.SetRemote(pb.rtpAddr())
	r1 := NewRelay(a1, b1)
	if err := r1.Start(); err != nil {
		t.Fatal(err)
	}
	oldPhone.sendRTP(a1, audio(1, 0, 0xE), frame(0xEE))
	pb.recvRTP()
	r1.Close()
	pool.Release(la)
	pool.Release(lb)

	// The old phone goes on sending to the warm pair.
	oldPhone.sendRTP(a1, audio(2, 160, 0xE), frame(0xEE))
	oldPhone.sendRTCP(a1, receiverReport(0xE))
	waitFor(t, "the stale packets to be queued", func() bool { return queued(t, la.RTP) && queued(t, la.RTCP) })

	la2, lb2 := mustAllocate(t, pool), mustAllocate(t, pool)
	if !sameSockets(la2, la) || !sameSockets(lb2, lb) {
		t.Fatal("the warm pairs were not reused")
	}
	if queued(t, la2.RTP) || queued(t, la2.RTCP) {
		t.Fatal("stale packets left on a reused pair")
	}
	a2, b2 := NewLeg(la2), NewLeg(lb2) // a2 latches onto what it receives first
	b2.SetRemote(pb.rtpAddr())
	r2 := NewRelay(a2, b2)
	if err := r2.Start(); err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	newPh.sendRTP(a2, audio(7, 0, 0x1), frame(0x11))
	if got := pb.recvRTP(); got.Payload[0] != 0x11 {
		t.Fatalf("the new call forwarded a payload of %#x first, want the new phone's 0x11", got.Payload[0])
	}
	newPh.sendRTCP(a2, receiverReport(0x1))
	pb.recvRTCP()
	if got, want := a2.Remote().String(), newPh.rtpAddr().String(); got != want {
		t.Errorf("new leg latched RTP to %s, want %s", got, want)
	}
	if got, want := a2.RemoteRTCP().String(), newPh.rtcpAddr().String(); got != want {
		t.Errorf("new leg latched RTCP to %s, want %s", got, want)
	}
	if c := r2.Counters(AToB); c.Packets != 1 || c.RTCP != 1 || c.Dropped != 0 {
		t.Errorf("new relay counters %+v, want 1 packet, 1 RTCP, none dropped", c)
	}
	if c := r1.Counters(AToB); c.Packets != 1 || c.RTCP != 0 {
		t.Errorf("old relay counters %+v after its pair was reused, want its 1 packet", c)
	}
}

// TestWarmPairsNoLeak runs many calls through a pool that keeps a few
// pairs warm: pairs are reused, no descriptor or goroutine is left, and
// Close closes the warm sockets. It is not parallel, so that it alone
// opens descriptors and starts relays while it runs.
func TestWarmPairsNoLeak(t *testing.T) {
	waitFor(t, "relays of earlier tests to stop", func() bool { return relayGoroutines() == 0 })
	newCall(t).r.Close() // the pollers, made on first use, exist from now on
	const warm = 8
	base, fds := runtime.NumGoroutine(), openFDs(t)
	pool, err := NewPortPool(loopback, 61740, 61799, WithWarmPairs(warm), WithQuarantine(0))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[*net.UDPConn]bool{}
	allocs, reused := 0, 0
	for i := range 200 {
		var ps [4]*Ports // two phones, two legs
		for j := range ps {
			ps[j] = mustAllocate(t, pool)
			allocs++
			if seen[ps[j].RTP] {
				reused++
			}
			seen[ps[j].RTP] = true
		}
		pa := &phone{t: t, ports: ps[0], buf: make([]byte, 2048)}
		pb := &phone{t: t, ports: ps[1], buf: make([]byte, 2048)}
		a, b := NewLeg(ps[2]), NewLeg(ps[3])
		a.SetRemote(pa.rtpAddr())
		b.SetRemote(pb.rtpAddr())
		r := NewRelay(a, b)
		if err := r.Start(); err != nil {
			t.Fatal(err)
		}
		pa.sendRTP(a, audio(uint16(i), 0, 0xA), frame(byte(i)))
		if got := pb.recvRTP(); got.Payload[0] != byte(i) {
			t.Fatalf("call %d: payload %#x, want %#x", i, got.Payload[0], byte(i))
		}
		pb.sendRTCP(b, receiverReport(0xB))
		pa.recvRTCP()
		r.Close()
		for _, p := range ps {
			pool.Release(p)
		}
		if n := openFDs(t); n > fds+2*warm {
			t.Fatalf("call %d: %d descriptors open, %d before: more than the %d warm pairs hold", i, n, fds, warm)
		}
	}
	if reused < allocs/2 {
		t.Errorf("%d of %d allocations reused a warm pair", reused, allocs)
	}
	waitFor(t, "relay goroutines to stop", func() bool { return relayGoroutines() == 0 })
	waitFor(t, "goroutines to return to the baseline", func() bool { return runtime.NumGoroutine() <= base })
	if err := pool.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(recvTimeout)
	for n := openFDs(t); n != fds; n = openFDs(t) {
		if time.Now().After(deadline) {
			t.Fatalf("%d descriptors open after Close, %d before the pool", n, fds)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPortPoolOutOfDescriptors: when no socket can be opened, Allocate
// stops trying the range at the first failure and takes a warm pair, even
// in quarantine. Not parallel: it lowers the process's descriptor limit.
func TestPortPoolOutOfDescriptors(t *testing.T) {
	pool := warmPool(t, 61800, 61899, WithQuarantine(time.Hour))
	p1 := mustAllocate(t, pool)
	pool.Release(p1)
	var saved syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &saved); err != nil {
		t.Fatal(err)
	}
	low := saved
	low.Cur = uint64(lowestFreeFD(t)) // a new descriptor would take that number
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	p2, err2 := pool.Allocate()
	_, err3 := pool.Allocate()
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &saved); err != nil {
		t.Fatal(err)
	}
	if err2 != nil || !sameSockets(p2, p1) {
		t.Fatalf("out of descriptors: %v, want the warm pair", err2)
	}
	if !errors.Is(err3, ErrNoPorts) || !errors.Is(err3, syscall.EMFILE) {
		t.Errorf("out of descriptors and warm pairs: %v, want ErrNoPorts and EMFILE", err3)
	}
	if pool.Free() != 50-1 {
		t.Errorf("Free = %d, want 49", pool.Free())
	}
	pool.Release(p2)
}
