package graph_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/lib/pq" // database/sql driver, to create test databases

	"github.com/rustbelt/rustbelt/graph"
)

// postgresEnv names the variable that points the tests at a PostgreSQL
// server; scripts/test.sh sets it, and without it the PostgreSQL cases skip.
const postgresEnv = "RUSTBELT_TEST_POSTGRES"

// mustOpen opens a store at addr and closes it when the test ends.
func mustOpen(t testing.TB, addr string, opt graph.Options) *graph.Store {
	t.Helper()
	s, err := graph.Open(context.Background(), addr, opt)
	if err != nil {
		t.Fatalf("open %s: %v", addr, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// boltPath is a fresh bolt file in the test's temporary folder.
func boltPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "rustbelt.bolt")
}

// backend is one kind of store the domain tests run on.
type backend struct {
	name string
	addr func(t testing.TB) string // a fresh, empty store address
}

var pgSeq atomic.Int64

// backends lists bolt, memory and (when postgresEnv is set) PostgreSQL.
func backends(t testing.TB) []backend {
	list := []backend{
		{"bolt", boltPath},
		{"memory", func(testing.TB) string { return "memory:" }},
	}
	if os.Getenv(postgresEnv) != "" {
		list = append(list, backend{"postgres", freshPostgres})
	}
	return list
}

// forEachBackend runs fn on a seeded store of every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, s *graph.Store)) {
	if os.Getenv(postgresEnv) == "" {
		t.Logf("PostgreSQL cases skipped: set %s=postgres://user@host/db to run them", postgresEnv)
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			fn(t, mustOpen(t, b.addr(t), graph.Options{}))
		})
	}
}

// freshPostgres creates an empty database for one test on the server named
// by postgresEnv and drops it when the test ends.
func freshPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("rustbelt_test_%d_%d", os.Getpid(), pgSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return replaceDatabase(base, name)
}

// replaceDatabase swaps the database name in a postgres:// URL.
func replaceDatabase(url, name string) string {
	query := ""
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, query = url[:i], url[i:]
	}
	if i := strings.LastIndexByte(url, '/'); i > len("postgres://") {
		url = url[:i]
	}
	return url + "/" + name + query
}
