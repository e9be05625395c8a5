package store

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

const writers = 20

// testConcurrentSameExtension races writers creating the same extension:
// exactly one wins, every other one gets AlreadyExists and nothing else.
func testConcurrentSameExtension(t *testing.T, open backend) {
	f := newFixture(t, open)
	before := f.revision(t)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = f.s.CreateUser(t.Context(), &config.User{
				Extension: "1001", FirstName: fmt.Sprint(i), SiteID: f.siteID,
			})
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case derrors.Category(err) != derrors.AlreadyExists:
			t.Errorf("writer %d: err = %v, want AlreadyExists", i, err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers succeeded, want exactly 1", won)
	}
	if after := f.revision(t); after != before+1 {
		t.Fatalf("revision went from %d to %d, want one change", before, after)
	}
}

// testConcurrentDistinctUsers races writers creating different users: all
// succeed, and their changes have distinct, gapless revisions.
func testConcurrentDistinctUsers(t *testing.T, open backend) {
	f := newFixture(t, open)
	before := f.revision(t)
	ids := make([]string, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			u, err := f.s.CreateUser(t.Context(), &config.User{Extension: fmt.Sprint(2000 + i), SiteID: f.siteID})
			if err == nil {
				ids[i] = u.ID
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	changes, err := f.s.Changes(t.Context(), before, 2*writers)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]int64, writers)
	for i := range want {
		want[i] = before + 1 + int64(i)
	}
	if diff := cmp.Diff(want, revisions(changes)); diff != "" {
		t.Fatalf("revisions (-want +got):\n%s", diff)
	}
	seen := map[string]bool{}
	for i, c := range changes {
		if i > 0 && c.Time.Before(changes[i-1].Time) {
			t.Errorf("change %d is older than change %d", c.Revision, changes[i-1].Revision)
		}
		u, ok := c.Resource.(*config.User)
		if !ok || c.Op != config.OpCreated || u.ID != c.ResourceID {
			t.Fatalf("change %d = %+v, want a user creation", c.Revision, c)
		}
		seen[u.ID] = true
	}
	for i, id := range ids {
		if !seen[id] {
			t.Errorf("user of writer %d (%s) has no change", i, id)
		}
	}
}
