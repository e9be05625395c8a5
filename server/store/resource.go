package store

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// newMeta is the Meta of a resource being created: a new id, version 1.
func (w *writeTx) newMeta() (config.Meta, error) {
	id, err := newID()
	if err != nil {
		return config.Meta{}, err
	}
	return config.Meta{ID: id, Version: 1, Created: w.now, Updated: w.now}, nil
}

// nextMeta is the Meta of a resource being updated from version have,
// or Aborted when the caller read another version (want > 0).
func (w *writeTx) nextMeta(id string, want, have int64, created time.Time) (config.Meta, error) {
	if err := checkVersion(want, have); err != nil {
		return config.Meta{}, err
	}
	return config.Meta{ID: id, Version: have + 1, Created: created.UTC(), Updated: w.now}, nil
}

// checkVersion answers Aborted when want (> 0) is not the current version.
func checkVersion(want, have int64) error {
	if want > 0 && want != have {
		return fmt.Errorf("version %d, current %d: %w", want, have, errAborted)
	}
	return nil
}

// meta builds a Meta from stored values, in UTC whatever the driver gave.
func meta(id string, version int64, created, updated time.Time) config.Meta {
	return config.Meta{ID: id, Version: version, Created: created.UTC(), Updated: updated.UTC()}
}

// checkPage validates a page request.
func checkPage(p config.Page) error {
	if p.Size <= 0 {
		return derrors.New(derrors.InvalidArgument, "page_size", "must be greater than 0, got %d", p.Size)
	}
	return nil
}

// requireRef answers FailedPrecondition naming field when exist reports
// that the referenced resource (what, e.g. "site 0190…") is missing.
func requireRef(ctx context.Context, exist func(context.Context) (bool, error), field, what string) error {
	ok, err := exist(ctx)
	if err != nil {
		return fmt.Errorf("store: look up %s: %w", what, err)
	}
	if !ok {
		return missingRef(field, what)
	}
	return nil
}

// count returns n followed by noun, pluralised: "1 user", "3 users".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// convert applies f to every element of in.
func convert[E, D any](in []E, f func(E) D) []D {
	out := make([]D, len(in))
	for i, e := range in {
		out[i] = f(e)
	}
	return out
}
