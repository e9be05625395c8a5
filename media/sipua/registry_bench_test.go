package sipua

import (
	"fmt"
	"testing"
)

// BenchmarkCallRegistry measures one call's life in the registry (two legs
// and two dialogs added, then removed) while other calls are in progress,
// as at a steady call rate.
func BenchmarkCallRegistry(b *testing.B) {
	for _, live := range []int{100, 1000, 3000} {
		b.Run(fmt.Sprintf("live=%d", live), func(b *testing.B) {
			r := newCallRegistry()
			for i := range live {
				c := &call{}
				r.addLeg(fmt.Sprintf("leg-a-%d", i), c)
				r.addLeg(fmt.Sprintf("leg-b-%d", i), c)
				r.addDialog(fmt.Sprintf("dlg-a-%d", i), c)
				r.addDialog(fmt.Sprintf("dlg-b-%d", i), c)
			}
			ids := [4]string{"leg-a-x", "leg-b-x", "dlg-a-x", "dlg-b-x"}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				c := &call{}
				r.addLeg(ids[0], c)
				r.addLeg(ids[1], c)
				r.addDialog(ids[2], c)
				r.addDialog(ids[3], c)
				r.remove(c)
			}
		})
	}
}

// TestCallRegistryRemove checks that remove forgets a call's entries and
// only its own.
func TestCallRegistryRemove(t *testing.T) {
	t.Parallel()
	r := newCallRegistry()
	a, b := &call{}, &call{}
	r.addLeg("la", a)
	r.addDialog("da", a)
	r.addLeg("lb", b)
	r.addDialog("db", b)
	r.addDialog("shared", a)
	r.addDialog("shared", b) // a dialog id taken over by another call
	r.remove(a)
	if r.leg("la") != nil || r.dialog("da") != nil {
		t.Error("a's entries survived remove")
	}
	if r.leg("lb") != b || r.dialog("db") != b || r.dialog("shared") != b {
		t.Error("remove of a took b's entries")
	}
	r.remove(b)
	r.remove(b) // twice is harmless
	if len(r.byLeg)+len(r.byDialog)+len(r.keys) != 0 {
		t.Errorf("entries left: %d legs, %d dialogs, %d calls", len(r.byLeg), len(r.byDialog), len(r.keys))
	}
}
