package rtpsession

import (
	"errors"
	"sync"
	"testing"
)

type tapped struct {
	dir   Direction
	pt    uint8
	first byte
	size  int
}

// TestRelayTap checks what a tap sees: forwarded packets of both
// directions with the sender's payload type, nothing of a muted direction,
// and nothing once untapped.
func TestRelayTap(t *testing.T) {
	t.Parallel()
	c := newCall(t)
	c.r.SetPayloadMap(BToA, map[uint8]uint8{8: 0}) // the tap still sees 8
	var mu sync.Mutex
	var seen []tapped
	untap, err := c.r.Tap(func(dir Direction, pt uint8, payload []byte) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, tapped{dir, pt, payload[0], len(payload)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.r.Tap(func(Direction, uint8, []byte) {}); !errors.Is(err, ErrTapped) {
		t.Errorf("second tap: %v, want ErrTapped", err)
	}
	snapshot := func() []tapped {
		mu.Lock()
		defer mu.Unlock()
		return append([]tapped(nil), seen...)
	}
	// The tap runs before the packet is sent, so once the far phone has
	// it the tap call has returned.
	c.pa.sendRTP(c.a, audio(1, 0, 1), frame(1))
	c.pb.recvRTP()
	h := audio(1, 0, 2)
	h.PayloadType = 8
	c.pb.sendRTP(c.b, h, frame(2))
	c.pa.recvRTP()
	c.r.SetMute(AToB, true)
	c.pa.sendRTP(c.a, audio(2, 160, 1), frame(3)) // withheld
	c.pb.sendRTP(c.b, audio(2, 160, 2), frame(4))
	c.pa.recvRTP()
	want := []tapped{{AToB, 0, 1, 160}, {BToA, 8, 2, 160}, {BToA, 0, 4, 160}}
	if got := snapshot(); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("tap saw %+v, want %+v", got, want)
	}
	untap()
	untap()
	c.pb.sendRTP(c.b, audio(3, 320, 2), frame(5))
	c.pa.recvRTP()
	if got := snapshot(); len(got) != len(want) {
		t.Errorf("tap called after untap: %+v", got[len(want):])
	}
	// The relay can be tapped again.
	untap2, err := c.r.Tap(func(Direction, uint8, []byte) {})
	if err != nil {
		t.Fatal(err)
	}
	untap2()
}

// TestRelayTapNoAllocs is not parallel: AllocsPerRun refuses parallel
// tests.
func TestRelayTapNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	c := idleCall(t)
	var sum int
	if _, err := c.r.Tap(func(_ Direction, _ uint8, p []byte) { sum += int(p[0]) }); err != nil {
		t.Fatal(err)
	}
	d := &c.r.dirs[AToB]
	src := c.pa.rtpAddr().AddrPort()
	tmpl := marshalRTP(t, audio(1, 0, 0xA), frame(1))
	buf := make([]byte, packetBuffer)
	var seq uint16
	allocs := testing.AllocsPerRun(1000, func() {
		n := copy(buf, tmpl)
		seq++
		buf[2], buf[3] = byte(seq>>8), byte(seq)
		d.handleRTP(buf[:n], unmap(src))
	})
	if allocs != 0 {
		t.Errorf("%v allocations per packet", allocs)
	}
}
