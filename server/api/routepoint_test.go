package api_test

import (
	"context"
	"testing"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	authv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1"
	callcontrolv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/callcontrol/v1"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	systemv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

const unknownID = "01900000-0000-7000-8000-000000000000"

func TestRoutePointLifecycle(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		site := hqSite(t, c)
		from := ok(c.System.GetInfo(ctx, &systemv1.GetInfoRequest{}))(t).GetConfigurationRevision()
		feed := ok(c.Config.WatchChanges(ctx, &configv1.WatchChangesRequest{AfterRevision: from}))(t)

		created := ok(c.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
			Name: "Support", Extension: "2100", SiteId: site.GetId(), FallbackExtension: "1001",
		}}))(t).GetRoutePoint()
		if created.GetId() == "" || created.GetEtag() == "" || created.GetCreateTime() == nil ||
			created.GetAnswerTimeoutSeconds() != 10 {
			t.Fatalf("created route point lacks id, etag, time or the default timeout: %v", created)
		}
		got := ok(c.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: created.GetId()}))(t).GetRoutePoint()
		if got.GetExtension() != "2100" || got.GetName() != "Support" || got.GetFallbackExtension() != "1001" {
			t.Fatalf("get returned %v", got)
		}
		list := ok(c.Config.ListRoutePoints(ctx, &configv1.ListRoutePointsRequest{SiteId: site.GetId()}))(t)
		if len(list.GetRoutePoints()) != 1 || list.GetNextPageToken() != "" {
			t.Fatalf("list returned %v", list)
		}
		upd := ok(c.Config.UpdateRoutePoint(ctx, &configv1.UpdateRoutePointRequest{
			RoutePoint: &configv1.RoutePoint{Id: created.GetId(), AnswerTimeoutSeconds: 30, Etag: created.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"answer_timeout_seconds", "fallback_extension"}},
		}))(t).GetRoutePoint()
		if upd.GetAnswerTimeoutSeconds() != 30 || upd.GetFallbackExtension() != "" || upd.GetName() != "Support" ||
			upd.GetEtag() == created.GetEtag() {
			t.Fatalf("update returned %v", upd)
		}
		_, err := c.Config.UpdateRoutePoint(ctx, &configv1.UpdateRoutePointRequest{
			RoutePoint: &configv1.RoutePoint{Id: created.GetId(), Name: "Stale", Etag: created.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
		wantCode(t, err, connect.CodeAborted, "route_point.etag")
		_, err = c.Config.DeleteRoutePoint(ctx, &configv1.DeleteRoutePointRequest{Id: created.GetId(), Etag: created.GetEtag()})
		wantCode(t, err, connect.CodeAborted)
		ok(c.Config.DeleteRoutePoint(ctx, &configv1.DeleteRoutePointRequest{Id: created.GetId(), Etag: upd.GetEtag()}))(t)
		_, err = c.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: created.GetId()})
		wantCode(t, err, connect.CodeNotFound)

		ops := []configv1.Operation{configv1.Operation_OPERATION_CREATED, configv1.Operation_OPERATION_UPDATED,
			configv1.Operation_OPERATION_DELETED}
		for i, op := range ops {
			res, err := feed.Receive()
			if err != nil {
				t.Fatal(err)
			}
			ch := res.GetChange()
			if ch.GetRevision() != from+int64(i)+1 || ch.GetOperation() != op || ch.GetResourceId() != created.GetId() ||
				ch.GetResourceType() != configv1.ResourceType_RESOURCE_TYPE_ROUTE_POINT ||
				ch.GetRoutePoint().GetExtension() != "2100" {
				t.Fatalf("change %d = %v", i, ch)
			}
		}
	})
}

func TestRoutePointValidation(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	c := srv.Clients("connect", srv.AdminToken)
	ctx := context.Background()
	siteID := hqSite(t, c).GetId()
	ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
		Extension: "1001", FirstName: "Ada", SiteId: siteID}}))(t)
	rp := ok(c.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
		Name: "IVR", Extension: "2100", SiteId: siteID}}))(t).GetRoutePoint()
	create := func(p *configv1.RoutePoint) func() error {
		return func() error {
			_, err := c.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: p})
			return err
		}
	}
	update := func(p *configv1.RoutePoint, paths ...string) func() error {
		return func() error {
			_, err := c.Config.UpdateRoutePoint(ctx, &configv1.UpdateRoutePointRequest{RoutePoint: p,
				UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}})
			return err
		}
	}
	valid := func(edit func(p *configv1.RoutePoint)) *configv1.RoutePoint {
		p := &configv1.RoutePoint{Name: "Sales", Extension: "2200", SiteId: siteID}
		edit(p)
		return p
	}
	cases := []struct {
		name      string
		call      func() error
		code      connect.Code
		fragments []string
	}{
		{"missing route point", create(nil), connect.CodeInvalidArgument, []string{"route_point"}},
		{"extension letters", create(valid(func(p *configv1.RoutePoint) { p.Extension = "22a0" })),
			connect.CodeInvalidArgument, []string{"route_point.extension"}},
		{"extension length", create(valid(func(p *configv1.RoutePoint) { p.Extension = "22000" })),
			connect.CodeInvalidArgument, []string{"route_point.extension", "4"}},
		{"extension trunk access code", create(valid(func(p *configv1.RoutePoint) { p.Extension = "9200" })),
			connect.CodeInvalidArgument, []string{"route_point.extension", "trunk access code"}},
		{"no name", create(valid(func(p *configv1.RoutePoint) { p.Name = "" })),
			connect.CodeInvalidArgument, []string{"route_point.name"}},
		{"blank name", create(valid(func(p *configv1.RoutePoint) { p.Name = "   " })),
			connect.CodeInvalidArgument, []string{"route_point.name"}},
		{"site not a uuid", create(valid(func(p *configv1.RoutePoint) { p.SiteId = "hq" })),
			connect.CodeInvalidArgument, []string{"route_point.site_id"}},
		{"unknown site", create(valid(func(p *configv1.RoutePoint) { p.SiteId = unknownID })),
			connect.CodeNotFound, []string{"route_point.site_id"}},
		{"fallback letters", create(valid(func(p *configv1.RoutePoint) { p.FallbackExtension = "x" })),
			connect.CodeInvalidArgument, []string{"route_point.fallback_extension"}},
		{"fallback length", create(valid(func(p *configv1.RoutePoint) { p.FallbackExtension = "100" })),
			connect.CodeInvalidArgument, []string{"route_point.fallback_extension", "4"}},
		{"fallback to itself", create(valid(func(p *configv1.RoutePoint) { p.FallbackExtension = "2200" })),
			connect.CodeInvalidArgument, []string{"route_point.fallback_extension", "own extension"}},
		{"timeout too long", create(valid(func(p *configv1.RoutePoint) { p.AnswerTimeoutSeconds = 301 })),
			connect.CodeInvalidArgument, []string{"route_point.answer_timeout_seconds"}},
		{"timeout negative", create(valid(func(p *configv1.RoutePoint) { p.AnswerTimeoutSeconds = -1 })),
			connect.CodeInvalidArgument, []string{"route_point.answer_timeout_seconds"}},
		{"duplicate extension", create(valid(func(p *configv1.RoutePoint) { p.Extension = "2100" })),
			connect.CodeAlreadyExists, []string{"route_point.extension", "2100"}},
		{"a user's extension", create(valid(func(p *configv1.RoutePoint) { p.Extension = "1001" })),
			connect.CodeAlreadyExists, []string{"route_point.extension", "1001", "user"}},
		{"user on a route point's extension", func() error {
			_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
				Extension: "2100", FirstName: "Eve", SiteId: siteID}})
			return err
		}, connect.CodeAlreadyExists, []string{"user.extension", "route point IVR"}},
		{"renumber onto a user", update(&configv1.RoutePoint{Id: rp.GetId(), Extension: "1001"}, "extension"),
			connect.CodeAlreadyExists, []string{"route_point.extension", "1001"}},
		{"update without id", update(&configv1.RoutePoint{Name: "x"}, "name"),
			connect.CodeInvalidArgument, []string{"route_point.id"}},
		{"update missing route point", update(nil, "name"), connect.CodeInvalidArgument, []string{"route_point"}},
		{"update unknown field", update(&configv1.RoutePoint{Id: rp.GetId()}, "etag"),
			connect.CodeInvalidArgument, []string{"update_mask", "etag"}},
		{"merged result invalid", update(&configv1.RoutePoint{Id: rp.GetId(), AnswerTimeoutSeconds: 1000},
			"answer_timeout_seconds"), connect.CodeInvalidArgument, []string{"route_point.answer_timeout_seconds"}},
		{"update unknown", update(&configv1.RoutePoint{Id: unknownID, Name: "x"}, "name"), connect.CodeNotFound, nil},
		{"get unknown", func() error {
			_, err := c.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: unknownID})
			return err
		}, connect.CodeNotFound, []string{unknownID}},
		{"get bad id", func() error {
			_, err := c.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: "nope"})
			return err
		}, connect.CodeInvalidArgument, []string{"id"}},
		{"delete unknown", func() error {
			_, err := c.Config.DeleteRoutePoint(ctx, &configv1.DeleteRoutePointRequest{Id: unknownID})
			return err
		}, connect.CodeNotFound, nil},
		{"list page size", func() error {
			_, err := c.Config.ListRoutePoints(ctx, &configv1.ListRoutePointsRequest{PageSize: 5000})
			return err
		}, connect.CodeInvalidArgument, []string{"page_size"}},
		{"trunk access code taken by a route point", func() error {
			_, err := c.Config.UpdateDialPlan(ctx, &configv1.UpdateDialPlanRequest{
				DialPlan:   &configv1.DialPlan{TrunkAccessCode: "21"},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"trunk_access_code"}}})
			return err
		}, connect.CodeFailedPrecondition, []string{"dial_plan.trunk_access_code", "2100"}},
		{"delete the site of a route point", func() error {
			s := ok(c.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{Name: "Lyon"}}))(t).GetSite()
			ok(c.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
				Name: "Lyon IVR", Extension: "2300", SiteId: s.GetId()}}))(t)
			_, err := c.Config.DeleteSite(ctx, &configv1.DeleteSiteRequest{Id: s.GetId()})
			return err
		}, connect.CodeFailedPrecondition, []string{"Lyon", "1 route point"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(), tc.code, tc.fragments...)
		})
	}
	after := ok(c.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: rp.GetId()}))(t).GetRoutePoint()
	if after.GetEtag() != rp.GetEtag() {
		t.Fatalf("a refused update changed the route point: %v", after)
	}
}

// TestApplicationTokens: creating application tokens follows the scope
// rules, and an application token reaches call control only, nothing of
// the configuration (a read token reads route points, an admin writes
// them).
func TestApplicationTokens(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	admin := srv.Clients("connect", srv.AdminToken)
	ctx := context.Background()
	siteID := hqSite(t, admin).GetId()
	rp := ok(admin.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
		Name: "IVR", Extension: "2100", SiteId: siteID}}))(t).GetRoutePoint()
	user := ok(admin.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
		Extension: "1001", FirstName: "Ada", SiteId: siteID}}))(t).GetUser()
	bad := []struct {
		name      string
		req       *authv1.CreateTokenRequest
		code      connect.Code
		fragments []string
	}{
		{"no route points", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_APPLICATION},
			connect.CodeInvalidArgument, []string{"route_point_ids"}},
		{"unknown route point", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_APPLICATION,
			RoutePointIds: []string{rp.GetId(), unknownID}}, connect.CodeNotFound, []string{"route_point_ids", unknownID}},
		{"not a uuid", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_APPLICATION,
			RoutePointIds: []string{"ivr"}}, connect.CodeInvalidArgument, []string{"route_point_ids"}},
		{"twice", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_APPLICATION,
			RoutePointIds: []string{rp.GetId(), rp.GetId()}}, connect.CodeInvalidArgument, []string{"route_point_ids"}},
		{"with a user", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_APPLICATION,
			RoutePointIds: []string{rp.GetId()}, UserId: user.GetId()}, connect.CodeInvalidArgument, []string{"user_id"}},
		{"read token with route points", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_READ,
			RoutePointIds: []string{rp.GetId()}}, connect.CodeInvalidArgument, []string{"route_point_ids"}},
		{"user token with route points", &authv1.CreateTokenRequest{Name: "a", Scope: authv1.Scope_SCOPE_USER,
			UserId: user.GetId(), RoutePointIds: []string{rp.GetId()}}, connect.CodeInvalidArgument, []string{"route_point_ids"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := admin.Tokens.CreateToken(ctx, tc.req)
			wantCode(t, err, tc.code, tc.fragments...)
		})
	}
	created := ok(admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "ivr-app",
		Scope: authv1.Scope_SCOPE_APPLICATION, RoutePointIds: []string{rp.GetId()}}))(t)
	if ids := created.GetToken().GetRoutePointIds(); len(ids) != 1 || ids[0] != rp.GetId() {
		t.Fatalf("created token = %v", created.GetToken())
	}
	listed := ok(admin.Tokens.ListTokens(ctx, &authv1.ListTokensRequest{}))(t).GetTokens()
	if len(listed) != 2 || listed[1].GetScope() != authv1.Scope_SCOPE_APPLICATION || len(listed[1].GetRoutePointIds()) != 1 {
		t.Fatalf("ListTokens = %v", listed)
	}
	reader := ok(admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "dashboard", Scope: authv1.Scope_SCOPE_READ}))(t)

	for _, proto := range apptest.Protocols {
		t.Run(proto, func(t *testing.T) {
			app := srv.Clients(proto, created.GetSecret())
			denied := []func() error{
				func() error {
					_, err := app.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: rp.GetId()})
					return err
				},
				func() error {
					_, err := app.Config.ListRoutePoints(ctx, &configv1.ListRoutePointsRequest{})
					return err
				},
				func() error {
					_, err := app.Config.UpdateRoutePoint(ctx, &configv1.UpdateRoutePointRequest{
						RoutePoint: &configv1.RoutePoint{Id: rp.GetId(), Name: "Mine"}})
					return err
				},
				func() error { _, err := app.Config.ListUsers(ctx, &configv1.ListUsersRequest{}); return err },
				func() error { _, err := app.System.GetInfo(ctx, &systemv1.GetInfoRequest{}); return err },
				func() error { _, err := app.Tokens.ListTokens(ctx, &authv1.ListTokensRequest{}); return err },
				func() error {
					s, err := app.Config.WatchChanges(ctx, &configv1.WatchChangesRequest{})
					if err == nil {
						_, err = s.Receive()
						s.Close()
					}
					return err
				},
			}
			for i, call := range denied {
				if err := call(); connect.CodeOf(err) != connect.CodePermissionDenied {
					t.Errorf("call %d by an application token: %v, want permission_denied", i, err)
				}
			}
			// Call control is open to it, on its route point's line only.
			calls := ok(app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{}))(t)
			if len(calls.GetCalls()) != 0 {
				t.Errorf("ListCalls = %v", calls)
			}
			ok(app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{"2100"}}))(t)
			_, err := app.Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{Lines: []string{"2100", "1001"}})
			wantCode(t, err, connect.CodePermissionDenied, "line 2100")
			_, err = app.Calls.MakeCall(ctx, &callcontrolv1.MakeCallRequest{Line: "1001", Destination: "2100"})
			wantCode(t, err, connect.CodePermissionDenied, "line 2100", "not 1001")

			read := srv.Clients(proto, reader.GetSecret())
			ok(read.Config.GetRoutePoint(ctx, &configv1.GetRoutePointRequest{Id: rp.GetId()}))(t)
			ok(read.Config.ListRoutePoints(ctx, &configv1.ListRoutePointsRequest{}))(t)
			_, err = read.Config.CreateRoutePoint(ctx, &configv1.CreateRoutePointRequest{RoutePoint: &configv1.RoutePoint{
				Name: "x", Extension: "2101", SiteId: siteID}})
			wantCode(t, err, connect.CodePermissionDenied, "scope read")
			_, err = read.Config.DeleteRoutePoint(ctx, &configv1.DeleteRoutePointRequest{Id: rp.GetId()})
			wantCode(t, err, connect.CodePermissionDenied)
		})
	}
	ok(admin.Config.DeleteRoutePoint(ctx, &configv1.DeleteRoutePointRequest{Id: rp.GetId()}))(t)
	_, err := srv.Clients("connect", created.GetSecret()).Calls.ListCalls(ctx, &callcontrolv1.ListCallsRequest{})
	wantCode(t, err, connect.CodePermissionDenied, "no longer exist")
}
