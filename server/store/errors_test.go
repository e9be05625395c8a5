package store

import (
	"errors"
	"testing"

	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// The texts are those ent returns over modernc.org/sqlite and pgx.
func TestMapWriteErr(t *testing.T) {
	t.Parallel()
	ext := extensionUnique("1001")
	sip := sipUsernameUnique("ada")
	tests := []struct {
		name      string
		err       string
		category  error
		wantField string
	}{
		{"sqlite extension", "ent: constraint failed: constraint failed: UNIQUE constraint failed: users.extension (2067)",
			derrors.AlreadyExists, "extension"},
		{"postgres extension", `ent: constraint failed: ERROR: duplicate key value violates unique constraint "users_extension_key" (SQLSTATE 23505)`,
			derrors.AlreadyExists, "extension"},
		{"sqlite sip username", "UNIQUE constraint failed: devices.sip_username",
			derrors.AlreadyExists, "sip_username"},
		{"postgres sip username", `ERROR: duplicate key value violates unique constraint "devices_sip_username_key" (SQLSTATE 23505)`,
			derrors.AlreadyExists, "sip_username"},
		{"sqlite other column", "UNIQUE constraint failed: users.email (2067)", derrors.AlreadyExists, ""},
		{"postgres other column", `ERROR: duplicate key value violates unique constraint "users_email_key"`,
			derrors.AlreadyExists, ""},
		{"sqlite longer column name", "UNIQUE constraint failed: users.extension_old (2067)", derrors.AlreadyExists, ""},
		{"sqlite foreign key", "constraint failed: FOREIGN KEY constraint failed (787)", derrors.FailedPrecondition, ""},
		{"postgres foreign key", `ERROR: update or delete on table "sites" violates foreign key constraint "users_sites_users" on table "users" (SQLSTATE 23503)`,
			derrors.FailedPrecondition, ""},
		{"other", "connection refused", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := mapWriteErr(errors.New(tc.err), "user 1001", ext, sip)
			if got := derrors.Category(err); got != tc.category {
				t.Fatalf("category of %v = %v, want %v", err, got, tc.category)
			}
			var de *derrors.Error
			if errors.As(err, &de) && de.Field != tc.wantField {
				t.Fatalf("field = %q, want %q", de.Field, tc.wantField)
			}
		})
	}
}
