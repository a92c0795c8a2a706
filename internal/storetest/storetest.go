// Package storetest opens real stores for tests: a fresh bolt file, memory:,
// and a fresh database on the PostgreSQL server that RUSTBELT_TEST_POSTGRES
// names; and writes the files and mounts that tests of loads need.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq" // database/sql driver, to create test databases

	"github.com/rustbelt/rustbelt/store"
)

// PostgresEnv names the variable that points the tests at a PostgreSQL
// server; scripts/test.sh sets it, and without it the PostgreSQL cases skip.
const PostgresEnv = "RUSTBELT_TEST_POSTGRES"

// Open opens a store at addr and closes it when the test ends.
func Open(t testing.TB, addr string, opt store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), addr, opt)
	if err != nil {
		t.Fatalf("open %s: %v", addr, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// BoltPath is a fresh bolt file in the test's temporary folder.
func BoltPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "rustbelt.bolt")
}

// Backend is one kind of store the tests run on.
type Backend struct {
	Name string
	Addr func(t testing.TB) string // a fresh, empty store address
}

var pgSeq atomic.Int64

// Backends lists bolt, memory and (when PostgresEnv is set) PostgreSQL.
func Backends(t testing.TB) []Backend {
	list := []Backend{
		{"bolt", BoltPath},
		{"memory", func(testing.TB) string { return "memory:" }},
	}
	if os.Getenv(PostgresEnv) != "" {
		list = append(list, Backend{"postgres", FreshPostgres})
	}
	return list
}

// ForEachBackend runs fn on a seeded store of every backend.
func ForEachBackend(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	if os.Getenv(PostgresEnv) == "" {
		t.Logf("PostgreSQL cases skipped: set %s=postgres://user@host/db to run them", PostgresEnv)
	}
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, Open(t, b.Addr(t), store.Options{}))
		})
	}
}

// FreshPostgres creates an empty database for one test on the server named
// by PostgresEnv and drops it when the test ends.
func FreshPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
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
	return ReplaceDatabase(base, name)
}

// ReplaceDatabase swaps the database name in a postgres:// URL.
func ReplaceDatabase(url, name string) string {
	query := ""
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, query = url[:i], url[i:]
	}
	if i := strings.LastIndexByte(url, '/'); i > len("postgres://") {
		url = url[:i]
	}
	return url + "/" + name + query
}

// PersonFacts is n valid quads (n even, at least 2) under one new source:
// the source's type and name, then people with a type and a name each.
func PersonFacts(tag string, n int) string {
	var b strings.Builder
	src := "<https://rustbelt.dev/id/source/" + tag + ">"
	fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> %s .\n", src, src)
	fmt.Fprintf(&b, "%s <http://schema.org/name> \"Generated source %s\" %s .\n", src, tag, src)
	for i := 0; i < n/2-1; i++ {
		p := fmt.Sprintf("<https://rustbelt.dev/id/person/%s-%d>", tag, i)
		fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> %s .\n", p, src)
		fmt.Fprintf(&b, "%s <http://schema.org/name> \"Person %s %d\" %s .\n", p, tag, i, src)
	}
	return b.String()
}

// WriteTemp writes content to name in a new temporary folder.
func WriteTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// MountTmpfs mounts a tmpfs of size bytes on a new folder and unmounts it
// when the test ends. It needs root; CI runs as root, so there the test
// fails rather than skips without it.
func MountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a small tmpfs to fill: %v (CI runs as root)", err)
		}
		t.Skipf("mount a small tmpfs to fill: %v (run as root)", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// RemountReadOnly makes a tmpfs from MountTmpfs read-only, for root too.
func RemountReadOnly(t *testing.T, dir string) {
	t.Helper()
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount %s read-only: %v", dir, err)
	}
}

// IDs lists what id says of each row, sorted.
func IDs[T any](rows []T, id func(T) string) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, id(r))
	}
	sort.Strings(out)
	return out
}

// SameSet reports whether got (sorted) holds the same strings as want.
func SameSet(got, want []string) bool {
	want = append([]string(nil), want...)
	sort.Strings(want)
	return strings.Join(got, "|") == strings.Join(want, "|")
}

// StringInput is an input named name that reads text.
func StringInput(name, text string) store.Input {
	return store.Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}
}

// NewFacts is a new person under a new source: four valid quads.
const NewFacts = `<https://rustbelt.dev/id/person/test-official> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/test> .
<https://rustbelt.dev/id/person/test-official> <http://schema.org/name> "Test Official" <https://rustbelt.dev/id/source/test> .
<https://rustbelt.dev/id/source/test> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> <https://rustbelt.dev/id/source/test> .
<https://rustbelt.dev/id/source/test> <http://schema.org/name> "A test source" <https://rustbelt.dev/id/source/test> .
`

var (
	seededOnce  sync.Once
	seeded      *store.Store
	seededError error
)

// SeededMemory is one seeded memory store shared by the tests of a process
// that only read it (fuzz targets, mostly), so that each input costs a
// lookup rather than a seeding. It is never closed.
func SeededMemory(t testing.TB) *store.Store {
	t.Helper()
	seededOnce.Do(func() {
		seeded, seededError = store.Open(context.Background(), "memory:", store.Options{})
	})
	if seededError != nil {
		t.Fatal(seededError)
	}
	return seeded
}
