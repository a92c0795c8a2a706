package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/rustbelt/rustbelt/store"
)

// TestPostgresReaderWithoutCreateRights opens a store as a role that may
// only read its tables, as an analyst's account on a shared database is:
// the open must not try to create Cayley's tables (it did, and failed with
// "permission denied for schema public"), and questions must be answered.
func TestPostgresReaderWithoutCreateRights(t *testing.T) {
	if os.Getenv(postgresEnv) == "" {
		t.Skipf("set %s to run it", postgresEnv)
	}
	ctx := context.Background()
	addr := freshPostgres(t)
	mustOpen(t, addr, store.Options{}).Close() // made and seeded by its owner
	admin, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	role := fmt.Sprintf("rustbelt_reader_%d", os.Getpid())
	for _, stmt := range []string{
		"DROP ROLE IF EXISTS " + role,
		"CREATE ROLE " + role + " LOGIN",
		"REVOKE CREATE ON SCHEMA public FROM PUBLIC",
		"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
	} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	t.Cleanup(func() {
		admin.Exec("DROP OWNED BY " + role)
		admin.Exec("DROP ROLE " + role)
	})
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	s, err := store.Open(ctx, u.String(), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("open as a reader: %v", err)
	}
	defer s.Close()
	quads, _, err := s.Counts(ctx)
	if err != nil || quads == 0 {
		t.Errorf("a reader counts %d quads, %v", quads, err)
	}
	if _, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{}); err == nil {
		t.Error("a read-only open loaded quads")
	}
}
