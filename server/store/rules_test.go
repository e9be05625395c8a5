package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// uniqueCase is a write that breaks a unique field, and the field and
// message of the AlreadyExists it must get.
type uniqueCase struct {
	name  string
	write func(ctx context.Context) error
	field string
	msg   string
}

func uniqueCases(t *testing.T, f fixture) []uniqueCase {
	u := f.user(t, "1001")
	other := f.user(t, "1002")
	f.device(t, u.ID, "ada")
	dev2 := f.device(t, u.ID, "ada2")
	site2 := f.site(t, "Second")
	return []uniqueCase{
		{"site name", func(ctx context.Context) error {
			_, err := f.s.CreateSite(ctx, &config.Site{Name: "Headquarters"})
			return err
		}, "name", "site name Headquarters is already in use"},
		{"site name on update", func(ctx context.Context) error {
			in := *site2
			in.Name = "Headquarters"
			_, err := f.s.UpdateSite(ctx, &in)
			return err
		}, "name", "site name Headquarters is already in use"},
		{"server name", func(ctx context.Context) error {
			_, err := f.s.CreateServer(ctx, &config.Server{Name: "hq", Role: config.RoleDVS, SiteID: f.siteID})
			return err
		}, "name", "server name hq is already in use"},
		{"class of service name", func(ctx context.Context) error {
			_, err := f.s.CreateClassOfService(ctx, &config.ClassOfService{Name: "Default"})
			return err
		}, "name", "class of service name Default is already in use"},
		{"extension", func(ctx context.Context) error {
			_, err := f.s.CreateUser(ctx, &config.User{Extension: "1001", SiteID: f.siteID})
			return err
		}, "extension", "extension 1001 is already in use"},
		{"extension on update", func(ctx context.Context) error {
			in := *other
			in.Extension = "1001"
			_, err := f.s.UpdateUser(ctx, &in)
			return err
		}, "extension", "extension 1001 is already in use"},
		{"sip username", func(ctx context.Context) error {
			_, err := f.s.CreateDevice(ctx, &config.Device{UserID: other.ID, SIPUsername: "ada"})
			return err
		}, "sip_username", "SIP user name ada is already in use"},
		{"sip username on update", func(ctx context.Context) error {
			in := *dev2
			in.SIPUsername = "ada"
			_, err := f.s.UpdateDevice(ctx, &in)
			return err
		}, "sip_username", "SIP user name ada is already in use"},
	}
}

func testUnique(t *testing.T, open backend) {
	f := newFixture(t, open)
	for _, tc := range uniqueCases(t, f) {
		t.Run(tc.name, func(t *testing.T) {
			before := f.revision(t)
			err := tc.write(t.Context())
			wantCategory(t, err, derrors.AlreadyExists)
			var de *derrors.Error
			if !errors.As(err, &de) || de.Field != tc.field || de.Message != tc.msg {
				t.Fatalf("err = %#v, want field %q, message %q", err, tc.field, tc.msg)
			}
			if after := f.revision(t); after != before {
				t.Fatalf("revision moved from %d to %d on a failed write", before, after)
			}
		})
	}
}

// namedWrite is a write that must fail.
type namedWrite struct {
	name  string
	write func(ctx context.Context) error
}

// staleWrites are updates and deletes, one per resource kind, that give a
// version other than the current one.
func staleWrites(t *testing.T, f fixture, site *config.Site) []namedWrite {
	u := f.user(t, "1001")
	d := f.device(t, u.ID, "dev")
	cos, err := f.s.CreateClassOfService(t.Context(), &config.ClassOfService{Name: "Versioned"})
	if err != nil {
		t.Fatal(err)
	}
	stale := func(m config.Meta) config.Meta { m.Version++; return m }
	return []namedWrite{
		{"update site", func(ctx context.Context) error {
			_, err := f.s.UpdateSite(ctx, &config.Site{Meta: stale(site.Meta), Name: "x"})
			return err
		}},
		{"delete site", func(ctx context.Context) error { return f.s.DeleteSite(ctx, site.ID, 5) }},
		{"update server", func(ctx context.Context) error {
			in := *f.hq
			in.Meta = stale(in.Meta)
			_, err := f.s.UpdateServer(ctx, &in)
			return err
		}},
		{"update class of service", func(ctx context.Context) error {
			_, err := f.s.UpdateClassOfService(ctx, &config.ClassOfService{Meta: stale(cos.Meta), Name: "y"})
			return err
		}},
		{"delete class of service", func(ctx context.Context) error {
			return f.s.DeleteClassOfService(ctx, cos.ID, 9)
		}},
		{"update user", func(ctx context.Context) error {
			in := *u
			in.Meta = stale(in.Meta)
			_, err := f.s.UpdateUser(ctx, &in)
			return err
		}},
		{"delete user", func(ctx context.Context) error { return f.s.DeleteUser(ctx, u.ID, 3) }},
		{"update device", func(ctx context.Context) error {
			in := *d
			in.Meta = stale(in.Meta)
			_, err := f.s.UpdateDevice(ctx, &in)
			return err
		}},
		{"delete device", func(ctx context.Context) error { return f.s.DeleteDevice(ctx, d.ID, 2) }},
	}
}

func testVersions(t *testing.T, open backend) {
	f := newFixture(t, open)
	site := f.site(t, "Versioned")
	for _, tc := range staleWrites(t, f, site) {
		t.Run(tc.name, func(t *testing.T) {
			before := f.revision(t)
			err := tc.write(t.Context())
			wantCategory(t, err, derrors.Aborted)
			if !strings.Contains(derrors.Public(err), "etag mismatch") {
				t.Fatalf("public message %q does not mention the etag", derrors.Public(err))
			}
			if after := f.revision(t); after != before {
				t.Fatalf("revision moved from %d to %d on a failed write", before, after)
			}
		})
	}
	// The current version, and version 0, are accepted.
	in := *site
	in.Description = "v2"
	if _, err := f.s.UpdateSite(t.Context(), &in); err != nil {
		t.Fatalf("update with current version: %v", err)
	}
	in.Version, in.Description = 0, "v3"
	if got, err := f.s.UpdateSite(t.Context(), &in); err != nil || got.Version != 3 {
		t.Fatalf("update with version 0 = %+v, %v; want version 3", got, err)
	}
}

func testNotFound(t *testing.T, open backend) {
	f := newFixture(t, open)
	const id = "0190d7a2-0000-7000-8000-000000000000"
	tests := []namedWrite{
		{"get site", func(ctx context.Context) error { _, err := f.s.GetSite(ctx, id); return err }},
		{"update site", func(ctx context.Context) error {
			_, err := f.s.UpdateSite(ctx, &config.Site{Meta: config.Meta{ID: id, Version: 1}, Name: "n"})
			return err
		}},
		{"delete site", func(ctx context.Context) error { return f.s.DeleteSite(ctx, id, 0) }},
		{"get server", func(ctx context.Context) error { _, err := f.s.GetServer(ctx, id); return err }},
		{"update server", func(ctx context.Context) error {
			_, err := f.s.UpdateServer(ctx, &config.Server{Meta: config.Meta{ID: id}, Name: "n"})
			return err
		}},
		{"get class of service", func(ctx context.Context) error {
			_, err := f.s.GetClassOfService(ctx, id)
			return err
		}},
		{"delete class of service", func(ctx context.Context) error { return f.s.DeleteClassOfService(ctx, id, 0) }},
		{"get user", func(ctx context.Context) error { _, err := f.s.GetUser(ctx, id); return err }},
		{"delete user", func(ctx context.Context) error { return f.s.DeleteUser(ctx, id, 0) }},
		{"get device", func(ctx context.Context) error { _, err := f.s.GetDevice(ctx, id); return err }},
		{"update device", func(ctx context.Context) error {
			_, err := f.s.UpdateDevice(ctx, &config.Device{Meta: config.Meta{ID: id}})
			return err
		}},
		{"delete device", func(ctx context.Context) error { return f.s.DeleteDevice(ctx, id, 0) }},
		{"find by prefix", func(ctx context.Context) error {
			_, err := f.s.FindUserByExtensionPrefix(ctx, "9")
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantCategory(t, tc.write(t.Context()), derrors.NotFound)
		})
	}
}

func testReferences(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	berlin := f.site(t, "Berlin")
	cos, err := f.s.CreateClassOfService(ctx, &config.ClassOfService{Name: "Staff"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{"2001", "2002", "2003"} {
		f.userAt(t, ext, berlin.ID, cos.ID)
	}
	tests := []struct {
		name string
		del  func() error
		msg  string
	}{
		{"site with users", func() error { return f.s.DeleteSite(ctx, berlin.ID, 0) }, "site Berlin still has 3 users"},
		{"site with servers", func() error { return f.s.DeleteSite(ctx, f.siteID, 0) }, "site Headquarters still has 1 server"},
		{"class of service with users", func() error { return f.s.DeleteClassOfService(ctx, cos.ID, 0) },
			"class of service Staff still has 3 users"},
		{"default class of service", func() error { return f.s.DeleteClassOfService(ctx, f.cosID, 0) },
			"class of service Default is the dial plan's default"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.del()
			wantCategory(t, err, derrors.FailedPrecondition)
			if got := derrors.Public(err); got != tc.msg {
				t.Fatalf("message = %q, want %q", got, tc.msg)
			}
		})
	}
}

func testDeleteUserCascades(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	u := f.user(t, "1001")
	keep := f.user(t, "1002")
	d1 := f.device(t, u.ID, "a")
	d2 := f.device(t, u.ID, "b")
	kept := f.device(t, keep.ID, "c")
	before := f.revision(t)
	if err := f.s.DeleteUser(ctx, u.ID, u.Version); err != nil {
		t.Fatal(err)
	}
	changes, err := f.s.Changes(ctx, before, 10)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Rev  int64
		Kind config.Kind
		ID   string
		Op   config.Op
	}
	got := convert(changes, func(c config.Change) row { return row{c.Revision, c.Kind, c.ResourceID, c.Op} })
	want := []row{
		{before + 1, config.KindDevice, d1.ID, config.OpDeleted},
		{before + 2, config.KindDevice, d2.ID, config.OpDeleted},
		{before + 3, config.KindUser, u.ID, config.OpDeleted},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("changes of DeleteUser (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(d2, changes[1].Resource); diff != "" {
		t.Fatalf("deleted device in change (-want +got):\n%s", diff)
	}
	for _, id := range []string{d1.ID, d2.ID} {
		if _, err := f.s.GetDevice(ctx, id); !isNotFound(err) {
			t.Fatalf("device %s after its user's deletion: err = %v, want NotFound", id, err)
		}
	}
	if _, err := f.s.GetDevice(ctx, kept.ID); err != nil {
		t.Fatalf("another user's device: %v", err)
	}
}
