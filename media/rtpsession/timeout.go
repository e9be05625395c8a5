package rtpsession

import (
	"sync"
	"sync/atomic"
	"time"
)

// idleWatch is the media timeout of a relay or an endpoint: fire is called
// once when no RTP packet has arrived for the timeout. Packets only store
// the time they arrived (last); the timer looks at it when the timeout
// could first have expired and re-arms itself for the rest, so flowing
// media costs one timer run per timeout period.
type idleWatch struct {
	last  atomic.Int64 // clock of the newest RTP packet (see now), 0 if none
	from  atomic.Int64 // clock when the count (re)started
	off   atomic.Bool  // suspended (setEnabled(false))
	fired atomic.Bool

	d    time.Duration
	fire func()

	mu      sync.Mutex // guards timer and stopped
	timer   *time.Timer
	stopped bool
}

// start counts from now and arms the timer; with no timeout it only keeps
// the packet clock. fire may be nil (fired is still set).
func (w *idleWatch) start(d time.Duration, fire func()) {
	w.from.Store(now())
	if d <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d, w.fire = d, fire
	w.timer = time.AfterFunc(d, w.check)
}

// stop disarms the timer for good.
func (w *idleWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
	}
}

// check runs on the timer.
func (w *idleWatch) check() {
	w.mu.Lock()
	if w.stopped || w.fired.Load() {
		w.mu.Unlock()
		return
	}
	if w.off.Load() {
		w.timer.Reset(w.d)
		w.mu.Unlock()
		return
	}
	since := max(w.last.Load(), w.from.Load())
	if idle := time.Duration(now() - since); idle < w.d {
		w.timer.Reset(w.d - idle)
		w.mu.Unlock()
		return
	}
	w.fired.Store(true)
	w.mu.Unlock()
	if w.fire != nil {
		w.fire()
	}
}

// setEnabled suspends (false) or resumes (true, the default) the count;
// resuming restarts it from now.
func (w *idleWatch) setEnabled(on bool) {
	if on {
		w.from.Store(now())
	}
	w.off.Store(!on)
}

// lastActivity is when the newest RTP packet arrived, or the zero time.
func (w *idleWatch) lastActivity() time.Time {
	t := w.last.Load()
	if t == 0 {
		return time.Time{}
	}
	return epoch.Add(time.Duration(t))
}

// SetTimeoutEnabled suspends (false) or resumes (true, the default) the
// media timeout, for a call on hold where a phone may stop sending.
// Resuming restarts the count from now.
func (r *Relay) SetTimeoutEnabled(on bool) { r.idle.setEnabled(on) }

// TimedOut reports whether the media timeout has expired.
func (r *Relay) TimedOut() bool { return r.idle.fired.Load() }

// LastActivity returns when the newest RTP packet arrived from either leg
// (whether forwarded or withheld), or the zero time if none has.
func (r *Relay) LastActivity() time.Time { return r.idle.lastActivity() }
