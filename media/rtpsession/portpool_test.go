package rtpsession

import (
	"errors"
	"net"
	"sync"
	"testing"
)

// The PortPool tests use ranges within 61000-61999, each its own.
var loopback = net.IPv4(127, 0, 0, 1)

func TestNewPortPool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		min, max int
		pairs    int // 0: an error is expected
	}{
		{"odd start", 10001, 10100, 0},
		{"end equals start", 10000, 10000, 0},
		{"end below start", 10000, 9000, 0},
		{"zero start", 0, 100, 0},
		{"end above 65535", 65000, 65536, 0},
		{"one pair", 10000, 10001, 1},
		{"odd end keeps its pair", 10000, 10199, 100},
		{"even end drops the lone port", 10000, 10200, 100},
		{"to the last port", 65000, 65535, 268},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := NewPortPool(loopback, tc.min, tc.max)
			if tc.pairs == 0 {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Size() != tc.pairs || p.Free() != tc.pairs {
				t.Errorf("Size %d Free %d, want %d", p.Size(), p.Free(), tc.pairs)
			}
		})
	}
}

func TestPortPoolChurn(t *testing.T) {
	t.Parallel()
	pool, err := NewPortPool(loopback, 61000, 61199)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for i := range 5000 {
		p, err := pool.Allocate()
		if err != nil {
			t.Fatalf("allocation %d: %v", i, err)
		}
		if p.RTPPort()%2 != 0 || p.RTPPort() < 61000 || p.RTCPPort() > 61199 {
			t.Fatalf("pair %d/%d outside the range or odd", p.RTPPort(), p.RTCPPort())
		}
		if p.LocalRTP().Port != p.RTPPort() || p.LocalRTCP().Port != p.RTPPort()+1 {
			t.Fatalf("sockets bound to %v and %v for pair %d", p.LocalRTP(), p.LocalRTCP(), p.RTPPort())
		}
		seen[p.RTPPort()] = true
		pool.Release(p)
		pool.Release(p) // a second release is harmless
	}
	if pool.Free() != 100 {
		t.Errorf("Free = %d after churn, want 100", pool.Free())
	}
	if len(seen) != 100 {
		t.Errorf("%d distinct pairs used, want all 100 (released pairs go to the back)", len(seen))
	}
	pool.Release(nil)
}

func TestPortPoolConcurrent(t *testing.T) {
	t.Parallel()
	pool, err := NewPortPool(loopback, 61200, 61399)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		held = map[int]*Ports{}
		wg   sync.WaitGroup
	)
	// Many goroutines allocate until the pool runs dry, churning on the way.
	for range 32 {
		wg.Go(func() {
			for i := 0; ; i++ {
				p, err := pool.Allocate()
				if errors.Is(err, ErrNoPorts) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if held[p.RTPPort()] != nil {
					t.Errorf("port %d handed out twice", p.RTPPort())
				}
				held[p.RTPPort()] = p
				mu.Unlock()
				if i%3 == 0 { // give some back while others allocate
					mu.Lock()
					delete(held, p.RTPPort())
					mu.Unlock()
					pool.Release(p)
				}
			}
		})
	}
	wg.Wait()
	// A goroutine that found the pool dry may have quit while others still
	// gave pairs back: take what is left.
	for {
		p, err := pool.Allocate()
		if err != nil {
			break
		}
		if held[p.RTPPort()] != nil {
			t.Errorf("port %d handed out twice", p.RTPPort())
		}
		held[p.RTPPort()] = p
	}
	if len(held) != 100 || pool.Free() != 0 {
		t.Errorf("%d pairs held and %d free after exhaustion, want 100 and 0", len(held), pool.Free())
	}
	for _, p := range held {
		pool.Release(p)
	}
	if pool.Free() != 100 {
		t.Errorf("Free = %d after releasing all, want 100", pool.Free())
	}
}

func TestPortPoolSkipsPortsInUse(t *testing.T) {
	t.Parallel()
	// Another program holds the RTP port of one pair and the RTCP port of
	// another.
	for _, port := range []int{61402, 61405} {
		c, err := net.ListenUDP("udp", &net.UDPAddr{IP: loopback, Port: port})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	pool, err := NewPortPool(loopback, 61400, 61409)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for {
		p, err := pool.Allocate()
		if err != nil {
			if !errors.Is(err, ErrNoPorts) {
				t.Fatalf("error %v, want ErrNoPorts", err)
			}
			break
		}
		defer pool.Release(p)
		got = append(got, p.RTPPort())
	}
	want := []int{61400, 61406, 61408}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("allocated %v, want %v", got, want)
	}
	if pool.Free() != 2 {
		t.Errorf("Free = %d, want the 2 pairs another program holds", pool.Free())
	}
}
