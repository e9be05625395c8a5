// Package auth issues and checks API bearer tokens.
//
// A token's secret ("sbt_" followed by 52 base32 characters, 256 random
// bits) is shown once, when the token is created; the store keeps only its
// SHA-256 hash. Scopes decide what a token may call; server/api holds the
// table of which scope each procedure needs.
package auth

import (
	"context"
	"time"
)

// Scope is what a token may do.
type Scope int

// Scopes. The values match the API enum.
const (
	ScopeAdmin Scope = 1 // everything
	ScopeRead  Scope = 2 // read configuration and state
	ScopeUser  Scope = 3 // call control on one user's own lines
)

// Need is what a procedure requires of a token.
type Need int

// Needs, from the most open.
const (
	NeedRead      Need = iota + 1 // admin or read tokens
	NeedLines                     // admin tokens, or user tokens for their own lines (the handler checks which)
	NeedLinesRead                 // admin, read, or user tokens (user tokens see their own lines only)
	NeedAdmin                     // admin tokens only
)

// String names the need for error messages.
func (n Need) String() string {
	switch n {
	case NeedRead:
		return "a read or admin token"
	case NeedLines:
		return "an admin token, or a user token for its own lines"
	case NeedLinesRead:
		return "a read, admin or user token"
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
	case ScopeUser:
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
	default:
		return "unknown"
	}
}

// Token is an API token without its secret.
type Token struct {
	ID      string
	Name    string
	Scope   Scope
	Hash    string // hex SHA-256 of the secret
	UserID  string // the user of a ScopeUser token
	Created time.Time
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
