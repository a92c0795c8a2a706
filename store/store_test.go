package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/seeds"
	"github.com/rustbelt/rustbelt/store"
)

// seedQuads counts the quads of the bundled dataset.
func seedQuads(t testing.TB) int64 {
	t.Helper()
	n, problems, err := store.Validate(context.Background(), store.SeedInputs(), store.LoadOptions{Strict: true})
	if err != nil || len(problems) > 0 {
		t.Fatalf("bundled dataset: %v %v", err, problems)
	}
	return n
}

func quadCount(t testing.TB, s *store.Store) int64 {
	t.Helper()
	st, err := graph.New(s).Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Quads
}

func TestNewStoreIsSeededOnceAndSaysSo(t *testing.T) {
	want := seedQuads(t)
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			addr := b.Addr(t)
			var log bytes.Buffer
			s := mustOpen(t, addr, store.Options{Log: &log})
			if got := quadCount(t, s); got != want {
				t.Errorf("new store holds %d quads, want the %d of the dataset", got, want)
			}
			line := regexp.MustCompile(`^rustbelt: new store .*: loaded (\d+) quads from 5 sources\n$`)
			if m := line.FindStringSubmatch(log.String()); m == nil || m[1] != strconv.FormatInt(want, 10) {
				t.Errorf("seeding note = %q, want one line with %d quads from 5 sources", log.String(), want)
			}
			if b.Name == "memory" {
				return // a memory store is new every time
			}
			s.Close()
			log.Reset()
			again := mustOpen(t, addr, store.Options{Log: &log})
			if got := quadCount(t, again); got != want {
				t.Errorf("reopened store holds %d quads, want %d", got, want)
			}
			if log.Len() != 0 {
				t.Errorf("reopening seeded again: %q", log.String())
			}
		})
	}
}

func TestEveryQuadCarriesItsSource(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		st, err := graph.New(s).Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if st.Unsourced != 0 {
			t.Errorf("%d quads have no source label", st.Unsourced)
		}
		var total int64
		for _, src := range st.Sources {
			if src.Title == "" {
				t.Errorf("label %s is not a described source", src.ID)
			}
			total += src.Quads
		}
		if total != st.Quads || len(st.Sources) != len(seeds.Names()) {
			t.Errorf("sources cover %d of %d quads in %d sources, want all in %d", total, st.Quads, len(st.Sources), len(seeds.Names()))
		}
	})
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	if got := store.DefaultPath(); got != "/data/home/rustbelt/rustbelt.bolt" {
		t.Errorf("DefaultPath = %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ana")
	if got := store.DefaultPath(); got != "/home/ana/.local/share/rustbelt/rustbelt.bolt" {
		t.Errorf("DefaultPath = %q", got)
	}
}

func TestNoSeedLeavesANewStoreEmpty(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := mustOpen(t, b.Addr(t), store.Options{NoSeed: true})
			if got := quadCount(t, s); got != 0 {
				t.Errorf("store holds %d quads, want 0", got)
			}
		})
	}
}

func TestReadOnlyStoreRefusesWrites(t *testing.T) {
	path := boltPath(t)
	mustOpen(t, path, store.Options{}).Close()
	ro := mustOpen(t, path, store.Options{ReadOnly: true})
	_, err := ro.Load(context.Background(), []store.Input{stringInput("x.nq", "<ex:a> <ex:b> <ex:c> .\n")}, store.LoadOptions{})
	if fail.CodeOf(err) != fail.Forbidden {
		t.Fatalf("load into read-only store: %v, want Forbidden", err)
	}
}

func TestReadersShareAStore(t *testing.T) {
	path := boltPath(t)
	mustOpen(t, path, store.Options{}).Close()
	a := mustOpen(t, path, store.Options{ReadOnly: true})
	b := mustOpen(t, path, store.Options{ReadOnly: true})
	for _, s := range []*store.Store{a, b} {
		if quadCount(t, s) == 0 {
			t.Error("reader sees an empty store")
		}
	}
}

func TestOpenReportsAFileThatIsNotAStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.bolt")
	if err := os.WriteFile(path, []byte("these are not the quads you are looking for"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), path, store.Options{})
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("open of a non-store: %v, want an error naming %s", err, path)
	}
	var ge *fail.Error
	if !errors.As(err, &ge) {
		t.Errorf("error %v is not a *fail.Error", err)
	}
}
