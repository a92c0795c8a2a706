package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/store"
)

func TestCreateMakesANewStoreSeededOrEmpty(t *testing.T) {
	ctx := context.Background()
	want := seedQuads(t)
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			for _, empty := range []bool{true, false} {
				addr := b.Addr(t)
				s, err := store.Create(ctx, addr, store.Options{NoSeed: empty})
				if err != nil {
					t.Fatalf("create (empty %v): %v", empty, err)
				}
				got := quadCount(t, s)
				s.Close()
				if empty && got != 0 || !empty && got != want {
					t.Errorf("create (empty %v) made a store of %d quads", empty, got)
				}
				if b.Name == "memory" {
					continue // every memory store is new
				}
				again, err := store.Create(ctx, addr, store.Options{NoSeed: true})
				if err == nil {
					again.Close()
				}
				if empty && err != nil {
					t.Errorf("create over an empty store: %v, want it taken as new", err)
				}
				if !empty && (fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "already exists")) {
					t.Errorf("create over a full store: %v, want Invalid saying it exists", err)
				}
			}
		})
	}
}

// TestCreationCutShortIsFinishedByTheNextOpen fails the first seed of a new
// store in the middle of its write, as a file that cannot be read or a
// dropped connection would, and opens the store again: the store must not
// be taken as made, and the next open must seed it completely, once.
//
// (The cut is an error, not a cancelled context: lib/pq v1.1.1 races with
// itself when the context of a COPY is cancelled.)
func TestCreationCutShortIsFinishedByTheNextOpen(t *testing.T) {
	want := seedQuads(t)
	files := len(store.SeedInputs())
	tests := []struct {
		name string
		addr func(testing.TB) string
		// cutAt is the opening of a seed file that is cut: one that
		// happens while the seed is writing. A bolt store is written in
		// the one pass over the files; PostgreSQL's load reads every file
		// to validate it before its transaction starts.
		cutAt   int
		writing func(t *testing.T, addr string) bool
	}{
		{"bolt", boltPath, 3, buildingBolt},
		{"postgres", freshPostgres, files + 2, inTransaction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "postgres" && os.Getenv(postgresEnv) == "" {
				t.Skipf("set %s to run it", postgresEnv)
			}
			addr := tt.addr(t)
			var mu sync.Mutex
			opened, midWrite := 0, false
			restore := store.SetSeedInputs(func() []store.Input {
				inputs := store.SeedInputs()
				for i, in := range inputs {
					inputs[i].Open = func() (io.ReadCloser, error) {
						mu.Lock()
						defer mu.Unlock()
						if opened++; opened == tt.cutAt {
							midWrite = tt.writing(t, addr)
							return nil, errors.New("cut short")
						}
						return in.Open()
					}
				}
				return inputs
			})
			s, err := store.Open(context.Background(), addr, store.Options{})
			restore()
			if err == nil {
				s.Close()
				t.Fatal("the seed that was cut short succeeded")
			}
			mu.Lock()
			if !midWrite {
				t.Fatalf("the cut (at the opening of seed file %d of %d) did not land while the seed was writing", opened, files)
			}
			mu.Unlock()

			var log bytes.Buffer
			s = mustOpen(t, addr, store.Options{Log: &log})
			if got := quadCount(t, s); got != want {
				t.Errorf("after a seed cut short the store holds %d quads, want the %d of the dataset", got, want)
			}
			if !strings.Contains(log.String(), "new store") {
				t.Errorf("the second open said %q, want the seeding note", log.String())
			}
			s.Close()
			log.Reset()
			s = mustOpen(t, addr, store.Options{Log: &log})
			if got := quadCount(t, s); got != want || log.Len() > 0 {
				t.Errorf("third open: %d quads, %q; want %d and no seeding", got, log.String(), want)
			}
		})
	}
}

// buildingBolt reports whether a new bolt store is being built beside path.
func buildingBolt(t *testing.T, path string) bool {
	building, _ := filepath.Glob(path + ".tmp-*")
	return len(building) > 0
}

// inTransaction reports whether another session is inside a transaction
// on the database that addr names.
func inTransaction(t *testing.T, addr string) bool {
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Error(err)
		return false
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`).Scan(&n)
	if err != nil {
		t.Error(err)
	}
	return n > 0
}
