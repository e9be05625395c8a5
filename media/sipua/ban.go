package sipua

import (
	"log/slog"
	"sync"
	"time"
)

// banList rate-limits failed authentication per source IP: more than
// maxFailures failures within window bans the source for banFor. Bans and
// unbans are logged. Memory is bounded by pruning idle entries.
type banList struct {
	maxFailures int
	window      time.Duration
	banFor      time.Duration
	log         *slog.Logger
	now         func() time.Time

	mu      sync.Mutex
	sources map[string]*failures
}

type failures struct {
	count       int
	windowStart time.Time
	bannedUntil time.Time
}

func newBanList(maxFailures int, window, banFor time.Duration, log *slog.Logger) *banList {
	return &banList{maxFailures: maxFailures, window: window, banFor: banFor, log: log,
		now: time.Now, sources: make(map[string]*failures)}
}

// banned reports whether ip is banned now, and logs the unban when a ban
// has run out.
func (b *banList) banned(ip string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	f, ok := b.sources[ip]
	if !ok || f.bannedUntil.IsZero() {
		return false
	}
	if b.now().Before(f.bannedUntil) {
		return true
	}
	delete(b.sources, ip)
	b.log.Info("sip: unbanned source after failed authentications", "source", ip)
	return false
}

// fail records a failed authentication from ip and reports whether it is
// now banned.
func (b *banList) fail(ip string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	f, ok := b.sources[ip]
	if !ok || now.Sub(f.windowStart) > b.window {
		if len(b.sources) > 100_000 {
			b.pruneLocked(now)
		}
		f = &failures{windowStart: now}
		b.sources[ip] = f
	}
	f.count++
	if f.count > b.maxFailures && f.bannedUntil.IsZero() {
		f.bannedUntil = now.Add(b.banFor)
		b.log.Warn("sip: banned source after failed authentications", "source", ip,
			"failures", f.count, "window", b.window, "until", f.bannedUntil.Format(time.RFC3339))
		return true
	}
	return !f.bannedUntil.IsZero()
}

// succeed forgets earlier failures of ip.
func (b *banList) succeed(ip string) {
	b.mu.Lock()
	if f, ok := b.sources[ip]; ok && f.bannedUntil.IsZero() {
		delete(b.sources, ip)
	}
	b.mu.Unlock()
}

func (b *banList) pruneLocked(now time.Time) {
	for ip, f := range b.sources {
		if now.Sub(f.windowStart) > b.window && (f.bannedUntil.IsZero() || now.After(f.bannedUntil)) {
			delete(b.sources, ip)
		}
	}
}
