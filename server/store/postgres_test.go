package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// postgresEnv names the variable holding the DSN of a PostgreSQL server
// for the tests (scripts/postgres.sh starts one and prints it).
const postgresEnv = "SWITCHBOARD_TEST_POSTGRES"

// postgresBackend returns a backend that opens each store on a new
// database of the server named by SWITCHBOARD_TEST_POSTGRES and drops it
// when the test ends. Without the variable the test is skipped, or fails
// when CI=true.
func postgresBackend(t *testing.T) backend {
	t.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		const msg = postgresEnv + " is not set: skipping the PostgreSQL store tests " +
			"(run `export " + postgresEnv + "=$(scripts/postgres.sh)` to enable them)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("open %s: %v", postgresEnv, err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	if err := admin.PingContext(t.Context()); err != nil {
		t.Fatalf("connect to %s: %v", postgresEnv, err)
	}
	run := strings.ToLower(rand.Text()[:10])
	var n atomic.Int64
	return func(t *testing.T, opts ...Option) *Store {
		t.Helper()
		name := fmt.Sprintf("switchboard_test_%s_%d", run, n.Add(1))
		dbDSN, err := withDatabase(dsn, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.ExecContext(t.Context(), `CREATE DATABASE "`+name+`"`); err != nil {
			t.Fatalf("create database %s: %v", name, err)
		}
		t.Cleanup(func() {
			// The store registered later is closed first.
			q := `DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`
			if _, err := admin.ExecContext(context.Background(), q); err != nil {
				t.Errorf("drop database %s: %v", name, err)
			}
		})
		return openStore(t, dbDSN, opts...)
	}
}

// withDatabase returns dsn with its database replaced by name.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", postgresEnv, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}
