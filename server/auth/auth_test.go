package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

func TestScopeAllows(t *testing.T) {
	t.Parallel()
	needs := []Need{NeedRead, NeedLines, NeedLinesRead, NeedAdmin}
	cases := []struct {
		scope Scope
		want  []Need
	}{
		{ScopeAdmin, needs},
		{ScopeRead, []Need{NeedRead, NeedLinesRead}},
		{ScopeUser, []Need{NeedLines, NeedLinesRead}},
		{ScopeApplication, []Need{NeedLines, NeedLinesRead}},
		{Scope(0), nil},
		{Scope(5), nil},
	}
	for _, tc := range cases {
		t.Run(tc.scope.String(), func(t *testing.T) {
			t.Parallel()
			for _, n := range needs {
				if got, want := tc.scope.Allows(n), slices.Contains(tc.want, n); got != want {
					t.Errorf("%s.Allows(%s) = %v, want %v", tc.scope, n, got, want)
				}
			}
		})
	}
}

func TestTokenLimits(t *testing.T) {
	t.Parallel()
	const rp1, rp2 = "0190d7a2-0000-7000-8000-000000000001", "0190d7a2-0000-7000-8000-000000000002"
	cases := []struct {
		name    string
		token   Token
		limited bool
		may     []string // route points it may act for, of rp1 and rp2
	}{
		{"admin", Token{Scope: ScopeAdmin}, false, []string{rp1, rp2}},
		{"read", Token{Scope: ScopeRead}, false, nil},
		{"user", Token{Scope: ScopeUser, UserID: "u"}, true, nil},
		{"application", Token{Scope: ScopeApplication, RoutePointIDs: []string{rp1}}, true, []string{rp1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.token.OwnLinesOnly(); got != tc.limited {
				t.Errorf("OwnLinesOnly() = %v, want %v", got, tc.limited)
			}
			for _, id := range []string{rp1, rp2} {
				err := tc.token.GuardRoutePoint(id)
				if slices.Contains(tc.may, id) != (err == nil) {
					t.Errorf("GuardRoutePoint(%s) = %v", id, err)
				}
				if err != nil && !errors.Is(err, derrors.PermissionDenied) {
					t.Errorf("GuardRoutePoint(%s) = %v, want PermissionDenied", id, err)
				}
			}
		})
	}
}

// memStore is an in-memory Store.
type memStore struct{ tokens []*Token }

func (m *memStore) CreateToken(_ context.Context, t *Token) (*Token, error) {
	out := *t
	out.ID = "tok"
	m.tokens = append(m.tokens, &out)
	return &out, nil
}
func (m *memStore) ListTokens(context.Context) ([]*Token, error) { return m.tokens, nil }
func (m *memStore) DeleteToken(context.Context, string) error    { return nil }
func (m *memStore) CountTokens(context.Context) (int, error)     { return len(m.tokens), nil }
func (m *memStore) TokenByHash(_ context.Context, hash string) (*Token, error) {
	for _, t := range m.tokens {
		if t.Hash == hash {
			return t, nil
		}
	}
	return nil, derrors.New(derrors.NotFound, "", "token not found")
}

func TestCreateScopeRules(t *testing.T) {
	t.Parallel()
	const (
		user    = "0190d7a2-0000-7000-8000-0000000000aa"
		rp1     = "0190d7a2-0000-7000-8000-000000000001"
		rp2     = "0190d7a2-0000-7000-8000-000000000002"
		missing = "0190d7a2-0000-7000-8000-0000000000ff"
	)
	exists := func(ids ...string) func(context.Context, string) error {
		return func(_ context.Context, id string) error {
			if slices.Contains(ids, id) {
				return nil
			}
			return derrors.New(derrors.NotFound, "", "%s does not exist", id)
		}
	}
	tooMany := make([]string, maxRoutePoints+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("0190d7a2-0000-7000-8000-%012d", i)
	}
	cases := []struct {
		name  string
		grant Grant
		want  error  // category, nil for success
		field string // of the error
	}{
		{"admin", Grant{Scope: ScopeAdmin}, nil, ""},
		{"read", Grant{Scope: ScopeRead}, nil, ""},
		{"user", Grant{Scope: ScopeUser, UserID: user}, nil, ""},
		{"application", Grant{Scope: ScopeApplication, RoutePointIDs: []string{rp1, rp2}}, nil, ""},
		{"no scope", Grant{}, derrors.InvalidArgument, "scope"},
		{"unknown scope", Grant{Scope: 9}, derrors.InvalidArgument, "scope"},
		{"user without user", Grant{Scope: ScopeUser}, derrors.InvalidArgument, "user_id"},
		{"user with route points", Grant{Scope: ScopeUser, UserID: user, RoutePointIDs: []string{rp1}},
			derrors.InvalidArgument, "route_point_ids"},
		{"unknown user", Grant{Scope: ScopeUser, UserID: missing}, derrors.NotFound, ""},
		{"application without route points", Grant{Scope: ScopeApplication}, derrors.InvalidArgument, "route_point_ids"},
		{"application with a user", Grant{Scope: ScopeApplication, UserID: user, RoutePointIDs: []string{rp1}},
			derrors.InvalidArgument, "user_id"},
		{"application with a route point twice", Grant{Scope: ScopeApplication, RoutePointIDs: []string{rp1, rp1}},
			derrors.InvalidArgument, "route_point_ids"},
		{"application with an empty route point", Grant{Scope: ScopeApplication, RoutePointIDs: []string{""}},
			derrors.InvalidArgument, "route_point_ids"},
		{"application with too many route points", Grant{Scope: ScopeApplication, RoutePointIDs: tooMany},
			derrors.InvalidArgument, "route_point_ids"},
		{"application with an unknown route point", Grant{Scope: ScopeApplication, RoutePointIDs: []string{rp1, missing}},
			derrors.NotFound, ""},
		{"admin with route points", Grant{Scope: ScopeAdmin, RoutePointIDs: []string{rp1}},
			derrors.InvalidArgument, "route_point_ids"},
		{"read with route points", Grant{Scope: ScopeRead, RoutePointIDs: []string{rp1}},
			derrors.InvalidArgument, "route_point_ids"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := &memStore{}
			svc := NewService(st, WithUserCheck(exists(user)), WithRoutePointCheck(exists(rp1, rp2)))
			tok, secret, err := svc.Create(t.Context(), "t", tc.grant)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Create = %v", err)
				}
				if tok.Scope != tc.grant.Scope || !slices.Equal(tok.RoutePointIDs, tc.grant.RoutePointIDs) ||
					tok.UserID != tc.grant.UserID || tok.Hash != Hash(secret) {
					t.Fatalf("Create = %+v", tok)
				}
				if got, err := svc.Authenticate(t.Context(), secret); err != nil || got != st.tokens[0] {
					t.Fatalf("Authenticate = %+v, %v", got, err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("Create = %v, want %v", err, tc.want)
			}
			var de *derrors.Error
			if tc.field != "" && (!errors.As(err, &de) || de.Field != tc.field) {
				t.Fatalf("Create = %#v, want field %q", err, tc.field)
			}
			if len(st.tokens) != 0 {
				t.Fatalf("a refused grant stored %+v", st.tokens)
			}
		})
	}
}
