package rtpsession

import "time"

// checkTimeout runs on the timeout timer. Packets only store the time they
// arrived; the timer looks at it when the timeout could first have expired
// and re-arms itself for the rest, so a flowing call costs one timer run
// per timeout period.
func (r *Relay) checkTimeout() {
	r.mu.Lock()
	if r.state != stateRunning || r.fired.Load() {
		r.mu.Unlock()
		return
	}
	if !r.timeoutOn.Load() {
		r.timer.Reset(r.cfg.timeout)
		r.mu.Unlock()
		return
	}
	since := max(r.lastRTP.Load(), r.countFrom.Load())
	if idle := time.Duration(now() - since); idle < r.cfg.timeout {
		r.timer.Reset(r.cfg.timeout - idle)
		r.mu.Unlock()
		return
	}
	r.fired.Store(true)
	r.mu.Unlock()
	if r.cfg.onTimeout != nil {
		r.cfg.onTimeout()
	}
}

// SetTimeoutEnabled suspends (false) or resumes (true, the default) the
// media timeout, for a call on hold where a phone may stop sending.
// Resuming restarts the count from now.
func (r *Relay) SetTimeoutEnabled(on bool) {
	if on {
		r.countFrom.Store(now())
	}
	r.timeoutOn.Store(on)
}

// TimedOut reports whether the media timeout has expired.
func (r *Relay) TimedOut() bool { return r.fired.Load() }

// LastActivity returns when the newest RTP packet arrived from either leg
// (whether forwarded or withheld), or the zero time if none has.
func (r *Relay) LastActivity() time.Time {
	t := r.lastRTP.Load()
	if t == 0 {
		return time.Time{}
	}
	return epoch.Add(time.Duration(t))
}
