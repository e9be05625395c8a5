package store

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

func hashOf(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func testTokens(t *testing.T, open backend) {
	ctx := t.Context()
	s := open(t)
	if n, err := s.CountTokens(ctx); err != nil || n != 0 {
		t.Fatalf("CountTokens of an empty store = %d, %v", n, err)
	}
	admin, err := s.CreateToken(ctx, &auth.Token{ID: "ignored", Name: "admin", Scope: auth.ScopeAdmin, Hash: hashOf("a")})
	if err != nil {
		t.Fatal(err)
	}
	if admin.ID == "ignored" || admin.ID == "" || admin.Created.IsZero() {
		t.Fatalf("created token = %+v", admin)
	}
	reader, err := s.CreateToken(ctx, &auth.Token{Name: "reader", Scope: auth.ScopeRead, Hash: hashOf("r")})
	if err != nil {
		t.Fatal(err)
	}
	dupes := []struct {
		name  string
		token auth.Token
		field string
	}{
		{"name", auth.Token{Name: "admin", Scope: auth.ScopeRead, Hash: hashOf("x")}, "name"},
		{"hash", auth.Token{Name: "other", Scope: auth.ScopeRead, Hash: hashOf("a")}, "hash"},
	}
	for _, tc := range dupes {
		_, err := s.CreateToken(ctx, &tc.token)
		wantCategory(t, err, derrors.AlreadyExists)
		if de, ok := err.(*derrors.Error); !ok || de.Field != tc.field {
			t.Errorf("duplicate %s: err = %#v, want field %q", tc.name, err, tc.field)
		}
	}
	got, err := s.TokenByHash(ctx, hashOf("r"))
	if err != nil || !cmp.Equal(reader, got) {
		t.Fatalf("TokenByHash = %+v, %v; want %+v", got, err, reader)
	}
	ids := []string{"0190d7a2-0000-7000-8000-000000000001", "0190d7a2-0000-7000-8000-000000000002"}
	app, err := s.CreateToken(ctx, &auth.Token{Name: "ivr", Scope: auth.ScopeApplication, Hash: hashOf("i"),
		RoutePointIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	ids[0] = "changed by the caller"
	if got, err := s.TokenByHash(ctx, hashOf("i")); err != nil || !cmp.Equal(app, got) ||
		len(got.RoutePointIDs) != 2 || got.RoutePointIDs[0] != "0190d7a2-0000-7000-8000-000000000001" {
		t.Fatalf("application TokenByHash = %+v, %v; want %+v", got, err, app)
	}
	if err := s.DeleteToken(ctx, app.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.TokenByHash(ctx, hashOf("unknown"))
	wantCategory(t, err, derrors.NotFound)
	list, err := s.ListTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*auth.Token{admin, reader}, list); diff != "" {
		t.Fatalf("ListTokens (-want +got):\n%s", diff)
	}
	if err := s.DeleteToken(ctx, admin.ID); err != nil {
		t.Fatal(err)
	}
	wantCategory(t, s.DeleteToken(ctx, admin.ID), derrors.NotFound)
	if n, err := s.CountTokens(ctx); err != nil || n != 1 {
		t.Fatalf("CountTokens = %d, %v; want 1", n, err)
	}
	if rev, err := s.Revision(ctx); err != nil || rev != 0 {
		t.Fatalf("Revision after token writes = %d, %v; want 0 (tokens are not configuration)", rev, err)
	}
}
