package sipua

import (
	"testing"

	"github.com/emiago/sipgo/sip"
)

func TestFailureSelection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		finals []int // 0 = no response
		code   int
		why    EndReason
	}{
		{"one busy", []int{486}, 486, EndBusy},
		{"busy beats unreachable device", []int{480, 486}, 486, EndBusy},
		{"busy everywhere", []int{600}, 486, EndBusy},
		{"decline wins", []int{486, 603}, 603, EndRejected},
		{"transport failures", []int{0, 0}, 480, EndUnreachable},
		{"device says not found", []int{404}, 404, EndUnreachable},
		{"server errors", []int{500, 0}, 480, EndUnreachable},
		{"not acceptable", []int{488}, 488, EndFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			best := 0
			for _, code := range tc.finals {
				ev := forkEvent{final: true}
				if code != 0 {
					ev.res = sip.NewResponse(code, "x")
				}
				best = betterFailure(best, ev)
			}
			code, _, why := failureFor(best)
			if code != tc.code || why != tc.why {
				t.Errorf("got %d/%v, want %d/%v", code, why, tc.code, tc.why)
			}
		})
	}
}

func TestEndReasonFor(t *testing.T) {
	t.Parallel()
	cases := map[int]EndReason{486: EndBusy, 600: EndBusy, 603: EndRejected, 487: EndCanceled,
		408: EndNoAnswer, 480: EndNoAnswer, 404: EndUnreachable, 488: EndFailed, 503: EndFailed}
	for code, want := range cases {
		if got := endReasonFor(code); got != want {
			t.Errorf("endReasonFor(%d) = %v, want %v", code, got, want)
		}
	}
}
