package store

import (
	"errors"
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql/sqlgraph"

	"github.com/switchboard-pbx/switchboard/server/derrors"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
)

// errAborted is the optimistic-concurrency failure of updates and deletes.
var errAborted = derrors.New(derrors.Aborted, "", "etag mismatch: resource was changed, re-read it")

// unique describes one unique column and the value a write tried to put
// in it, to name the field when the database refuses a duplicate.
type unique struct {
	table, column string // as in the generated ent package
	field         string // request field, e.g. "extension"
	message       string // e.g. "extension 1001 is already in use"
}

// matches reports whether err is the violation of this column's unique
// index, by the SQLite ("UNIQUE constraint failed: users.extension") or
// the PostgreSQL (`unique constraint "users_extension_key"`) text.
func (u unique) matches(err error) bool {
	msg := err.Error()
	sqlite := u.table + "." + u.column
	if i := strings.Index(msg, sqlite); i > 0 {
		end := i + len(sqlite)
		if end == len(msg) || strings.ContainsRune(", )", rune(msg[end])) {
			return true
		}
	}
	return strings.Contains(msg, `"`+u.table+"_"+u.column+`_key"`)
}

// mapWriteErr turns a database error of a write into a derrors category:
// the unique violations in uniques into AlreadyExists naming the field,
// other unique violations into a generic AlreadyExists, foreign-key
// violations into FailedPrecondition, ent's not-found into NotFound and
// its validation errors (an empty name, say) into InvalidArgument.
// Errors that already carry a category pass through.
func mapWriteErr(err error, what string, uniques ...unique) error {
	if err == nil || derrors.Category(err) != nil {
		return err
	}
	switch {
	case sqlgraph.IsUniqueConstraintError(err):
		for _, u := range uniques {
			if u.matches(err) {
				return derrors.New(derrors.AlreadyExists, u.field, "%s", u.message)
			}
		}
		return derrors.New(derrors.AlreadyExists, "", "%s: a unique field is already in use", what)
	case sqlgraph.IsForeignKeyConstraintError(err):
		return derrors.New(derrors.FailedPrecondition, "",
			"%s: a referenced resource does not exist or is still referenced", what)
	case ent.IsNotFound(err):
		return notFound(what)
	case ent.IsValidationError(err):
		var v *ent.ValidationError
		errors.As(err, &v)
		return derrors.New(derrors.InvalidArgument, v.Name, "%s: %v", what, v.Unwrap())
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// mapReadErr turns ent's not-found into NotFound and wraps anything else.
func mapReadErr(err error, what string) error {
	if err == nil {
		return nil
	}
	if ent.IsNotFound(err) {
		return notFound(what)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// notFound is the NotFound error for what, e.g. "site 0190…".
func notFound(what string) error {
	return derrors.New(derrors.NotFound, "", "%s not found", what)
}

// inUse is the FailedPrecondition of a delete that would leave references.
func inUse(format string, args ...any) error {
	return derrors.New(derrors.FailedPrecondition, "", format, args...)
}

// missingRef is the error of a write that names a resource that does not
// exist, e.g. a user's site.
func missingRef(field, what string) error {
	return derrors.New(derrors.FailedPrecondition, field, "%s does not exist", what)
}
