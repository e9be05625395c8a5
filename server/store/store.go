// Package store persists the configuration (server/config) and the API
// tokens (server/auth) with ent, on SQLite by default and on PostgreSQL
// when given a postgres:// DSN.
//
// Every configuration write runs in one transaction that also appends a
// Change with the next revision, so the change feed is gapless and ordered.
// Writes are serialised: on PostgreSQL by a transaction-scoped advisory
// lock, on SQLite by the single connection the database is opened with.
//
// This is the only package that sees ent and driver errors; it returns
// derrors categories.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/switchboard-pbx/switchboard/server/auth"
	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/store/ent"
)

var (
	_ config.Store = (*Store)(nil)
	_ auth.Store   = (*Store)(nil)
)

// DefaultChangeRetention is how many changes are kept when
// WithChangeRetention is not given.
const DefaultChangeRetention = 100000

// postgresMaxConns is the most connections a Store opens to PostgreSQL.
const postgresMaxConns = 16

// Store is the ent-backed implementation of config.Store and auth.Store.
// It is safe for concurrent use.
type Store struct {
	client    *ent.Client
	postgres  bool
	retention int64
}

// Option configures Open.
type Option func(*options)

type options struct {
	retention int
}

// WithChangeRetention keeps the newest n changes (n >= 1); older ones are
// deleted by the write transactions that push them out. Changes asking for
// pruned history answer OutOfRange.
func WithChangeRetention(n int) Option {
	return func(o *options) { o.retention = n }
}

// Open connects to the database named by dsn and migrates its schema:
//   - "postgres://…" or "postgresql://…": PostgreSQL through pgx;
//   - ":memory:": a private in-memory SQLite database, gone on Close;
//   - anything else: the path of a SQLite database file, created if missing
//     (WAL mode, foreign keys on).
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	o := options{retention: DefaultChangeRetention}
	for _, opt := range opts {
		opt(&o)
	}
	if o.retention < 1 {
		return nil, fmt.Errorf("store: change retention %d: must be at least 1", o.retention)
	}
	db, dialectName, err := openDB(dsn)
	if err != nil {
		return nil, err
	}
	client := ent.NewClient(ent.Driver(entsql.OpenDB(dialectName, db)))
	if err := migrate(ctx, client); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("store: migrate schema: %w", err)
	}
	return &Store{
		client:    client,
		postgres:  dialectName == dialect.Postgres,
		retention: int64(o.retention),
	}, nil
}

// migrateMu serialises migrations: ent's migration mutates the generated
// package-level table descriptions, so two Opens must not run it at once.
var migrateMu sync.Mutex

// migrate creates or updates the schema.
func migrate(ctx context.Context, client *ent.Client) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	return client.Schema.Create(ctx)
}

// Close closes the database.
func (s *Store) Close() error {
	return s.client.Close()
}

// sqlitePragmas are the connection settings of every SQLite database.
// Writes are serialised by the single connection; BEGIN IMMEDIATE and the
// busy timeout keep another process sharing the file from failing ours.
var sqlitePragmas = url.Values{
	"_foreign_keys": {"on"},
	"_journal_mode": {"WAL"},
	"_busy_timeout": {"10000"},
	"_txlock":       {"immediate"},
	"_time_format":  {"sqlite"},
}

func openDB(dsn string) (*sql.DB, string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, "", fmt.Errorf("store: open postgres: %w", err)
		}
		// Writes queue on one advisory lock anyway; bound the connections
		// so that a burst of requests cannot exhaust the server's.
		db.SetMaxOpenConns(postgresMaxConns)
		db.SetMaxIdleConns(postgresMaxConns)
		return db, dialect.Postgres, nil
	}
	var name string
	switch {
	case dsn == "":
		return nil, "", errors.New("store: empty database name")
	case dsn == ":memory:":
		name = ":memory:?" + sqlitePragmas.Encode()
	default:
		abs, err := filepath.Abs(dsn)
		if err != nil {
			return nil, "", fmt.Errorf("store: database path %q: %w", dsn, err)
		}
		name = (&url.URL{Scheme: "file", Path: abs, RawQuery: sqlitePragmas.Encode()}).String()
	}
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, "", fmt.Errorf("store: open sqlite: %w", err)
	}
	// One connection: SQLite has one writer anyway, and an in-memory
	// database lives only as long as its connection. Nothing may use the
	// client outside a transaction while that transaction is open.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, dialect.SQLite, nil
}

// newID returns a new UUIDv7 string; UUIDv7s sort in creation order.
func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("store: new id: %w", err)
	}
	return id.String(), nil
}

// now is the time stamped on a write: UTC, at the microsecond precision
// both databases keep, so what a write returns equals what a read gives.
func now() time.Time {
	return time.Now().UTC().Truncate(time.Microsecond)
}
