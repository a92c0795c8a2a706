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
	"github.com/rustbelt/rustbelt/internal/storetest"
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
		// A label is a source (titled, or untitled as its article is) or an
		// inference drawn from one of them.
		var total int64
		sources := map[string]bool{}
		for _, src := range st.Sources {
			if src.InferredFrom == "" {
				sources[src.ID] = true
			}
		}
		for _, src := range st.Sources {
			switch {
			case src.InferredFrom != "" && !sources[src.InferredFrom]:
				t.Errorf("label %s infers from %s, which is not a source", src.ID, src.InferredFrom)
			case src.InferredFrom == "" && src.Title == "" && !src.Untitled:
				t.Errorf("label %s is not a described source", src.ID)
			}
			total += src.Quads
		}
		if total != st.Quads || len(sources) != len(seeds.Names()) {
			t.Errorf("labels cover %d of %d quads from %d sources, want all from %d", total, st.Quads, len(sources), len(seeds.Names()))
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
			addr := b.Addr(t)
			s := mustOpen(t, addr, store.Options{NoSeed: true})
			if got := quadCount(t, s); got != 0 {
				t.Errorf("store holds %d quads, want 0", got)
			}
			if b.Name == "memory" {
				return // a memory store is new every time
			}
			s.Close()
			// Made empty on purpose, it is made: a later open without
			// NoSeed must not take it for a creation cut short.
			if got := quadCount(t, mustOpen(t, addr, store.Options{})); got != 0 {
				t.Errorf("reopened, the empty store holds %d quads, want 0", got)
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

// TestAnEmptyFileBecomesANewStoreAndSaysSo opens a file of no bytes, as
// mktemp or touch leave one, every way a command opens a store: it becomes
// a new store, made as a missing file would be, and the note says it was
// an empty file, since it may also be a store that something cut short.
func TestAnEmptyFileBecomesANewStoreAndSaysSo(t *testing.T) {
	want := seedQuads(t)
	for _, tc := range []struct {
		name   string
		opt    store.Options
		quads  int64
		create bool
	}{
		{"read-write", store.Options{}, want, false},
		{"read-only", store.Options{ReadOnly: true}, want, false},
		{"read-write, no seed", store.Options{NoSeed: true}, 0, false},
		{"create", store.Options{}, want, true},
		{"create empty", store.Options{NoSeed: true}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "mktemp.bolt", "")
			var log bytes.Buffer
			tc.opt.Log = &log
			open := store.Open
			if tc.create {
				open = store.Create
			}
			s, err := open(context.Background(), path, tc.opt)
			if err != nil {
				t.Fatalf("open an empty file: %v", err)
			}
			defer s.Close()
			if got := quadCount(t, s); got != tc.quads {
				t.Errorf("store holds %d quads, want %d", got, tc.quads)
			}
			if note := "rustbelt: new store " + path + " (it was an empty file): "; !strings.HasPrefix(log.String(), note) {
				t.Errorf("note = %q, want it to start %q", log.String(), note)
			}
			s.Close()
			log.Reset()
			again := mustOpen(t, path, store.Options{Log: &log})
			if got := quadCount(t, again); got != tc.quads || log.Len() > 0 {
				t.Errorf("reopened: %d quads, note %q; want %d quads and no note", got, log.String(), tc.quads)
			}
		})
	}
}

// TestOpenRefusesWhatIsNotAStore names, for every way of opening, things
// that are not stores: each must be refused with an Invalid error naming
// it, and left exactly as it was.
func TestOpenRefusesWhatIsNotAStore(t *testing.T) {
	type thing struct {
		path  string
		check func(t *testing.T) // that it is as it was
	}
	tests := []struct {
		name string
		make func(t *testing.T) thing
		want string // in the message
	}{
		{"a bolt file of another program", func(t *testing.T) thing {
			path, before := storetest.ForeignBolt(t)
			return thing{path, func(t *testing.T) {
				if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
					t.Errorf("the other program's file changed (%v)", err)
				}
			}}
		}, `is not a rustbelt or Cayley store: it is a bolt file of another program (it holds buckets "history", "settings"`},
		{"a folder that is not a Cayley bolt folder", func(t *testing.T) thing {
			dir := t.TempDir()
			return thing{dir, func(t *testing.T) {
				if entries, _ := os.ReadDir(dir); len(entries) > 0 {
					t.Errorf("the folder now holds %d entries, such as %s", len(entries), entries[0].Name())
				}
			}}
		}, "is a folder, and not a Cayley bolt folder (it has no indexes.bolt)"},
		{"a link to a device", func(t *testing.T) thing {
			link := filepath.Join(t.TempDir(), "null.bolt")
			if err := os.Symlink(os.DevNull, link); err != nil {
				t.Fatal(err)
			}
			return thing{link, func(t *testing.T) {
				fi, err := os.Stat(link)
				if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
					t.Errorf("the link no longer leads to the device: %v %v", fi, err)
				}
				if _, err := os.Lstat(os.DevNull + ".lock"); err == nil {
					t.Errorf("a lock file was made beside %s", os.DevNull)
				}
			}}
		}, os.DevNull + " is not a store: it is a character device, not a file"},
		{"a link to nothing", func(t *testing.T) thing {
			dir := t.TempDir()
			link := filepath.Join(dir, "store.bolt")
			if err := os.Symlink(filepath.Join(dir, "gone", "store.bolt"), link); err != nil {
				t.Fatal(err)
			}
			return thing{link, func(t *testing.T) {
				if entries, _ := os.ReadDir(dir); len(entries) != 1 {
					t.Errorf("the folder holds %d entries, want only the link", len(entries))
				}
			}}
		}, "is a symbolic link to nothing"},
	}
	opens := []struct {
		name   string
		opt    store.Options
		create bool
	}{
		{"open", store.Options{}, false},
		{"open read-only", store.Options{ReadOnly: true}, false},
		{"open without seeding", store.Options{NoSeed: true}, false},
		{"create", store.Options{}, true},
		{"create empty", store.Options{NoSeed: true}, true},
	}
	for _, tt := range tests {
		for _, o := range opens {
			t.Run(tt.name+"/"+o.name, func(t *testing.T) {
				th := tt.make(t)
				open := store.Open
				if o.create {
					open = store.Create
				}
				s, err := open(context.Background(), th.path, o.opt)
				if err == nil {
					s.Close()
				}
				if fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), th.path) {
					t.Errorf("error %v, want Invalid naming %s and saying %q", err, th.path, tt.want)
				}
				th.check(t)
			})
		}
	}
}

// TestOpenFollowsLinksAndCayleyFolders opens a store through a Cayley bolt
// folder and through a symbolic link, and loads through the link down the
// road that renames a new file over the store: the link must stay a link,
// and the file it names must hold the load.
func TestOpenFollowsLinksAndCayleyFolders(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "cayley")
	mustOpen(t, filepath.Join(dir, "indexes.bolt"), store.Options{}).Close()
	want := seedQuads(t)
	if got := quadCount(t, mustOpen(t, dir, store.Options{ReadOnly: true})); got != want {
		t.Errorf("the Cayley folder holds %d quads, want %d", got, want)
	}

	real := boltPath(t)
	mustOpen(t, real, store.Options{}).Close()
	link := filepath.Join(t.TempDir(), "link.bolt")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	defer store.SetInPlaceMax(0)()
	s := mustOpen(t, link, store.Options{})
	if _, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the load replaced the link with a file: %v %v", fi, err)
	}
	if got := quadCount(t, mustOpen(t, real, store.Options{ReadOnly: true})); got != want+4 {
		t.Errorf("the linked store holds %d quads, want %d", got, want+4)
	}
}
