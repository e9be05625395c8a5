package eventlog

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestEventLogResume(t *testing.T) {
	t.Parallel()
	l := New[string](4)
	for range 6 {
		l.Append(func(int64) string { return "x" })
	}
	cases := []struct {
		name  string
		after int64
		want  []int64
		ok    bool
	}{
		{"all retained", 2, []int64{3, 4, 5, 6}, true},
		{"resume mid", 4, []int64{5, 6}, true},
		{"up to date", 6, nil, true},
		{"too old", 1, nil, false},
		{"from zero: every event retained", 0, []int64{3, 4, 5, 6}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, seqs, _, err := l.Since(tc.after)
			ok := err == nil
			if ok != tc.ok || len(seqs) != len(tc.want) {
				t.Fatalf("Since(%d) = %d events, %v", tc.after, len(seqs), ok)
			}
			for i, s := range seqs {
				if s != tc.want[i] {
					t.Errorf("event %d has sequence %d, want %d", i, s, tc.want[i])
				}
			}
		})
	}
}

func TestEventLogFollow(t *testing.T) {
	t.Parallel()
	l := New[string](16)
	l.Append(func(int64) string { return "x" })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan int64, 8)
	done := make(chan error, 1)
	go func() {
		done <- l.Follow(ctx, 0, func(seq int64, _ string) error {
			got <- seq
			if seq == 3 {
				return errStop
			}
			return nil
		})
	}()
	if s := <-got; s != 1 {
		t.Fatalf("first = %d", s)
	}
	l.Append(func(int64) string { return "x" })
	l.Append(func(int64) string { return "x" })
	for _, want := range []int64{2, 3} {
		if s := <-got; s != want {
			t.Fatalf("got %d, want %d", s, want)
		}
	}
	if err := <-done; !errors.Is(err, errStop) {
		t.Fatalf("follow returned %v", err)
	}
	if err := l.Follow(ctx, -5, nil); !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("Follow(-5) = %v", err)
	}
}

var errStop = errors.New("stop")

// TestEventLogRanges: 0 means every event retained (even after older ones
// were dropped); a sequence newer than the newest is ErrAhead (the log
// restarted), which is also ErrOutOfRange.
func TestEventLogRanges(t *testing.T) {
	l := New[int](3)
	for i := range 5 {
		l.Append(func(int64) int { return i })
	}
	evs, seqs, _, err := l.Since(0)
	if err != nil || len(evs) != 3 || seqs[0] != 3 {
		t.Fatalf("Since(0) = %v %v %v; want the 3 retained from 3", evs, seqs, err)
	}
	if _, _, _, err := l.Since(1); !errors.Is(err, ErrOutOfRange) || errors.Is(err, ErrAhead) {
		t.Fatalf("Since(1) = %v; want ErrOutOfRange", err)
	}
	if _, _, _, err := l.Since(5); err != nil {
		t.Fatalf("Since(newest) = %v", err)
	}
	if _, _, _, err := l.Since(6); !errors.Is(err, ErrAhead) || !errors.Is(err, ErrOutOfRange) {
		t.Fatalf("Since(6) = %v; want ErrAhead", err)
	}
}
