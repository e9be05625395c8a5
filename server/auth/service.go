package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// secretPrefix marks Switchboard token secrets (and helps secret scanners).
const secretPrefix = "sbt_"

// Service issues, lists, revokes and checks tokens.
type Service struct {
	store     Store
	userCheck func(ctx context.Context, id string) error
}

// Option configures a Service.
type Option func(*Service)

// WithUserCheck sets how a user-scoped token's user is checked to exist
// (the configuration's GetUser); its error is returned as is.
func WithUserCheck(fn func(ctx context.Context, id string) error) Option {
	return func(s *Service) { s.userCheck = fn }
}

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Create issues a token and returns it with its secret, which is not kept.
// A user-scoped token names its user; the others name none.
func (s *Service) Create(ctx context.Context, name string, scope Scope, userID string) (*Token, string, error) {
	switch {
	case scope != ScopeAdmin && scope != ScopeRead && scope != ScopeUser:
		return nil, "", derrors.New(derrors.InvalidArgument, "scope", "must be admin, read or user")
	case scope == ScopeUser && userID == "":
		return nil, "", derrors.New(derrors.InvalidArgument, "user_id", "is required for a user-scoped token")
	case scope != ScopeUser && userID != "":
		return nil, "", derrors.New(derrors.InvalidArgument, "user_id", "only user-scoped tokens name a user")
	}
	if userID != "" && s.userCheck != nil {
		if err := s.userCheck(ctx, userID); err != nil {
			return nil, "", err
		}
	}
	secret := newSecret()
	t, err := s.store.CreateToken(ctx, &Token{Name: name, Scope: scope, Hash: Hash(secret), UserID: userID})
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
	_, secret, err := s.Create(ctx, "admin", ScopeAdmin, "")
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
