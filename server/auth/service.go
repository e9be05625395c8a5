package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// secretPrefix marks Switchboard token secrets (and helps secret scanners).
const secretPrefix = "sbt_"

// Service issues, lists, revokes and checks tokens.
type Service struct {
	store           Store
	userCheck       func(ctx context.Context, id string) error
	routePointCheck func(ctx context.Context, id string) error
}

// Option configures a Service.
type Option func(*Service)

// WithUserCheck sets how a user-scoped token's user is checked to exist
// (the configuration's GetUser); its error is returned as is.
func WithUserCheck(fn func(ctx context.Context, id string) error) Option {
	return func(s *Service) { s.userCheck = fn }
}

// WithRoutePointCheck sets how an application token's route points are
// checked to exist (the configuration's GetRoutePoint); its error is
// returned as is.
func WithRoutePointCheck(fn func(ctx context.Context, id string) error) Option {
	return func(s *Service) { s.routePointCheck = fn }
}

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Grant is what a new token may do: its scope and, for the scopes
// restricted to some lines, what it acts for.
type Grant struct {
	Scope         Scope
	UserID        string   // ScopeUser: the user; empty for other scopes
	RoutePointIDs []string // ScopeApplication: its route points (at least one); empty for other scopes
}

// maxRoutePoints is the most route points one application token names.
const maxRoutePoints = 100

// check applies the scope rules to g.
func (g Grant) check() error {
	switch g.Scope {
	case ScopeAdmin, ScopeRead, ScopeUser, ScopeApplication:
	default:
		return derrors.New(derrors.InvalidArgument, "scope", "must be admin, read, user or application")
	}
	switch {
	case g.Scope == ScopeUser && g.UserID == "":
		return derrors.New(derrors.InvalidArgument, "user_id", "is required for a user-scoped token")
	case g.Scope != ScopeUser && g.UserID != "":
		return derrors.New(derrors.InvalidArgument, "user_id", "only user-scoped tokens name a user")
	case g.Scope == ScopeApplication && len(g.RoutePointIDs) == 0:
		return derrors.New(derrors.InvalidArgument, "route_point_ids", "an application token needs at least one route point")
	case g.Scope != ScopeApplication && len(g.RoutePointIDs) > 0:
		return derrors.New(derrors.InvalidArgument, "route_point_ids", "only application tokens name route points")
	case len(g.RoutePointIDs) > maxRoutePoints:
		return derrors.New(derrors.InvalidArgument, "route_point_ids",
			"names %d route points; at most %d", len(g.RoutePointIDs), maxRoutePoints)
	}
	seen := make(map[string]bool, len(g.RoutePointIDs))
	for _, id := range g.RoutePointIDs {
		if id == "" || seen[id] {
			return derrors.New(derrors.InvalidArgument, "route_point_ids", "route point %q is empty or named twice", id)
		}
		seen[id] = true
	}
	return nil
}

// Create issues a token and returns it with its secret, which is not kept.
// A user-scoped token names its user, an application token its route
// points; the others name neither. The user and route points must exist.
func (s *Service) Create(ctx context.Context, name string, g Grant) (*Token, string, error) {
	if err := g.check(); err != nil {
		return nil, "", err
	}
	if g.UserID != "" && s.userCheck != nil {
		if err := s.userCheck(ctx, g.UserID); err != nil {
			return nil, "", err
		}
	}
	if s.routePointCheck != nil {
		for _, id := range g.RoutePointIDs {
			if err := s.routePointCheck(ctx, id); err != nil {
				return nil, "", err
			}
		}
	}
	secret := newSecret()
	t, err := s.store.CreateToken(ctx, &Token{Name: name, Scope: g.Scope, Hash: Hash(secret), UserID: g.UserID,
		RoutePointIDs: slices.Clone(g.RoutePointIDs)})
	if err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// List returns every token, without secrets.
func (s *Service) List(ctx context.Context) ([]*Token, error) { return s.store.ListTokens(ctx) }

// Delete revokes a token.
func (s *Service) Delete(ctx context.Context, id string) error { return s.store.DeleteToken(ctx, id) }

// Authenticate returns the token whose secret is given, or Unauthenticated.
func (s *Service) Authenticate(ctx context.Context, secret string) (*Token, error) {
	if !strings.HasPrefix(secret, secretPrefix) {
		return nil, derrors.New(derrors.Unauthenticated, "", "malformed bearer token")
	}
	t, err := s.store.TokenByHash(ctx, Hash(secret))
	if err != nil {
		if derrors.Category(err) == derrors.NotFound {
			return nil, derrors.New(derrors.Unauthenticated, "", "unknown or revoked bearer token")
		}
		return nil, err
	}
	return t, nil
}

// EnsureAdmin creates an admin token named "admin" when no token exists
// yet, and returns its secret; otherwise it returns "".
func (s *Service) EnsureAdmin(ctx context.Context) (string, error) {
	n, err := s.store.CountTokens(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	_, secret, err := s.Create(ctx, "admin", Grant{Scope: ScopeAdmin})
	return secret, err
}

// Hash returns the hex SHA-256 of a secret, as stored.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return secretPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
