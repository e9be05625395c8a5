package switchsvc

import (
	"context"
	"errors"
	"testing"
	"time"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
)

func TestEventLogResume(t *testing.T) {
	t.Parallel()
	l := newEventLog(4)
	for range 6 {
		l.append(&switchv1.Event{})
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
		{"from zero when pruned", 0, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			evs, _, ok := l.since(tc.after)
			if ok != tc.ok || len(evs) != len(tc.want) {
				t.Fatalf("since(%d) = %d events, %v", tc.after, len(evs), ok)
			}
			for i, ev := range evs {
				if ev.Sequence != tc.want[i] {
					t.Errorf("event %d has sequence %d, want %d", i, ev.Sequence, tc.want[i])
				}
			}
		})
	}
}

func TestEventLogFollow(t *testing.T) {
	t.Parallel()
	l := newEventLog(16)
	l.append(&switchv1.Event{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan int64, 8)
	done := make(chan error, 1)
	go func() {
		done <- l.follow(ctx, 0, func(ev *switchv1.Event) error {
			got <- ev.Sequence
			if ev.Sequence == 3 {
				return errStop
			}
			return nil
		})
	}()
	if s := <-got; s != 1 {
		t.Fatalf("first = %d", s)
	}
	l.append(&switchv1.Event{})
	l.append(&switchv1.Event{})
	for _, want := range []int64{2, 3} {
		if s := <-got; s != want {
			t.Fatalf("got %d, want %d", s, want)
		}
	}
	if err := <-done; !errors.Is(err, errStop) {
		t.Fatalf("follow returned %v", err)
	}
	if err := l.follow(ctx, -5, nil); !errors.Is(err, errOutOfRange) && err != nil {
		t.Fatalf("follow(-5) = %v", err)
	}
}

var errStop = errors.New("stop")
