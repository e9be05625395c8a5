// Package eventlog is a bounded, sequenced event log that watchers follow
// and resume from the last sequence they saw: the switch's event stream
// and the call-control event stream are both built on it.
package eventlog

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrOutOfRange means the sequence asked for is older than the log keeps.
var ErrOutOfRange = errors.New("eventlog: sequence is older than the retained events")

// ErrAhead means the sequence asked for is newer than the newest event:
// the log was started anew (a restarted process) since the watcher saw
// it. It matches ErrOutOfRange too: either way the watcher re-lists.
var ErrAhead = fmt.Errorf("%w (it is newer than the newest event: the log restarted)", ErrOutOfRange)

// Log keeps the newest events, numbered from 1.
type Log[T any] struct {
	mu      sync.Mutex
	ring    []entry[T]
	next    int64         // sequence of the next event
	changed chan struct{} // closed and replaced on every append
}

type entry[T any] struct {
	seq int64
	ev  T
}

// New returns a log that retains the newest retain events.
func New[T any](retain int) *Log[T] {
	return &Log[T]{ring: make([]entry[T], max(retain, 1)), next: 1, changed: make(chan struct{})}
}

// Append numbers an event (build receives its sequence) and stores it.
func (l *Log[T]) Append(build func(seq int64) T) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	seq := l.next
	l.ring[seq%int64(len(l.ring))] = entry[T]{seq: seq, ev: build(seq)}
	l.next++
	close(l.changed)
	l.changed = make(chan struct{})
	return seq
}

// Last returns the newest sequence (0 before the first event).
func (l *Log[T]) Last() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next - 1
}

// oldest is the smallest sequence still retained. Callers hold l.mu.
func (l *Log[T]) oldest() int64 { return max(1, l.next-int64(len(l.ring))) }

// Since returns the events after seq with their sequences, a channel
// closed when more arrive, ErrOutOfRange when seq is too old and ErrAhead
// when it is newer than any event. Seq 0 means every event retained.
func (l *Log[T]) Since(seq int64) ([]T, []int64, <-chan struct{}, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case seq >= l.next:
		return nil, nil, nil, ErrAhead
	case seq < 0 || (seq > 0 && seq+1 < l.oldest()):
		return nil, nil, nil, ErrOutOfRange
	}
	var evs []T
	var seqs []int64
	for s := max(seq+1, l.oldest()); s < l.next; s++ {
		e := l.ring[s%int64(len(l.ring))]
		evs = append(evs, e.ev)
		seqs = append(seqs, e.seq)
	}
	return evs, seqs, l.changed, nil
}

// Follow calls fn for every event after seq, then for new ones as they
// come, until ctx ends or fn fails.
func (l *Log[T]) Follow(ctx context.Context, seq int64, fn func(seq int64, ev T) error) error {
	for {
		evs, seqs, wake, err := l.Since(seq)
		if err != nil {
			return err
		}
		for i, ev := range evs {
			if err := fn(seqs[i], ev); err != nil {
				return err
			}
			seq = seqs[i]
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		}
	}
}
