package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

func testBootstrap(t *testing.T, open backend) {
	ctx := t.Context()
	s := open(t)
	if _, err := s.GetDialPlan(ctx); !isNotFound(err) {
		t.Fatalf("GetDialPlan before Bootstrap: err = %v, want NotFound", err)
	}
	hq, created, err := s.Bootstrap(ctx, testBootstrapConfig())
	if err != nil || !created {
		t.Fatalf("first Bootstrap = %v, %v; want created", created, err)
	}
	if hq.Role != config.RoleHQ || hq.Name != "hq" || hq.Version != 1 || hq.SiteID == "" {
		t.Fatalf("HQ server = %+v", hq)
	}
	again, created, err := s.Bootstrap(ctx, testBootstrapConfig())
	if err != nil || created {
		t.Fatalf("second Bootstrap = %v, %v; want not created", created, err)
	}
	if diff := cmp.Diff(hq, again); diff != "" {
		t.Fatalf("second Bootstrap returned another HQ (-first +second):\n%s", diff)
	}
	dp, err := s.GetDialPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cos, err := s.GetClassOfService(ctx, dp.DefaultClassOfServiceID)
	if err != nil || cos.Name != "Default" {
		t.Fatalf("default class of service = %+v, %v", cos, err)
	}
	if dp.ID != "" || dp.ExtensionLength != 4 || dp.SIPRealm != "pbx.test" || dp.Version != 1 {
		t.Fatalf("dial plan = %+v", dp)
	}
	site, err := s.GetSite(ctx, hq.SiteID)
	if err != nil || site.Name != "Headquarters" || site.TimeZone != "Europe/Berlin" {
		t.Fatalf("HQ site = %+v, %v", site, err)
	}
	changes, err := s.Changes(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	kinds := convert(changes, func(c config.Change) config.Kind { return c.Kind })
	want := []config.Kind{config.KindClassOfService, config.KindSite, config.KindServer, config.KindDialPlan}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Fatalf("bootstrap change kinds (-want +got):\n%s", diff)
	}
}

// testBootstrapAtomic checks that a bootstrap failing half-way leaves
// nothing behind.
func testBootstrapAtomic(t *testing.T, open backend) {
	ctx := t.Context()
	s := open(t)
	b := testBootstrapConfig()
	b.Server.Name = "" // fails after the class of service and site
	_, _, err := s.Bootstrap(ctx, b)
	wantCategory(t, err, derrors.InvalidArgument)
	if rev, err := s.Revision(ctx); err != nil || rev != 0 {
		t.Fatalf("Revision after failed Bootstrap = %d, %v; want 0", rev, err)
	}
	if cs, err := s.ListClassesOfService(ctx, config.Page{Size: 10}); err != nil || len(cs) != 0 {
		t.Fatalf("classes of service after failed Bootstrap = %v, %v; want none", cs, err)
	}
	if _, created, err := s.Bootstrap(ctx, testBootstrapConfig()); err != nil || !created {
		t.Fatalf("Bootstrap after failed one = %v, %v; want created", created, err)
	}
}

func testSites(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	created, err := f.s.CreateSite(ctx, &config.Site{
		Meta: config.Meta{ID: "ignored", Version: 7}, Name: "Berlin", Description: "Branch",
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "ignored" || created.Version != 1 || created.TimeZone != "UTC" ||
		created.Created.IsZero() || !created.Updated.Equal(created.Created) {
		t.Fatalf("created site = %+v", created)
	}
	got, err := f.s.GetSite(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Fatalf("GetSite (-created +got):\n%s", diff)
	}
	in := *got
	in.Name, in.TimeZone = "Berlin Mitte", "Europe/Berlin"
	updated, err := f.s.UpdateSite(ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || !updated.Created.Equal(created.Created) || updated.Updated.Before(created.Updated) {
		t.Fatalf("updated site = %+v", updated)
	}
	if got, _ := f.s.GetSite(ctx, created.ID); !cmp.Equal(updated, got) {
		t.Fatalf("GetSite after update = %+v, want %+v", got, updated)
	}
	if err := f.s.DeleteSite(ctx, created.ID, updated.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetSite(ctx, created.ID); !isNotFound(err) {
		t.Fatalf("GetSite after delete: err = %v, want NotFound", err)
	}
}

func testServers(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	branch := f.site(t, "Branch")
	dvs, err := f.s.CreateServer(ctx, &config.Server{Name: "dvs1", Role: config.RoleDVS, SiteID: branch.ID})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetServer(ctx, dvs.ID)
	if err != nil || !cmp.Equal(dvs, got) {
		t.Fatalf("GetServer = %+v, %v; want %+v", got, err, dvs)
	}
	in := *got
	in.Description, in.SiteID = "moved", f.siteID
	updated, err := f.s.UpdateServer(ctx, &in)
	if err != nil || updated.Version != 2 || updated.SiteID != f.siteID {
		t.Fatalf("UpdateServer = %+v, %v", updated, err)
	}
	_, err = f.s.CreateServer(ctx, &config.Server{Name: "dvs2", Role: config.RoleDVS, SiteID: "no-such-site"})
	wantCategory(t, err, derrors.FailedPrecondition)
}

func testClassesOfService(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	perms := config.Permissions{ForwardExternal: true, RecordCalls: true, Park: true, Voicemail: true}
	c, err := f.s.CreateClassOfService(ctx, &config.ClassOfService{
		Name: "Executive", DialingScope: config.ScopeAll, Permissions: perms,
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetClassOfService(ctx, c.ID)
	if err != nil || !cmp.Equal(c, got) || got.Permissions != perms {
		t.Fatalf("GetClassOfService = %+v, %v; want %+v", got, err, c)
	}
	in := *got
	in.Permissions = config.Permissions{BargeIn: true, Intercom: true, Pickup: true, TransferExternal: true}
	in.DialingScope = config.ScopeInternal
	updated, err := f.s.UpdateClassOfService(ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.GetClassOfService(ctx, c.ID); !cmp.Equal(updated, got) || got.Version != 2 {
		t.Fatalf("after update = %+v, want %+v", got, updated)
	}
	if err := f.s.DeleteClassOfService(ctx, c.ID, 0); err != nil {
		t.Fatalf("DeleteClassOfService(version 0): %v", err)
	}
}

func testUsers(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	u, err := f.s.CreateUser(ctx, &config.User{
		Extension: "1001", FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
		SiteID: f.siteID, Virtual: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.ClassOfServiceID != f.cosID {
		t.Fatalf("user without class of service got %q, want the default %q", u.ClassOfServiceID, f.cosID)
	}
	got, err := f.s.GetUser(ctx, u.ID)
	if err != nil || !cmp.Equal(u, got) {
		t.Fatalf("GetUser = %+v, %v; want %+v", got, err, u)
	}
	in := *got
	in.Extension, in.Virtual = "1002", false
	updated, err := f.s.UpdateUser(ctx, &in)
	if err != nil || updated.Version != 2 || updated.Extension != "1002" {
		t.Fatalf("UpdateUser = %+v, %v", updated, err)
	}
	_, err = f.s.CreateUser(ctx, &config.User{Extension: "1003", SiteID: "nowhere"})
	wantCategory(t, err, derrors.FailedPrecondition)
	_, err = f.s.CreateUser(ctx, &config.User{Extension: "1003", SiteID: f.siteID, ClassOfServiceID: "none"})
	wantCategory(t, err, derrors.FailedPrecondition)
	if err := f.s.DeleteUser(ctx, u.ID, 2); err != nil {
		t.Fatal(err)
	}
}

func testUserQueries(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	f.user(t, "1001")
	f.user(t, "2001")
	f.user(t, "30")
	f.user(t, "400123")
	tests := []struct {
		n    int
		want int
	}{{4, 2}, {2, 3}, {6, 3}, {3, 4}}
	for _, tc := range tests {
		got, err := f.s.CountUsersWithExtensionLengthNot(ctx, tc.n)
		if err != nil || got != tc.want {
			t.Errorf("CountUsersWithExtensionLengthNot(%d) = %d, %v; want %d", tc.n, got, err, tc.want)
		}
	}
	prefixes := []struct {
		prefix, want string // want "" means NotFound
	}{{"2", "2001"}, {"100", "1001"}, {"30", "30"}, {"4001", "400123"}, {"5", ""}, {"%", ""}, {"_", ""}}
	for _, tc := range prefixes {
		u, err := f.s.FindUserByExtensionPrefix(ctx, tc.prefix)
		switch {
		case tc.want == "" && !isNotFound(err):
			t.Errorf("FindUserByExtensionPrefix(%q) = %v, %v; want NotFound", tc.prefix, u, err)
		case tc.want != "" && (err != nil || u.Extension != tc.want):
			t.Errorf("FindUserByExtensionPrefix(%q) = %v, %v; want %s", tc.prefix, u, err, tc.want)
		}
	}
	for ext, found := range map[string]bool{"2001": true, "30": true, "200": false, "4001": false, "%": false} {
		u, err := f.s.FindUserByExtension(ctx, ext)
		if found != (err == nil) || (found && u.Extension != ext) || (!found && !isNotFound(err)) {
			t.Errorf("FindUserByExtension(%q) = %v, %v; want found=%v", ext, u, err, found)
		}
	}
}

func testDevices(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	u := f.user(t, "1001")
	d, err := f.s.CreateDevice(ctx, &config.Device{
		UserID: u.ID, SIPUsername: "ada-desk", Label: "Desk", HA1MD5: "md5hex", HA1SHA256: "sha256hex",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.s.GetDevice(ctx, d.ID)
	if err != nil || !cmp.Equal(d, got) {
		t.Fatalf("GetDevice = %+v, %v; want %+v", got, err, d)
	}
	in := *got
	in.Label, in.HA1MD5 = "Desk 2", "newmd5"
	updated, err := f.s.UpdateDevice(ctx, &in)
	if err != nil || updated.Version != 2 || updated.HA1MD5 != "newmd5" {
		t.Fatalf("UpdateDevice = %+v, %v", updated, err)
	}
	_, err = f.s.CreateDevice(ctx, &config.Device{UserID: "ghost", SIPUsername: "ghost"})
	wantCategory(t, err, derrors.FailedPrecondition)
	if err := f.s.DeleteDevice(ctx, d.ID, updated.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.GetDevice(ctx, d.ID); !isNotFound(err) {
		t.Fatalf("GetDevice after delete: err = %v, want NotFound", err)
	}
}

func testDialPlan(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	other, err := f.s.CreateClassOfService(ctx, &config.ClassOfService{Name: "Other", DialingScope: config.ScopeLocal})
	if err != nil {
		t.Fatal(err)
	}
	dp, err := f.s.GetDialPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := *dp
	in.ExtensionLength, in.OperatorExtension, in.DefaultClassOfServiceID = 3, "100", other.ID
	updated, err := f.s.UpdateDialPlan(ctx, &in)
	if err != nil || updated.Version != 2 || updated.ID != "" {
		t.Fatalf("UpdateDialPlan = %+v, %v", updated, err)
	}
	if got, _ := f.s.GetDialPlan(ctx); !cmp.Equal(updated, got) {
		t.Fatalf("GetDialPlan = %+v, want %+v", got, updated)
	}
	_, err = f.s.UpdateDialPlan(ctx, &in) // version 1 again
	wantCategory(t, err, derrors.Aborted)
	in.Version, in.DefaultClassOfServiceID = 2, "missing"
	_, err = f.s.UpdateDialPlan(ctx, &in)
	wantCategory(t, err, derrors.FailedPrecondition)
	// The old default is free to go now; the new one is not.
	if err := f.s.DeleteClassOfService(ctx, f.cosID, 0); err != nil {
		t.Fatalf("delete former default: %v", err)
	}
	err = f.s.DeleteClassOfService(ctx, other.ID, 0)
	wantCategory(t, err, derrors.FailedPrecondition)
}

func isNotFound(err error) bool { return derrors.Category(err) == derrors.NotFound }
