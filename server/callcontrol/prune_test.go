package callcontrol

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	switchv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/switch/v1"
	"github.com/switchboard-pbx/switchboard/server/config"
)

func leg(call, id, user string, st switchv1.LegState) *switchv1.Leg {
	return &switchv1.Leg{Id: id, CallId: call, UserId: user, State: st}
}

// TestPruneForgetsOnlyEndedCalls keeps calls with a live line and forgets
// those whose every line ended longer than keep ago.
func TestPruneForgetsOnlyEndedCalls(t *testing.T) {
	s := New(nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.users["u1"] = config.User{Extension: "1001"}
	s.users["u2"] = config.User{Extension: "1002"}
	ctx := context.Background()
	const ended = 50
	for i := range ended {
		call := fmt.Sprintf("c%d", i)
		s.onLeg(ctx, nil, leg(call, call+"a", "u1", switchv1.LegState_LEG_STATE_ANSWERED))
		s.onLeg(ctx, nil, leg(call, call+"a", "u1", switchv1.LegState_LEG_STATE_ENDED))
	}
	// A call with one line ended and the other still connected.
	s.onLeg(ctx, nil, leg("live", "la", "u1", switchv1.LegState_LEG_STATE_ANSWERED))
	s.onLeg(ctx, nil, leg("live", "lb", "u2", switchv1.LegState_LEG_STATE_ANSWERED))
	s.onLeg(ctx, nil, leg("live", "la", "u1", switchv1.LegState_LEG_STATE_ENDED))
	if len(s.byCall) != ended+1 {
		t.Fatalf("%d calls kept before keep passed, want %d", len(s.byCall), ended+1)
	}
	s.mu.Lock()
	s.keep = time.Nanosecond
	s.mu.Unlock()
	time.Sleep(time.Millisecond)
	s.onLeg(ctx, nil, leg("live", "lb", "u2", switchv1.LegState_LEG_STATE_ANSWERED)) // any event prunes
	if _, ok := s.byCall["live"]; !ok || len(s.byCall) != 1 {
		t.Fatalf("after pruning %d calls are kept (live kept: %v), want only the live one", len(s.byCall), ok)
	}
	if len(s.calls) != 2 || len(s.legs) != 2 {
		t.Fatalf("line calls %d, legs %d left; want 2 and 2", len(s.calls), len(s.legs))
	}
	s.onLeg(ctx, nil, leg("live", "lb", "u2", switchv1.LegState_LEG_STATE_ENDED))
	time.Sleep(time.Millisecond)
	s.onLeg(ctx, nil, leg("other", "oa", "u1", switchv1.LegState_LEG_STATE_ANSWERED))
	if _, ok := s.byCall["live"]; ok {
		t.Fatal("the call was kept after its last line ended")
	}
	if len(s.ended) != 0 {
		t.Fatalf("%d retired entries left in the queue", len(s.ended))
	}
}
