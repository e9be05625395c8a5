// Package derrors defines the error categories that domain packages return.
//
// A domain error wraps one of the sentinel categories with context:
//
//	return fmt.Errorf("user %s: %w", id, derrors.NotFound)
//
// or, when the message is meant for the API caller, with New:
//
//	return derrors.New(derrors.InvalidArgument, "user.extension", "must be 4 digits")
//
// server/api maps each category to a Connect code in one table; an error
// without a category becomes Internal and its text is logged, not sent.
package derrors

import (
	"errors"
	"fmt"
	"strings"
)

// Category sentinels. Compare with errors.Is.
var (
	// NotFound: the resource named does not exist.
	NotFound = errors.New("not found")
	// InvalidArgument: the request is malformed or breaks a rule of its own.
	InvalidArgument = errors.New("invalid argument")
	// AlreadyExists: a unique name or number is taken.
	AlreadyExists = errors.New("already exists")
	// FailedPrecondition: the system is not in a state that allows the operation.
	FailedPrecondition = errors.New("failed precondition")
	// Aborted: a concurrent change won (stale etag or version).
	Aborted = errors.New("aborted")
	// OutOfRange: a position (revision, sequence) is outside what is retained.
	OutOfRange = errors.New("out of range")
	// Unavailable: a dependency is down; the caller may retry later.
	Unavailable = errors.New("unavailable")
	// PermissionDenied: the caller is known but may not do this.
	PermissionDenied = errors.New("permission denied")
	// Unauthenticated: the caller could not be identified.
	Unauthenticated = errors.New("unauthenticated")
)

// Error is a categorised error whose message is safe to show the caller.
type Error struct {
	Category error  // one of the sentinels above
	Field    string // request field at fault, e.g. "user.extension"; may be empty
	Message  string // human-readable, safe to send to the caller
}

// New returns an Error of the given category. field may be empty.
func New(category error, field, format string, args ...any) *Error {
	return &Error{Category: category, Field: field, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// Unwrap lets errors.Is match the category.
func (e *Error) Unwrap() error { return e.Category }

// Category returns the sentinel category of err, or nil when it has none.
func Category(err error) error {
	for _, c := range []error{NotFound, InvalidArgument, AlreadyExists, FailedPrecondition,
		Aborted, OutOfRange, Unavailable, PermissionDenied, Unauthenticated} {
		if errors.Is(err, c) {
			return c
		}
	}
	return nil
}

// Public returns the caller-safe message of err: the Error's text when err
// carries an *Error, else the category's name.
func Public(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	if c := Category(err); c != nil {
		return c.Error()
	}
	return "internal error"
}

// Qualify prefixes the field of err with the request field holding the
// resource, so that a store error about "extension" reads
// "user.extension". Errors without a field, or already qualified, pass
// through.
func Qualify(prefix string, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Field == "" || strings.Contains(e.Field, ".") {
		return err
	}
	q := *e
	q.Field = prefix + "." + e.Field
	return &q
}
