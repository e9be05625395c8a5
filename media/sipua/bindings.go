package sipua

import (
	"sort"
	"sync"
	"time"
)

// Binding is one registered contact of a device (RFC 3261 §10).
type Binding struct {
	DeviceID  string
	UserID    string
	Username  string // SIP user name (address of record)
	Contact   string // Contact URI as registered
	Source    string // ip:port the REGISTER came from
	Target    string // where requests to this contact go: Source for NAT-aware (rport) phones, else the Contact
	Transport string // "udp" or "tcp"
	UserAgent string
	Expires   time.Time
	CallID    string
}

// bindings is the registrar's location service.
type bindings struct {
	mu    sync.Mutex
	byAOR map[string]map[string]*Binding // username -> contact -> binding
}

func newBindings() *bindings { return &bindings{byAOR: make(map[string]map[string]*Binding)} }

// put adds or refreshes a binding and reports whether it is new.
func (bs *bindings) put(b Binding) (isNew bool) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	m := bs.byAOR[b.Username]
	if m == nil {
		m = make(map[string]*Binding)
		bs.byAOR[b.Username] = m
	}
	_, exists := m[b.Contact]
	m[b.Contact] = &b
	return !exists
}

// remove deletes one binding and returns it.
func (bs *bindings) remove(username, contact string) (Binding, bool) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b, ok := bs.byAOR[username][contact]
	if !ok {
		return Binding{}, false
	}
	delete(bs.byAOR[username], contact)
	if len(bs.byAOR[username]) == 0 {
		delete(bs.byAOR, username)
	}
	return *b, true
}

// removeAll deletes every binding of username and returns them.
func (bs *bindings) removeAll(username string) []Binding {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	out := make([]Binding, 0, len(bs.byAOR[username]))
	for _, b := range bs.byAOR[username] {
		out = append(out, *b)
	}
	delete(bs.byAOR, username)
	return out
}

// of returns the live bindings of username, oldest contact first.
func (bs *bindings) of(username string, now time.Time) []Binding {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	out := make([]Binding, 0, len(bs.byAOR[username]))
	for _, b := range bs.byAOR[username] {
		if b.Expires.After(now) {
			out = append(out, *b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Contact < out[j].Contact })
	return out
}

// expire removes bindings past their expiry and returns them.
func (bs *bindings) expire(now time.Time) []Binding {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	var out []Binding
	for aor, m := range bs.byAOR {
		for c, b := range m {
			if !b.Expires.After(now) {
				out = append(out, *b)
				delete(m, c)
			}
		}
		if len(m) == 0 {
			delete(bs.byAOR, aor)
		}
	}
	return out
}

// list returns every binding, by user name then contact.
func (bs *bindings) list() []Binding {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	var out []Binding
	for _, m := range bs.byAOR {
		for _, b := range m {
			out = append(out, *b)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Username != out[j].Username {
			return out[i].Username < out[j].Username
		}
		return out[i].Contact < out[j].Contact
	})
	return out
}
