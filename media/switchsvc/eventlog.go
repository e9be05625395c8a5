package switchsvc

import (
	"context"
	"sync"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
)

// eventLog numbers events and keeps the newest ones so that a watcher can
// resume after a disconnect from the last sequence it saw.
type eventLog struct {
	mu      sync.Mutex
	ring    []*switchv1.Event // ring[seq % len(ring)]
	next    int64             // sequence of the next event (first is 1)
	changed chan struct{}     // closed and replaced on every append
}

func newEventLog(retain int) *eventLog {
	return &eventLog{ring: make([]*switchv1.Event, retain), next: 1, changed: make(chan struct{})}
}

// append numbers ev and stores it.
func (l *eventLog) append(ev *switchv1.Event) {
	l.mu.Lock()
	ev.Sequence = l.next
	l.ring[l.next%int64(len(l.ring))] = ev
	l.next++
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// oldest is the smallest sequence still retained. Callers hold l.mu.
func (l *eventLog) oldest() int64 {
	return max(1, l.next-int64(len(l.ring)))
}

// since returns the retained events after seq, a channel closed when more
// arrive, and false when seq is older than what is retained.
func (l *eventLog) since(seq int64) ([]*switchv1.Event, <-chan struct{}, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if seq+1 < l.oldest() {
		return nil, nil, false
	}
	var out []*switchv1.Event
	for s := max(seq+1, l.oldest()); s < l.next; s++ {
		out = append(out, l.ring[s%int64(len(l.ring))])
	}
	return out, l.changed, true
}

// follow calls fn for every event after seq, then for new ones as they
// come, until ctx ends or fn fails. It returns errOutOfRange when seq is
// too old.
func (l *eventLog) follow(ctx context.Context, seq int64, fn func(*switchv1.Event) error) error {
	for {
		evs, wake, ok := l.since(seq)
		if !ok {
			return errOutOfRange
		}
		for _, ev := range evs {
			if err := fn(ev); err != nil {
				return err
			}
			seq = ev.Sequence
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}
