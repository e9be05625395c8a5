package store

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/switchboard-pbx/switchboard/server/config"
	"github.com/switchboard-pbx/switchboard/server/derrors"
)

// backend opens a new, empty store that is closed when the test ends.
type backend func(t *testing.T, opts ...Option) *Store

// The same suite runs on every backend.

func TestSQLiteMemory(t *testing.T) {
	t.Parallel()
	runSuite(t, func(t *testing.T, opts ...Option) *Store {
		return openStore(t, ":memory:", opts...)
	})
}

func TestSQLiteFile(t *testing.T) {
	t.Parallel()
	runSuite(t, func(t *testing.T, opts ...Option) *Store {
		return openStore(t, filepath.Join(t.TempDir(), "config.db"), opts...)
	})
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	runSuite(t, postgresBackend(t))
}

func runSuite(t *testing.T, open backend) {
	tests := []struct {
		name string
		run  func(*testing.T, backend)
	}{
		{"Bootstrap", testBootstrap},
		{"BootstrapAtomic", testBootstrapAtomic},
		{"Sites", testSites},
		{"Servers", testServers},
		{"ClassesOfService", testClassesOfService},
		{"Users", testUsers},
		{"UserQueries", testUserQueries},
		{"Devices", testDevices},
		{"DialPlan", testDialPlan},
		{"Unique", testUnique},
		{"Versions", testVersions},
		{"NotFound", testNotFound},
		{"References", testReferences},
		{"DeleteUserCascades", testDeleteUserCascades},
		{"Pagination", testPagination},
		{"Filters", testFilters},
		{"Changes", testChanges},
		{"ChangesPaging", testChangesPaging},
		{"ChangesRetention", testChangesRetention},
		{"RoutePoints", testRoutePoints},
		{"RoutePointRules", testRoutePointRules},
		{"ExtensionSpace", testExtensionSpace},
		{"Tokens", testTokens},
		{"ConcurrentSameExtension", testConcurrentSameExtension},
		{"ConcurrentDistinctUsers", testConcurrentDistinctUsers},
		{"ConcurrentUserAndRoutePoint", testConcurrentUserAndRoutePoint},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, open)
		})
	}
}

func openStore(t *testing.T, dsn string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(t.Context(), dsn, opts...)
	if err != nil {
		t.Fatalf("Open(%q): %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestOpenRejectsBadRetention(t *testing.T) {
	t.Parallel()
	if s, err := Open(t.Context(), ":memory:", WithChangeRetention(0)); err == nil {
		_ = s.Close()
		t.Fatal("Open with retention 0 succeeded, want an error")
	}
}

func TestSQLiteFileReopen(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "config.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	hq, _, err := s.Bootstrap(ctx, testBootstrapConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path)
	pragmas := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000"}
	for name, want := range pragmas {
		var got string
		rows, err := s.client.QueryContext(ctx, "PRAGMA "+name)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			if err := rows.Scan(&got); err != nil {
				t.Fatal(err)
			}
		}
		_ = rows.Close()
		if got != want {
			t.Errorf("PRAGMA %s = %q, want %q", name, got, want)
		}
	}
	again, created, err := s.Bootstrap(ctx, testBootstrapConfig())
	if err != nil || created || again.ID != hq.ID {
		t.Fatalf("Bootstrap after reopen = %v, %v, %v; want HQ %s, false, nil", again, created, err, hq.ID)
	}
	if rev, err := s.Revision(ctx); err != nil || rev != 4 {
		t.Fatalf("Revision after reopen = %d, %v; want 4", rev, err)
	}
}

// fixture is a bootstrapped store with its ids.
type fixture struct {
	s      *Store
	hq     *config.Server
	siteID string // the HQ's site
	cosID  string // the default class of service
}

func testBootstrapConfig() config.Bootstrap {
	return config.Bootstrap{
		Site:           config.Site{Name: "Headquarters", TimeZone: "Europe/Berlin"},
		Server:         config.Server{Name: "hq", Role: config.RoleHQ},
		DialPlan:       config.DialPlan{ExtensionLength: 4, TrunkAccessCode: "0", SIPRealm: "pbx.test"},
		ClassOfService: config.ClassOfService{Name: "Default", DialingScope: config.ScopeNational},
	}
}

func newFixture(t *testing.T, open backend, opts ...Option) fixture {
	t.Helper()
	s := open(t, opts...)
	hq, _, err := s.Bootstrap(t.Context(), testBootstrapConfig())
	if err != nil {
		t.Fatalf("Bootstrap: %v", err)
	}
	dp, err := s.GetDialPlan(t.Context())
	if err != nil {
		t.Fatalf("GetDialPlan: %v", err)
	}
	return fixture{s: s, hq: hq, siteID: hq.SiteID, cosID: dp.DefaultClassOfServiceID}
}

func (f fixture) site(t *testing.T, name string) *config.Site {
	t.Helper()
	s, err := f.s.CreateSite(t.Context(), &config.Site{Name: name})
	if err != nil {
		t.Fatalf("CreateSite(%s): %v", name, err)
	}
	return s
}

func (f fixture) user(t *testing.T, ext string) *config.User {
	t.Helper()
	return f.userAt(t, ext, f.siteID, f.cosID)
}

func (f fixture) userAt(t *testing.T, ext, siteID, cosID string) *config.User {
	t.Helper()
	u, err := f.s.CreateUser(t.Context(), &config.User{
		Extension: ext, FirstName: "User", LastName: ext, SiteID: siteID, ClassOfServiceID: cosID,
	})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", ext, err)
	}
	return u
}

func (f fixture) device(t *testing.T, userID, username string) *config.Device {
	t.Helper()
	d, err := f.s.CreateDevice(t.Context(), &config.Device{UserID: userID, SIPUsername: username})
	if err != nil {
		t.Fatalf("CreateDevice(%s): %v", username, err)
	}
	return d
}

func (f fixture) revision(t *testing.T) int64 {
	t.Helper()
	rev, err := f.s.Revision(t.Context())
	if err != nil {
		t.Fatalf("Revision: %v", err)
	}
	return rev
}

// wantCategory fails the test unless err is of category want.
func wantCategory(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v (category %v), want category %v", err, derrors.Category(err), want)
	}
}
