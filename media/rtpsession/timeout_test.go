package rtpsession

import (
	"testing"
	"time"
)

const testTimeout = 100 * time.Millisecond

func timeoutCall(t *testing.T) (*call, chan time.Time) {
	fired := make(chan time.Time, 4)
	c := newCall(t, WithMediaTimeout(testTimeout), OnTimeout(func() { fired <- time.Now() }))
	return c, fired
}

func waitFired(t *testing.T, fired chan time.Time) time.Time {
	t.Helper()
	select {
	case at := <-fired:
		return at
	case <-time.After(recvTimeout):
		t.Fatal("the media timeout never fired")
	}
	return time.Time{}
}

// expectQuiet watches for a timeout that must not come: a negative can
// only be observed over a window, here several timeout periods.
func expectQuiet(t *testing.T, fired chan time.Time, window time.Duration) {
	t.Helper()
	select {
	case <-fired:
		t.Fatal("the media timeout fired")
	case <-time.After(window):
	}
}

func TestMediaTimeoutFiresOnce(t *testing.T) {
	t.Parallel()
	c, fired := timeoutCall(t)
	if !c.r.LastActivity().IsZero() {
		t.Error("LastActivity set before any RTP")
	}
	waitFired(t, fired)
	if !c.r.TimedOut() {
		t.Error("TimedOut false after the callback")
	}
	expectQuiet(t, fired, 3*testTimeout)
}

func TestMediaTimeoutNotWhileTrafficFlows(t *testing.T) {
	t.Parallel()
	c, fired := timeoutCall(t)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	// Traffic in one direction is enough; alternate to use both.
	var last time.Time
	for i := range 25 { // 5 timeout periods
		select {
		case <-fired:
			t.Fatalf("timeout fired while RTP flowed (packet %d)", i)
		case <-tick.C:
		}
		last = time.Now() // before the send: the relay sees the packet after this
		if i%2 == 0 {
			c.pa.sendRTP(c.a, audio(uint16(i), uint32(i)*160, 1), frame(1))
			c.pb.recvRTP()
		} else {
			c.pb.sendRTP(c.b, audio(uint16(i), uint32(i)*160, 2), frame(1))
			c.pa.recvRTP()
		}
	}
	at := waitFired(t, fired)
	if at.Sub(last) < testTimeout {
		t.Errorf("fired %v after the last packet, before the %v timeout", at.Sub(last), testTimeout)
	}
	if act := c.r.LastActivity(); act.Before(last) || act.Sub(last) > testTimeout {
		t.Errorf("LastActivity %v, last packet sent %v", act, last)
	}
}

func TestMediaTimeoutSuspendedOnHold(t *testing.T) {
	t.Parallel()
	c, fired := timeoutCall(t)
	c.r.SetTimeoutEnabled(false)
	expectQuiet(t, fired, 3*testTimeout)
	resumed := time.Now()
	c.r.SetTimeoutEnabled(true)
	at := waitFired(t, fired)
	if at.Sub(resumed) < testTimeout {
		t.Errorf("fired %v after resuming, before the %v timeout", at.Sub(resumed), testTimeout)
	}
}
