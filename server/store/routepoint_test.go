package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

func (f fixture) routePoint(t *testing.T, ext, name string) *config.RoutePoint {
	t.Helper()
	r, err := f.s.CreateRoutePoint(t.Context(), &config.RoutePoint{
		Name: name, Extension: ext, SiteID: f.siteID, AnswerTimeoutSeconds: 10,
	})
	if err != nil {
		t.Fatalf("CreateRoutePoint(%s): %v", ext, err)
	}
	return r
}

// testRoutePoints runs a route point through its life and checks every
// write's change.
func testRoutePoints(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	berlin := f.site(t, "Berlin")
	before := f.revision(t)
	in := &config.RoutePoint{Meta: config.Meta{ID: "ignored", Version: 9}, Name: "Support", Extension: "2100",
		SiteID: f.siteID, FallbackExtension: "1001", AnswerTimeoutSeconds: 20}
	created, err := f.s.CreateRoutePoint(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "ignored" || created.Version != 1 || created.Created.IsZero() || !created.Updated.Equal(created.Created) {
		t.Fatalf("created meta = %+v", created.Meta)
	}
	got, err := f.s.GetRoutePoint(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Fatalf("GetRoutePoint (-created +got):\n%s", diff)
	}

	upd := *created
	upd.Name, upd.SiteID, upd.FallbackExtension, upd.AnswerTimeoutSeconds = "Support (Berlin)", berlin.ID, "", 300
	updated, err := f.s.UpdateRoutePoint(ctx, &upd)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || !updated.Created.Equal(created.Created) {
		t.Fatalf("updated meta = %+v", updated.Meta)
	}
	if got, _ := f.s.GetRoutePoint(ctx, created.ID); !cmp.Equal(updated, got) {
		t.Fatalf("after update GetRoutePoint = %+v, want %+v", got, updated)
	}
	stale := upd
	stale.Version = 1
	_, err = f.s.UpdateRoutePoint(ctx, &stale)
	wantCategory(t, err, derrors.Aborted)
	wantCategory(t, f.s.DeleteRoutePoint(ctx, created.ID, 1), derrors.Aborted)

	atBerlin, err := f.s.ListRoutePoints(ctx, config.Page{Size: 10}, config.Filter{SiteID: berlin.ID})
	if err != nil || len(atBerlin) != 1 || atBerlin[0].ID != created.ID {
		t.Fatalf("ListRoutePoints(Berlin) = %v, %v", atBerlin, err)
	}
	atHQ, err := f.s.ListRoutePoints(ctx, config.Page{Size: 10}, config.Filter{SiteID: f.siteID})
	if err != nil || len(atHQ) != 0 {
		t.Fatalf("ListRoutePoints(HQ) = %v, %v", atHQ, err)
	}
	err = f.s.DeleteSite(ctx, berlin.ID, 0)
	wantCategory(t, err, derrors.FailedPrecondition)
	if msg := derrors.Public(err); msg != "site Berlin still has 1 route point" {
		t.Fatalf("DeleteSite message = %q", msg)
	}

	if err := f.s.DeleteRoutePoint(ctx, created.ID, updated.Version); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.GetRoutePoint(ctx, created.ID)
	wantCategory(t, err, derrors.NotFound)
	wantCategory(t, f.s.DeleteRoutePoint(ctx, created.ID, 0), derrors.NotFound)
	_, err = f.s.UpdateRoutePoint(ctx, updated)
	wantCategory(t, err, derrors.NotFound)

	changes, err := f.s.Changes(ctx, before, 10)
	if err != nil {
		t.Fatal(err)
	}
	wantOps := []config.Op{config.OpCreated, config.OpUpdated, config.OpDeleted}
	wantRes := []*config.RoutePoint{created, updated, updated}
	if len(changes) != len(wantOps) {
		t.Fatalf("got %d changes, want %d: %+v", len(changes), len(wantOps), changes)
	}
	for i, c := range changes {
		if c.Kind != config.KindRoutePoint || c.Op != wantOps[i] || c.ResourceID != created.ID {
			t.Errorf("change %d = %+v", i, c)
		}
		if diff := cmp.Diff(wantRes[i], c.Resource); diff != "" {
			t.Errorf("change %d resource (-want +got):\n%s", i, diff)
		}
	}
}

// testRoutePointRules checks the store's own guards: references, the
// answer timeout range, not-found and the dial plan queries.
func testRoutePointRules(t *testing.T, open backend) {
	ctx := t.Context()
	f := newFixture(t, open)
	f.routePoint(t, "2100", "IVR")
	before := f.revision(t)
	bad := []struct {
		name  string
		in    config.RoutePoint
		want  error
		field string
	}{
		{"unknown site", config.RoutePoint{Name: "x", Extension: "2101", SiteID: "0190d7a2-0000-7000-8000-000000000000",
			AnswerTimeoutSeconds: 10}, derrors.FailedPrecondition, "site_id"},
		{"timeout too long", config.RoutePoint{Name: "x", Extension: "2101", SiteID: f.siteID,
			AnswerTimeoutSeconds: 301}, derrors.InvalidArgument, "answer_timeout_seconds"},
		{"no timeout", config.RoutePoint{Name: "x", Extension: "2101", SiteID: f.siteID}, derrors.InvalidArgument,
			"answer_timeout_seconds"},
		{"no name", config.RoutePoint{Extension: "2101", SiteID: f.siteID, AnswerTimeoutSeconds: 5},
			derrors.InvalidArgument, "name"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.s.CreateRoutePoint(ctx, &tc.in)
			wantCategory(t, err, tc.want)
			var de *derrors.Error
			if !errors.As(err, &de) || de.Field != tc.field {
				t.Fatalf("err = %#v, want field %q", err, tc.field)
			}
		})
	}
	if after := f.revision(t); after != before {
		t.Fatalf("revision moved from %d to %d on failed writes", before, after)
	}
	_, err := f.s.GetRoutePoint(ctx, "0190d7a2-0000-7000-8000-000000000000")
	wantCategory(t, err, derrors.NotFound)
	if n, err := f.s.CountRoutePointsWithExtensionLengthNot(ctx, 4); err != nil || n != 0 {
		t.Fatalf("CountRoutePointsWithExtensionLengthNot(4) = %d, %v; want 0", n, err)
	}
	if n, err := f.s.CountRoutePointsWithExtensionLengthNot(ctx, 5); err != nil || n != 1 {
		t.Fatalf("CountRoutePointsWithExtensionLengthNot(5) = %d, %v; want 1", n, err)
	}
	if r, err := f.s.FindRoutePointByExtensionPrefix(ctx, "21"); err != nil || r.Extension != "2100" {
		t.Fatalf("FindRoutePointByExtensionPrefix(21) = %v, %v", r, err)
	}
	_, err = f.s.FindRoutePointByExtensionPrefix(ctx, "9")
	wantCategory(t, err, derrors.NotFound)
}

// testExtensionSpace checks that users and route points share one set of
// extensions, in both directions, on create and on update.
func testExtensionSpace(t *testing.T, open backend) {
	f := newFixture(t, open)
	u := f.user(t, "1001")
	rp := f.routePoint(t, "2100", "Support")
	other := f.routePoint(t, "2101", "Sales")
	cases := []uniqueCase{
		{"route point on a user's extension", func(ctx context.Context) error {
			_, err := f.s.CreateRoutePoint(ctx, &config.RoutePoint{Name: "x", Extension: "1001", SiteID: f.siteID,
				AnswerTimeoutSeconds: 10})
			return err
		}, "extension", "extension 1001 is already in use by a user"},
		{"route point on a route point's extension", func(ctx context.Context) error {
			_, err := f.s.CreateRoutePoint(ctx, &config.RoutePoint{Name: "x", Extension: "2100", SiteID: f.siteID,
				AnswerTimeoutSeconds: 10})
			return err
		}, "extension", "extension 2100 is already in use"},
		{"route point renumbered to a user's extension", func(ctx context.Context) error {
			in := *other
			in.Extension = "1001"
			_, err := f.s.UpdateRoutePoint(ctx, &in)
			return err
		}, "extension", "extension 1001 is already in use by a user"},
		{"route point renumbered to a route point's extension", func(ctx context.Context) error {
			in := *other
			in.Extension = "2100"
			_, err := f.s.UpdateRoutePoint(ctx, &in)
			return err
		}, "extension", "extension 2100 is already in use"},
		{"user on a route point's extension", func(ctx context.Context) error {
			_, err := f.s.CreateUser(ctx, &config.User{Extension: "2100", SiteID: f.siteID})
			return err
		}, "extension", "extension 2100 is already in use by route point Support"},
		{"user renumbered to a route point's extension", func(ctx context.Context) error {
			in := *u
			in.Extension = "2100"
			_, err := f.s.UpdateUser(ctx, &in)
			return err
		}, "extension", "extension 2100 is already in use by route point Support"},
	}
	for _, tc := range cases {
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
	// Keeping its own extension is no clash, and a freed extension can be
	// taken by the other kind.
	in := *rp
	in.Name = "Support line"
	if _, err := f.s.UpdateRoutePoint(t.Context(), &in); err != nil {
		t.Fatalf("update keeping the extension: %v", err)
	}
	if err := f.s.DeleteRoutePoint(t.Context(), other.ID, 0); err != nil {
		t.Fatal(err)
	}
	f.user(t, "2101")
}

// testConcurrentUserAndRoutePoint races writers creating users and route
// points with one extension: exactly one of them gets it.
func testConcurrentUserAndRoutePoint(t *testing.T, open backend) {
	f := newFixture(t, open)
	before := f.revision(t)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			if i%2 == 0 {
				_, errs[i] = f.s.CreateUser(t.Context(), &config.User{Extension: "3001", FirstName: fmt.Sprint(i),
					SiteID: f.siteID})
				return
			}
			_, errs[i] = f.s.CreateRoutePoint(t.Context(), &config.RoutePoint{Name: fmt.Sprint(i), Extension: "3001",
				SiteID: f.siteID, AnswerTimeoutSeconds: 10})
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
