package api

import (
	"testing"
)

// TestEveryProcedureHasAScope guards the fail-closed scope table: a new RPC
// must be given a scope (or be deliberately open) before it can be called.
func TestEveryProcedureHasAScope(t *testing.T) {
	t.Parallel()
	srv := NewServer(Deps{})
	n := 0
	for spec := range srv.Specs() {
		n++
		if _, ok := scopes[spec.Procedure]; !ok && !isOpen(spec.Procedure) {
			t.Errorf("%s has no scope in the table", spec.Procedure)
		}
	}
	if n < len(scopes) {
		t.Errorf("server registers %d procedures, fewer than the %d in the scope table", n, len(scopes))
	}
}

func TestBearer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   string
		ok     bool
	}{
		{"Bearer sbt_abc", "sbt_abc", true},
		{"bearer   sbt_abc ", "sbt_abc", true},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Bearer ", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			t.Parallel()
			got, ok := bearer(tc.header)
			if got != tc.want || ok != tc.ok {
				t.Errorf("bearer(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.ok)
			}
		})
	}
}
