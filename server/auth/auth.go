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
)

// Allows reports whether a token with scope s may call a procedure that
// needs scope need.
func (s Scope) Allows(need Scope) bool {
	switch s {
	case ScopeAdmin:
		return true
	case ScopeRead:
		return need == ScopeRead
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
