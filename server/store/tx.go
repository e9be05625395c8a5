package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
	"github.com/switchboard-pbx/switchboard/server/store/ent/change"
)

// writeLockKey is the PostgreSQL advisory lock that serialises
// configuration writes ("swbdcfg1" as a big-endian int64).
const writeLockKey int64 = 0x7377626463666731

// writeTx is one configuration write transaction. Every change it records
// gets the next revision; all of them, and the resources written, get the
// same time.
type writeTx struct {
	*ent.Tx
	now  time.Time
	rev  int64 // newest revision, 0 until loaded
	read bool  // rev has been loaded
}

// write runs fn in a transaction that holds the write lock, then prunes
// the change feed and commits. Any error rolls everything back.
func (s *Store) write(ctx context.Context, fn func(w *writeTx) error) error {
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	w := &writeTx{Tx: tx}
	if err := s.runWrite(ctx, w, fn); err != nil {
		// A failed rollback leaves nothing behind either: the database
		// discards a transaction that is never committed.
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func (s *Store) runWrite(ctx context.Context, w *writeTx, fn func(w *writeTx) error) error {
	if s.postgres {
		if _, err := w.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", writeLockKey); err != nil {
			return fmt.Errorf("store: write lock: %w", err)
		}
	}
	// Taken once the write lock is held, so that change times follow
	// revision order.
	w.now = now()
	if err := fn(w); err != nil {
		return err
	}
	if !w.read {
		return nil
	}
	_, err := w.Change.Delete().Where(change.RevisionLTE(w.rev - s.retention)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: prune changes: %w", err)
	}
	return nil
}

// record appends a change for resource (a pointer to a config struct) with
// the next revision.
func (w *writeTx) record(ctx context.Context, kind config.Kind, id string, op config.Op, resource any) error {
	if !w.read {
		rev, err := latestRevision(ctx, w.Client())
		if err != nil {
			return err
		}
		w.rev, w.read = rev, true
	}
	data, err := json.Marshal(resource)
	if err != nil {
		return fmt.Errorf("store: encode change: %w", err)
	}
	err = w.Change.Create().
		SetRevision(w.rev + 1).
		SetTime(w.now).
		SetKind(int(kind)).
		SetResourceID(id).
		SetOp(int(op)).
		SetData(data).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: record change: %w", err)
	}
	w.rev++
	return nil
}

// latestRevision returns the newest revision in the change table, 0 when
// it is empty.
func latestRevision(ctx context.Context, c *ent.Client) (int64, error) {
	var revs []int64
	err := c.Change.Query().
		Order(ent.Desc(change.FieldRevision)).
		Limit(1).
		Select(change.FieldRevision).
		Scan(ctx, &revs)
	if err != nil {
		return 0, fmt.Errorf("store: latest revision: %w", err)
	}
	if len(revs) == 0 {
		return 0, nil
	}
	return revs[0], nil
}
