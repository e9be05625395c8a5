// Package auth issues and checks API bearer tokens.
//
// A token's secret ("sbt_" followed by 52 base32 characters, 256 random
// bits) is shown once, when the token is created; the store keeps only its
// SHA-256 hash. Scopes decide what a token may call; server/api holds the
// table of which scope each procedure needs.
package auth

import (
	"context"
	"slices"
	"time"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// Scope is what a token may do.
type Scope int

// Scopes. The values match the API enum.
const (
	ScopeAdmin Scope = 1 // everything
	ScopeRead  Scope = 2 // read configuration and state
	ScopeUser  Scope = 3 // call control on one user's own lines
	// ScopeApplication is call control on the lines of the token's route
	// points, for the application serving them; no configuration access.
	ScopeApplication Scope = 4
)

// Need is what a procedure requires of a token.
type Need int

// Needs, from the most open.
const (
	NeedRead      Need = iota + 1 // admin or read tokens
	NeedLines                     // admin tokens, or user and application tokens for their own lines (the handler checks which)
	NeedLinesRead                 // admin, read, user or application tokens (the last two see their own lines only)
	NeedAdmin                     // admin tokens only
)

// String names the need for error messages.
func (n Need) String() string {
	switch n {
	case NeedRead:
		return "a read or admin token"
	case NeedLines:
		return "an admin token, or a user or application token for its own lines"
	case NeedLinesRead:
		return "a read, admin, user or application token"
	default:
		return "an admin token"
	}
}

// Allows reports whether a token with scope s may call a procedure with
// need n.
func (s Scope) Allows(n Need) bool {
	switch s {
	case ScopeAdmin:
		return true
	case ScopeRead:
		return n == NeedRead || n == NeedLinesRead
	case ScopeUser, ScopeApplication:
		return n == NeedLines || n == NeedLinesRead
	default:
		return false
	}
}

// String names the scope for logs.
func (s Scope) String() string {
	switch s {
	case ScopeAdmin:
		return "admin"
	case ScopeRead:
		return "read"
	case ScopeUser:
		return "user"
	case ScopeApplication:
		return "application"
	default:
		return "unknown"
	}
}

// Token is an API token without its secret.
type Token struct {
	ID            string
	Name          string
	Scope         Scope
	Hash          string   // hex SHA-256 of the secret
	UserID        string   // the user of a ScopeUser token
	RoutePointIDs []string // the route points of a ScopeApplication token
	Created       time.Time
}

// OwnLinesOnly reports whether the token acts on some lines only (its
// user's, or its route points'), not on every line: user and application
// tokens. Call control resolves those lines and guards every operation.
func (t *Token) OwnLinesOnly() bool {
	return t.Scope == ScopeUser || t.Scope == ScopeApplication
}

// GuardRoutePoint answers PermissionDenied unless the token may act for
// route point id: admin tokens for every route point, application tokens
// for the ones they name, other tokens for none.
func (t *Token) GuardRoutePoint(id string) error {
	switch {
	case t.Scope == ScopeAdmin:
		return nil
	case t.Scope == ScopeApplication && slices.Contains(t.RoutePointIDs, id):
		return nil
	case t.Scope == ScopeApplication:
		return derrors.New(derrors.PermissionDenied, "route_point_id",
			"token %q does not serve route point %s", t.Name, id)
	default:
		return derrors.New(derrors.PermissionDenied, "route_point_id",
			"token %q has scope %s; only admin and application tokens act for route points", t.Name, t.Scope)
	}
}

// Store is the persistence port for tokens, implemented by server/store.
// CreateToken assigns ID and Created; a duplicate name is AlreadyExists.
// TokenByHash and DeleteToken answer NotFound for an unknown token.
type Store interface {
	CreateToken(ctx context.Context, t *Token) (*Token, error)
	ListTokens(ctx context.Context) ([]*Token, error)
	DeleteToken(ctx context.Context, id string) error
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	CountTokens(ctx context.Context) (int, error)
}
