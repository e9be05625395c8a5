package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"buf.build/go/protovalidate"
	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect/v2"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	authv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/auth/v1"
	configv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1"
	"github.com/switchboard-pbx/switchboard/gen/switchboard/config/v1/configv1connect"
	systemv1 "github.com/switchboard-pbx/switchboard/gen/switchboard/system/v1"
	"github.com/switchboard-pbx/switchboard/server/app/apptest"
)

// forEachProtocol runs fn against a fresh server once per wire protocol.
func forEachProtocol(t *testing.T, fn func(t *testing.T, srv *apptest.Server, c apptest.Clients)) {
	for _, proto := range apptest.Protocols {
		t.Run(proto, func(t *testing.T) {
			t.Parallel()
			srv := apptest.Start(t, apptest.Options{})
			fn(t, srv, srv.Clients(proto, srv.AdminToken))
		})
	}
}

// wantCode fails the test unless err carries code and its message
// contains every fragment.
func wantCode(t *testing.T, err error, code connect.Code, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", code)
	}
	if got := connect.CodeOf(err); got != code {
		t.Fatalf("got %v (%v), want %v", got, err, code)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

// ok returns a function that fails the test on err and else returns v:
// ok(client.Call(ctx, req))(t).
func ok[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// hqSite returns the site created at first start.
func hqSite(t *testing.T, c apptest.Clients) *configv1.Site {
	t.Helper()
	res := ok(c.Config.ListSites(context.Background(), &configv1.ListSitesRequest{}))(t)
	if len(res.GetSites()) != 1 {
		t.Fatalf("want exactly the bootstrap site, got %v", res.GetSites())
	}
	return res.GetSites()[0]
}

func TestUserLifecycle(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx := context.Background()
		site := hqSite(t, c)
		created := ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
			Extension: "1001", FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", SiteId: site.GetId(),
		}}))(t).GetUser()
		if created.GetId() == "" || created.GetEtag() == "" || created.GetClassOfServiceId() == "" {
			t.Fatalf("created user lacks id, etag or default class: %v", created)
		}
		got := ok(c.Config.GetUser(ctx, &configv1.GetUserRequest{Id: created.GetId()}))(t).GetUser()
		if got.GetExtension() != "1001" || got.GetFirstName() != "Ada" {
			t.Fatalf("get returned %v", got)
		}
		list := ok(c.Config.ListUsers(ctx, &configv1.ListUsersRequest{SiteId: site.GetId()}))(t)
		if len(list.GetUsers()) != 1 || list.GetNextPageToken() != "" {
			t.Fatalf("list returned %v", list)
		}
		upd := ok(c.Config.UpdateUser(ctx, &configv1.UpdateUserRequest{
			User:       &configv1.User{Id: created.GetId(), FirstName: "Augusta", Etag: created.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"first_name"}},
		}))(t).GetUser()
		if upd.GetFirstName() != "Augusta" || upd.GetLastName() != "Lovelace" || upd.GetEtag() == created.GetEtag() {
			t.Fatalf("update returned %v", upd)
		}
		ok(c.Config.DeleteUser(ctx, &configv1.DeleteUserRequest{Id: created.GetId(), Etag: upd.GetEtag()}))(t)
		_, err := c.Config.GetUser(ctx, &configv1.GetUserRequest{Id: created.GetId()})
		wantCode(t, err, connect.CodeNotFound)
	})
}

func TestDevicePasswordIsWriteOnly(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx := context.Background()
		u := ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
			Extension: "2001", FirstName: "Grace", SiteId: hqSite(t, c).GetId()}}))(t).GetUser()
		_, err := c.Config.CreateDevice(ctx, &configv1.CreateDeviceRequest{Device: &configv1.Device{
			UserId: u.GetId(), SipUsername: "grace-desk"}})
		wantCode(t, err, connect.CodeInvalidArgument, "device.password")
		d := ok(c.Config.CreateDevice(ctx, &configv1.CreateDeviceRequest{Device: &configv1.Device{
			UserId: u.GetId(), SipUsername: "grace-desk", Password: "correct horse", Label: "Desk"}}))(t).GetDevice()
		if d.GetPassword() != "" {
			t.Fatal("password returned by CreateDevice")
		}
		_, err = c.Config.UpdateDevice(ctx, &configv1.UpdateDeviceRequest{
			Device:     &configv1.Device{Id: d.GetId(), SipUsername: "grace-soft"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"sip_username"}}})
		wantCode(t, err, connect.CodeInvalidArgument, "device.password", "sip_username")
		d2 := ok(c.Config.UpdateDevice(ctx, &configv1.UpdateDeviceRequest{
			Device:     &configv1.Device{Id: d.GetId(), SipUsername: "grace-soft", Password: "battery staple"},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"sip_username", "password"}}}))(t).GetDevice()
		if d2.GetSipUsername() != "grace-soft" || d2.GetPassword() != "" || d2.GetLabel() != "Desk" {
			t.Fatalf("update returned %v", d2)
		}
		_, err = c.Config.CreateDevice(ctx, &configv1.CreateDeviceRequest{Device: &configv1.Device{
			UserId: u.GetId(), SipUsername: "grace-soft", Password: "another one"}})
		wantCode(t, err, connect.CodeAlreadyExists, "grace-soft")
	})
}

func TestValidation(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	for i, proto := range apptest.Protocols {
		c := srv.Clients(proto, srv.AdminToken)
		ctx := context.Background()
		siteID := hqSite(t, c).GetId()
		u := ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
			Extension: fmt.Sprintf("300%d", i), FirstName: "Val", SiteId: siteID}}))(t)
		cases := []struct {
			name      string
			call      func() error
			code      connect.Code
			fragments []string
		}{
			{"extension letters", func() error {
				_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
					Extension: "10a1", FirstName: "X", SiteId: siteID}})
				return err
			}, connect.CodeInvalidArgument, []string{"user.extension"}},
			{"extension length", func() error {
				_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
					Extension: "10001", FirstName: "X", SiteId: siteID}})
				return err
			}, connect.CodeInvalidArgument, []string{"user.extension", "4"}},
			{"trunk access code", func() error {
				_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
					Extension: "9001", FirstName: "X", SiteId: siteID}})
				return err
			}, connect.CodeInvalidArgument, []string{"user.extension", "trunk access code"}},
			{"email", func() error {
				_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
					Extension: "1002", FirstName: "X", Email: "not-an-email", SiteId: siteID}})
				return err
			}, connect.CodeInvalidArgument, []string{"user.email"}},
			{"missing user", func() error {
				_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{})
				return err
			}, connect.CodeInvalidArgument, []string{"user"}},
			{"unknown site", func() error {
				_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
					Extension: "1003", FirstName: "X", SiteId: "01900000-0000-7000-8000-000000000000"}})
				return err
			}, connect.CodeNotFound, []string{"user.site_id"}},
			{"page size", func() error {
				_, err := c.Config.ListUsers(ctx, &configv1.ListUsersRequest{PageSize: 5000})
				return err
			}, connect.CodeInvalidArgument, []string{"page_size"}},
			{"page token", func() error {
				_, err := c.Config.ListUsers(ctx, &configv1.ListUsersRequest{PageToken: "!!"})
				return err
			}, connect.CodeInvalidArgument, []string{"page_token"}},
			{"bad id", func() error {
				_, err := c.Config.GetUser(ctx, &configv1.GetUserRequest{Id: "nope"})
				return err
			}, connect.CodeInvalidArgument, []string{"id"}},
			{"update mask unknown field", func() error {
				_, err := c.Config.UpdateUser(ctx, &configv1.UpdateUserRequest{
					User:       &configv1.User{Id: u.GetUser().GetId()},
					UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"etag"}}})
				return err
			}, connect.CodeInvalidArgument, []string{"update_mask", "etag"}},
			{"merged result invalid", func() error {
				_, err := c.Config.UpdateUser(ctx, &configv1.UpdateUserRequest{
					User:       &configv1.User{Id: u.GetUser().GetId(), FirstName: ""},
					UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"first_name"}}})
				return err
			}, connect.CodeInvalidArgument, []string{"user.first_name"}},
			{"site time zone", func() error {
				_, err := c.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{
					Name: "Atlantis", TimeZone: "Atlantis/Lost_City"}})
				return err
			}, connect.CodeInvalidArgument, []string{"site.time_zone"}},
			{"class scope", func() error {
				_, err := c.Config.CreateClassOfService(ctx, &configv1.CreateClassOfServiceRequest{
					ClassOfService: &configv1.ClassOfService{Name: "Nothing"}})
				return err
			}, connect.CodeInvalidArgument, []string{"dialing_scope"}},
			{"token scope", func() error {
				_, err := c.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "x"})
				return err
			}, connect.CodeInvalidArgument, []string{"scope"}},
			{"dial plan extension length", func() error {
				_, err := c.Config.UpdateDialPlan(ctx, &configv1.UpdateDialPlanRequest{
					DialPlan:   &configv1.DialPlan{ExtensionLength: 5},
					UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"extension_length"}}})
				return err
			}, connect.CodeFailedPrecondition, []string{"dial_plan.extension_length"}},
		}
		for _, tc := range cases {
			t.Run(proto+"/"+tc.name, func(t *testing.T) {
				wantCode(t, tc.call(), tc.code, tc.fragments...)
			})
		}
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	admin := srv.Clients("connect", srv.AdminToken)
	read := ok(admin.Tokens.CreateToken(ctx, &authv1.CreateTokenRequest{Name: "dashboard", Scope: authv1.Scope_SCOPE_READ}))(t)
	for _, proto := range apptest.Protocols {
		t.Run(proto, func(t *testing.T) {
			_, err := srv.Clients(proto, "").Config.ListUsers(ctx, &configv1.ListUsersRequest{})
			wantCode(t, err, connect.CodeUnauthenticated, "Bearer")
			_, err = srv.Clients(proto, "sbt_wrong").Config.ListUsers(ctx, &configv1.ListUsersRequest{})
			wantCode(t, err, connect.CodeUnauthenticated)
			reader := srv.Clients(proto, read.GetSecret())
			ok(reader.Config.ListUsers(ctx, &configv1.ListUsersRequest{}))(t)
			info := ok(reader.System.GetInfo(ctx, &systemv1.GetInfoRequest{}))(t)
			if info.GetServerId() == "" || info.GetConfigurationRevision() < 1 || info.GetRole() != configv1.ServerRole_SERVER_ROLE_HQ {
				t.Errorf("GetInfo = %v", info)
			}
			_, err = reader.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{Name: "X"}})
			wantCode(t, err, connect.CodePermissionDenied, "scope read")
			_, err = reader.Tokens.ListTokens(ctx, &authv1.ListTokensRequest{})
			wantCode(t, err, connect.CodePermissionDenied)
		})
	}
	tokens := ok(admin.Tokens.ListTokens(ctx, &authv1.ListTokensRequest{}))(t)
	if len(tokens.GetTokens()) != 2 {
		t.Fatalf("want admin and dashboard tokens, got %v", tokens.GetTokens())
	}
	ok(admin.Tokens.DeleteToken(ctx, &authv1.DeleteTokenRequest{Id: read.GetToken().GetId()}))(t)
	_, err := srv.Clients("connect", read.GetSecret()).Config.ListUsers(ctx, &configv1.ListUsersRequest{})
	wantCode(t, err, connect.CodeUnauthenticated, "revoked")
}

func TestPagination(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx := context.Background()
		for i := range 7 {
			ok(c.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{Name: fmt.Sprintf("Site %d", i)}}))(t)
		}
		seen := map[string]bool{}
		token, pages := "", 0
		for {
			res := ok(c.Config.ListSites(ctx, &configv1.ListSitesRequest{PageSize: 3, PageToken: token}))(t)
			pages++
			for _, s := range res.GetSites() {
				if seen[s.GetId()] {
					t.Fatalf("site %s on two pages", s.GetName())
				}
				seen[s.GetId()] = true
			}
			if token = res.GetNextPageToken(); token == "" {
				break
			}
		}
		if len(seen) != 8 || pages != 3 {
			t.Fatalf("saw %d sites on %d pages, want 8 on 3", len(seen), pages)
		}
	})
}

func TestEtagConflicts(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx := context.Background()
		s := ok(c.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{Name: "Berlin"}}))(t).GetSite()
		s2 := ok(c.Config.UpdateSite(ctx, &configv1.UpdateSiteRequest{
			Site:       &configv1.Site{Id: s.GetId(), Description: "first", Etag: s.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"description"}}}))(t).GetSite()
		_, err := c.Config.UpdateSite(ctx, &configv1.UpdateSiteRequest{
			Site:       &configv1.Site{Id: s.GetId(), Description: "second", Etag: s.GetEtag()},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"description"}}})
		wantCode(t, err, connect.CodeAborted, "etag")
		_, err = c.Config.DeleteSite(ctx, &configv1.DeleteSiteRequest{Id: s.GetId(), Etag: s.GetEtag()})
		wantCode(t, err, connect.CodeAborted)
		ok(c.Config.DeleteSite(ctx, &configv1.DeleteSiteRequest{Id: s.GetId(), Etag: s2.GetEtag()}))(t)
	})
}

func TestDeleteSiteWithUsers(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx := context.Background()
		s := ok(c.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{Name: "Paris", TimeZone: "Europe/Paris"}}))(t).GetSite()
		ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{Extension: "4001", FirstName: "Marie", SiteId: s.GetId()}}))(t)
		_, err := c.Config.DeleteSite(ctx, &configv1.DeleteSiteRequest{Id: s.GetId()})
		wantCode(t, err, connect.CodeFailedPrecondition, "Paris")
		_, err = c.Config.CreateSite(ctx, &configv1.CreateSiteRequest{Site: &configv1.Site{Name: "Paris"}})
		wantCode(t, err, connect.CodeAlreadyExists, "Paris")
	})
}

func TestConcurrentCreateSameExtension(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx := context.Background()
		siteID := hqSite(t, c).GetId()
		const n = 20
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
					Extension: "5555", FirstName: fmt.Sprintf("Racer %d", i), SiteId: siteID}})
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case connect.CodeOf(err) != connect.CodeAlreadyExists:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d creates succeeded, want exactly 1", ok)
		}
	})
}

func TestWatchChanges(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, _ *apptest.Server, c apptest.Clients) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		info := ok(c.System.GetInfo(ctx, &systemv1.GetInfoRequest{}))(t)
		from := info.GetConfigurationRevision()
		stream := ok(c.Config.WatchChanges(ctx, &configv1.WatchChangesRequest{AfterRevision: from}))(t)
		u := ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{
			Extension: "6001", FirstName: "Watched", SiteId: hqSite(t, c).GetId()}}))(t).GetUser()
		ok(c.Config.DeleteUser(ctx, &configv1.DeleteUserRequest{Id: u.GetId()}))(t)
		want := []configv1.Operation{configv1.Operation_OPERATION_CREATED, configv1.Operation_OPERATION_DELETED}
		for i, op := range want {
			res, err := stream.Receive()
			if err != nil {
				t.Fatal(err)
			}
			ch := res.GetChange()
			if ch.GetRevision() != from+int64(i)+1 || ch.GetOperation() != op || ch.GetUser().GetExtension() != "6001" {
				t.Fatalf("change %d = %v", i, ch)
			}
		}
		// Replaying from the start gives the whole history, bootstrap first.
		replay := ok(c.Config.WatchChanges(ctx, &configv1.WatchChangesRequest{}))(t)
		first, err := replay.Receive()
		if err != nil || first.GetChange().GetRevision() != 1 {
			t.Fatalf("replay first = %v, %v", first, err)
		}
	})
}

func TestHealthAndReflectionAreOpen(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	health := grpchealth.NewClient(http.DefaultClient, srv.URL)
	res, err := health.Check(ctx, &grpchealth.CheckRequest{Service: configv1connect.ConfigServiceName})
	if err != nil || res.Status != grpchealth.StatusServing {
		t.Fatalf("health check = %v, %v", res, err)
	}
	refl := grpcreflect.NewClient(apptest.NewClient(srv.URL, "grpc", "")).NewStream(ctx)
	defer refl.Close()
	names, err := refl.ListServices()
	if err != nil {
		t.Fatalf("reflection without token: %v", err)
	}
	if !slices.Contains(names, protoreflect.FullName(configv1connect.ConfigServiceName)) {
		t.Fatalf("reflection lists %v", names)
	}
}

func TestDomainErrorsNameTheField(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t, apptest.Options{})
	c := srv.Clients("connect", srv.AdminToken)
	ctx := context.Background()
	siteID := hqSite(t, c).GetId()
	ok(c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{Extension: "7001", FirstName: "A", SiteId: siteID}}))(t)
	_, err := c.Config.CreateUser(ctx, &configv1.CreateUserRequest{User: &configv1.User{Extension: "7001", FirstName: "B", SiteId: siteID}})
	wantCode(t, err, connect.CodeAlreadyExists, "user.extension")
	var cerr *connect.Error
	if !errors.As(err, &cerr) || len(cerr.Details()) != 1 {
		t.Fatalf("want one error detail, got %v", err)
	}
	msg, derr := connectproto.UnmarshalErrorDetail(cerr.Details()[0])
	if derr != nil {
		t.Fatal(derr)
	}
	v, isViolations := msg.(*validate.Violations)
	if !isViolations || protovalidate.FieldPathString(v.GetViolations()[0].GetField()) != "user.extension" {
		t.Fatalf("detail = %v", msg)
	}
}
