package config_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/store"
)

// newService returns a bootstrapped Service over an in-memory store, and
// the HQ site's id.
func newService(t *testing.T) (*config.Service, string) {
	t.Helper()
	st, err := store.Open(t.Context(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	svc := config.NewService(st)
	hq, _, err := svc.Bootstrap(t.Context(), config.Defaults{})
	if err != nil {
		t.Fatal(err)
	}
	return svc, hq.SiteID
}

func TestRoutePointRules(t *testing.T) {
	t.Parallel()
	svc, siteID := newService(t)
	cases := []struct {
		name  string
		edit  func(r *config.RoutePoint)
		want  error
		field string
	}{
		{"valid", func(*config.RoutePoint) {}, nil, ""},
		{"blank name", func(r *config.RoutePoint) { r.Name = " " }, derrors.InvalidArgument, "route_point.name"},
		{"short extension", func(r *config.RoutePoint) { r.Extension = "21" }, derrors.InvalidArgument, "route_point.extension"},
		{"trunk access code", func(r *config.RoutePoint) { r.Extension = "9100" }, derrors.InvalidArgument, "route_point.extension"},
		{"fallback letters", func(r *config.RoutePoint) { r.FallbackExtension = "10a1" }, derrors.InvalidArgument,
			"route_point.fallback_extension"},
		{"fallback to itself", func(r *config.RoutePoint) { r.FallbackExtension = r.Extension }, derrors.InvalidArgument,
			"route_point.fallback_extension"},
		{"timeout negative", func(r *config.RoutePoint) { r.AnswerTimeoutSeconds = -5 }, derrors.InvalidArgument,
			"route_point.answer_timeout_seconds"},
		{"timeout too long", func(r *config.RoutePoint) { r.AnswerTimeoutSeconds = 301 }, derrors.InvalidArgument,
			"route_point.answer_timeout_seconds"},
		{"no site", func(r *config.RoutePoint) { r.SiteID = "" }, derrors.InvalidArgument, "route_point.site_id"},
		{"unknown site", func(r *config.RoutePoint) { r.SiteID = "0190d7a2-0000-7000-8000-000000000000" },
			derrors.NotFound, "route_point.site_id"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &config.RoutePoint{Name: "IVR", Extension: fmt.Sprintf("21%02d", i),
				SiteID: siteID, FallbackExtension: "1001"}
			tc.edit(r)
			out, err := svc.CreateRoutePoint(t.Context(), r)
			if tc.want == nil {
				if err != nil || out.AnswerTimeoutSeconds != config.DefaultAnswerTimeoutSeconds {
					t.Fatalf("CreateRoutePoint = %+v, %v; want the default timeout", out, err)
				}
				return
			}
			var de *derrors.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &de) || de.Field != tc.field {
				t.Fatalf("CreateRoutePoint = %v, want %v on %s", err, tc.want, tc.field)
			}
		})
	}
}

// TestDialPlanCountsRoutePoints: the dial plan rules that protect users'
// extensions protect route points' extensions too.
func TestDialPlanCountsRoutePoints(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	svc, siteID := newService(t)
	if _, err := svc.CreateRoutePoint(ctx, &config.RoutePoint{Name: "IVR", Extension: "2100", SiteID: siteID}); err != nil {
		t.Fatal(err)
	}
	dp, err := svc.GetDialPlan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(d *config.DialPlan)
		field string
	}{
		{"extension length", func(d *config.DialPlan) { d.ExtensionLength = 5 }, "dial_plan.extension_length"},
		{"trunk access code", func(d *config.DialPlan) { d.TrunkAccessCode = "2" }, "dial_plan.trunk_access_code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := *dp
			tc.edit(&in)
			_, err := svc.UpdateDialPlan(ctx, &in)
			var de *derrors.Error
			if !errors.Is(err, derrors.FailedPrecondition) || !errors.As(err, &de) || de.Field != tc.field {
				t.Fatalf("UpdateDialPlan = %v, want FailedPrecondition on %s", err, tc.field)
			}
		})
	}
}
