package store

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

func revisions(cs []config.Change) []int64 {
	return convert(cs, func(c config.Change) int64 { return c.Revision })
}

func testChanges(t *testing.T, open backend) {
	ctx := t.Context()
	s := open(t)
	if rev, err := s.Revision(ctx); err != nil || rev != 0 {
		t.Fatalf("Revision of an empty store = %d, %v; want 0", rev, err)
	}
	if cs, err := s.Changes(ctx, 0, 10); err != nil || len(cs) != 0 {
		t.Fatalf("Changes of an empty store = %v, %v; want none", cs, err)
	}
	f := fixture{s: s}
	hq, _, err := s.Bootstrap(ctx, testBootstrapConfig())
	if err != nil {
		t.Fatal(err)
	}
	site := f.site(t, "Paris")               // revision 5
	user := f.userAt(t, "1001", site.ID, "") // 6
	dev := f.device(t, user.ID, "u1001")     // 7
	in := *site
	in.Description = "updated"
	updatedSite, err := s.UpdateSite(ctx, &in) // 8
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDevice(ctx, dev.ID, dev.Version); err != nil { // 9
		t.Fatal(err)
	}
	if rev := f.revision(t); rev != 9 {
		t.Fatalf("Revision = %d, want 9", rev)
	}

	all, err := s.Changes(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9}, revisions(all)); diff != "" {
		t.Fatalf("revisions (-want +got):\n%s", diff)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Time.Before(all[i-1].Time) {
			t.Errorf("change %d is older than change %d", all[i].Revision, all[i-1].Revision)
		}
	}
	dp, _ := s.GetDialPlan(ctx)
	want := []config.Change{
		{Revision: 3, Time: hq.Updated, Kind: config.KindServer, ResourceID: hq.ID, Op: config.OpCreated, Resource: hq},
		{Revision: 4, Time: dp.Updated, Kind: config.KindDialPlan, Op: config.OpCreated, Resource: dp},
		{Revision: 5, Time: site.Updated, Kind: config.KindSite, ResourceID: site.ID, Op: config.OpCreated, Resource: site},
		{Revision: 6, Time: user.Updated, Kind: config.KindUser, ResourceID: user.ID, Op: config.OpCreated, Resource: user},
		{Revision: 7, Time: dev.Updated, Kind: config.KindDevice, ResourceID: dev.ID, Op: config.OpCreated, Resource: dev},
		{Revision: 8, Time: updatedSite.Updated, Kind: config.KindSite, ResourceID: site.ID, Op: config.OpUpdated,
			Resource: updatedSite},
		{Revision: 9, Time: all[8].Time, Kind: config.KindDevice, ResourceID: dev.ID, Op: config.OpDeleted,
			Resource: dev},
	}
	if diff := cmp.Diff(want, all[2:]); diff != "" {
		t.Fatalf("changes (-want +got):\n%s", diff)
	}
	if _, ok := all[0].Resource.(*config.ClassOfService); !ok {
		t.Fatalf("change 1 resource is %T, want *config.ClassOfService", all[0].Resource)
	}
}

func testChangesPaging(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open) // revisions 1-4
	for i := range 5 {       // 5-9
		f.site(t, fmt.Sprintf("Site %d", i))
	}
	s := f.s
	pages := []struct {
		after int64
		limit int
		want  []int64
	}{
		{0, 3, []int64{1, 2, 3}},
		{2, 3, []int64{3, 4, 5}},
		{7, 10, []int64{8, 9}},
		{9, 10, []int64{}},
		{42, 10, []int64{}},
	}
	for _, p := range pages {
		cs, err := s.Changes(ctx, p.after, p.limit)
		if err != nil {
			t.Fatalf("Changes(%d, %d): %v", p.after, p.limit, err)
		}
		if diff := cmp.Diff(p.want, revisions(cs)); diff != "" {
			t.Errorf("Changes(%d, %d) (-want +got):\n%s", p.after, p.limit, diff)
		}
	}
	_, err := s.Changes(ctx, 0, 0)
	wantCategory(t, err, derrors.InvalidArgument)
	_, err = s.Changes(ctx, -1, 10)
	wantCategory(t, err, derrors.InvalidArgument)
}

func testChangesRetention(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open, WithChangeRetention(3)) // revisions 1-4, keeps 2-4
	_, err := f.s.Changes(ctx, 0, 10)
	wantCategory(t, err, derrors.OutOfRange)
	cs, err := f.s.Changes(ctx, 1, 10)
	if err != nil || !cmp.Equal([]int64{2, 3, 4}, revisions(cs)) {
		t.Fatalf("Changes(1) = %v, %v; want 2-4", revisions(cs), err)
	}
	for i := range 5 { // revisions 5-9, keeps 7-9
		f.site(t, fmt.Sprintf("Site %d", i))
	}
	// A failed write prunes nothing.
	_, err = f.s.CreateSite(ctx, &config.Site{Name: "Site 0"})
	wantCategory(t, err, derrors.AlreadyExists)

	if rev := f.revision(t); rev != 9 {
		t.Fatalf("Revision = %d, want 9", rev)
	}
	for _, after := range []int64{0, 1, 4, 5} {
		_, err := f.s.Changes(ctx, after, 10)
		wantCategory(t, err, derrors.OutOfRange)
	}
	for after, want := range map[int64][]int64{6: {7, 8, 9}, 7: {8, 9}, 9: {}} {
		cs, err := f.s.Changes(ctx, after, 10)
		if err != nil || !cmp.Equal(want, revisions(cs)) {
			t.Errorf("Changes(%d) = %v, %v; want %v", after, revisions(cs), err, want)
		}
	}
}
