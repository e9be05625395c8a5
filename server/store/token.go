package store

import (
	"context"
	"slices"

	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/token"
)

// Tokens are not configuration: their writes record no change and take no
// write lock.

// CreateToken stores a token, assigning ID and Created. A taken name (or
// hash) is AlreadyExists.
func (s *Store) CreateToken(ctx context.Context, in *auth.Token) (*auth.Token, error) {
	id, err := newID()
	if err != nil {
		return nil, err
	}
	out := *in
	out.ID, out.Created = id, now()
	create := s.client.Token.Create().
		SetID(out.ID).SetName(out.Name).SetScope(int(out.Scope)).SetHash(out.Hash).SetCreated(out.Created).
		SetUserID(out.UserID)
	if len(out.RoutePointIDs) > 0 {
		out.RoutePointIDs = slices.Clone(out.RoutePointIDs)
		create.SetRoutePointIds(out.RoutePointIDs)
	}
	err = create.Exec(ctx)
	if err != nil {
		return nil, mapWriteErr(err, "token "+out.Name,
			unique{token.Table, token.FieldName, "name", "token name " + out.Name + " is already in use"},
			unique{token.Table, token.FieldHash, "hash", "a token with this secret already exists"})
	}
	return &out, nil
}

// ListTokens returns every token in id (creation) order.
func (s *Store) ListTokens(ctx context.Context) ([]*auth.Token, error) {
	rows, err := s.client.Token.Query().Order(ent.Asc(token.FieldID)).All(ctx)
	if err != nil {
		return nil, mapReadErr(err, "tokens")
	}
	return convert(rows, tokenFromEnt), nil
}

// DeleteToken deletes the token with id.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	n, err := s.client.Token.Delete().Where(token.ID(id)).Exec(ctx)
	if err != nil {
		return mapWriteErr(err, "token "+id)
	}
	if n == 0 {
		return notFound("token " + id)
	}
	return nil
}

// TokenByHash returns the token whose secret hashes to hash.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*auth.Token, error) {
	e, err := s.client.Token.Query().Where(token.Hash(hash)).Only(ctx)
	if err != nil {
		return nil, mapReadErr(err, "token")
	}
	return tokenFromEnt(e), nil
}

// CountTokens returns how many tokens exist.
func (s *Store) CountTokens(ctx context.Context) (int, error) {
	n, err := s.client.Token.Query().Count(ctx)
	if err != nil {
		return 0, mapReadErr(err, "tokens")
	}
	return n, nil
}

func tokenFromEnt(e *ent.Token) *auth.Token {
	t := &auth.Token{
		ID:      e.ID,
		Name:    e.Name,
		Scope:   auth.Scope(e.Scope),
		Hash:    e.Hash,
		UserID:  e.UserID,
		Created: e.Created.UTC(),
	}
	if len(e.RoutePointIds) > 0 {
		t.RoutePointIDs = e.RoutePointIds
	}
	return t
}
