package store

import (
	"fmt"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// collect pages through list with size, checking every page, and returns
// the ids in the order they came.
func collect[T any](t *testing.T, size int, list func(config.Page) ([]T, error), id func(T) string) []string {
	t.Helper()
	var ids []string
	p := config.Page{Size: size}
	for range 100 {
		page, err := list(p)
		if err != nil {
			t.Fatalf("list %+v: %v", p, err)
		}
		if len(page) > size {
			t.Fatalf("list %+v returned %d items", p, len(page))
		}
		if len(page) == 0 {
			return ids
		}
		for _, item := range page {
			ids = append(ids, id(item))
		}
		p.After = ids[len(ids)-1]
	}
	t.Fatal("pagination did not end")
	return nil
}

func testPagination(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	wantSites := []string{f.siteID}
	var wantUsers []string
	for i := range 7 {
		wantSites = append(wantSites, f.site(t, fmt.Sprintf("Site %d", i)).ID)
		wantUsers = append(wantUsers, f.user(t, fmt.Sprintf("10%02d", i)).ID)
	}
	// UUIDv7 ids grow with creation time, so id order is creation order.
	if !sort.StringsAreSorted(wantSites) || !sort.StringsAreSorted(wantUsers) {
		t.Fatalf("ids are not in creation order: %v %v", wantSites, wantUsers)
	}
	for _, size := range []int{1, 3, 8, 50} {
		t.Run(fmt.Sprintf("size %d", size), func(t *testing.T) {
			sites := collect(t, size, func(p config.Page) ([]*config.Site, error) {
				return f.s.ListSites(ctx, p)
			}, func(s *config.Site) string { return s.ID })
			if diff := cmp.Diff(wantSites, sites); diff != "" {
				t.Errorf("sites (-want +got):\n%s", diff)
			}
			users := collect(t, size, func(p config.Page) ([]*config.User, error) {
				return f.s.ListUsers(ctx, p, config.Filter{})
			}, func(u *config.User) string { return u.ID })
			if diff := cmp.Diff(wantUsers, users); diff != "" {
				t.Errorf("users (-want +got):\n%s", diff)
			}
		})
	}
	page, err := f.s.ListSites(ctx, config.Page{Size: 3, After: wantSites[2]})
	if err != nil || len(page) != 3 || page[0].ID != wantSites[3] {
		t.Fatalf("ListSites after the third = %v, %v; want from %s", page, err, wantSites[3])
	}
	_, err = f.s.ListSites(ctx, config.Page{Size: 0})
	wantCategory(t, err, derrors.InvalidArgument)
}

func testFilters(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	branch := f.site(t, "Branch")
	staff, err := f.s.CreateClassOfService(ctx, &config.ClassOfService{Name: "Staff"})
	if err != nil {
		t.Fatal(err)
	}
	dvs, err := f.s.CreateServer(ctx, &config.Server{Name: "dvs", Role: config.RoleDVS, SiteID: branch.ID})
	if err != nil {
		t.Fatal(err)
	}
	hqDefault := f.userAt(t, "1001", f.siteID, f.cosID)
	hqStaff := f.userAt(t, "1002", f.siteID, staff.ID)
	brDefault := f.userAt(t, "2001", branch.ID, f.cosID)
	brStaff := f.userAt(t, "2002", branch.ID, staff.ID)
	d1 := f.device(t, hqStaff.ID, "d1")
	d2 := f.device(t, hqStaff.ID, "d2")
	f.device(t, brStaff.ID, "d3")

	page := config.Page{Size: 100}
	userIDs := func(flt config.Filter) []string {
		us, err := f.s.ListUsers(ctx, page, flt)
		if err != nil {
			t.Fatal(err)
		}
		return convert(us, func(u *config.User) string { return u.ID })
	}
	userTests := []struct {
		name string
		flt  config.Filter
		want []string
	}{
		{"none", config.Filter{}, []string{hqDefault.ID, hqStaff.ID, brDefault.ID, brStaff.ID}},
		{"site", config.Filter{SiteID: branch.ID}, []string{brDefault.ID, brStaff.ID}},
		{"class of service", config.Filter{ClassOfServiceID: staff.ID}, []string{hqStaff.ID, brStaff.ID}},
		{"both", config.Filter{SiteID: f.siteID, ClassOfServiceID: f.cosID}, []string{hqDefault.ID}},
		{"unknown site", config.Filter{SiteID: "nope"}, []string{}},
		{"user id is ignored", config.Filter{UserID: hqStaff.ID}, []string{hqDefault.ID, hqStaff.ID, brDefault.ID, brStaff.ID}},
	}
	for _, tc := range userTests {
		if diff := cmp.Diff(tc.want, userIDs(tc.flt)); diff != "" {
			t.Errorf("users, filter %s (-want +got):\n%s", tc.name, diff)
		}
	}
	servers, err := f.s.ListServers(ctx, page, config.Filter{SiteID: branch.ID})
	if err != nil || len(servers) != 1 || servers[0].ID != dvs.ID {
		t.Errorf("servers of the branch = %v, %v; want %s", servers, err, dvs.ID)
	}
	devices, err := f.s.ListDevices(ctx, page, config.Filter{UserID: hqStaff.ID})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{d1.ID, d2.ID}, convert(devices, func(d *config.Device) string { return d.ID })); diff != "" {
		t.Errorf("devices of a user (-want +got):\n%s", diff)
	}
	if all, err := f.s.ListDevices(ctx, page, config.Filter{}); err != nil || len(all) != 3 {
		t.Errorf("all devices = %d, %v; want 3", len(all), err)
	}
}
