package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// brokenFacts has good quads around a bad one: none may be written.
const brokenFacts = `<https://rustbelt.dev/id/person/other> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/test> .
<https://rustbelt.dev/id/person/other> <http://schema.org/name> "Other" <https://rustbelt.dev/id/source/test> .
<https://rustbelt.dev/id/person/other> <https://rustbelt.dev/ns/date> "last spring" <https://rustbelt.dev/id/source/test> .
`

func TestLoadAddsValidatedQuadsAndSkipsDuplicates(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		before := quadCount(t, s)
		rep, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Read != 4 || rep.Added != 4 || rep.Duplicates != 0 {
			t.Errorf("first load: %+v, want 4 read, 4 added", rep)
		}
		// The same file again, and a file repeating a quad twice and one of the dataset's.
		dup := newFacts + strings.SplitAfter(newFacts, "\n")[0]
		rep, err = s.Load(ctx, []store.Input{stringInput("again.nq", dup)}, store.LoadOptions{})
		if err != nil {
			t.Fatalf("a load of duplicates must not abort: %v", err)
		}
		if rep.Added != 0 || rep.Duplicates != 5 {
			t.Errorf("second load: %+v, want 0 added, 5 duplicates", rep)
		}
		if got := quadCount(t, s); got != before+4 {
			t.Errorf("store holds %d quads, want %d", got, before+4)
		}
		card, _, err := graph.New(s).Card(ctx, "Test Official")
		if err != nil || card.ID != "person/test-official" {
			t.Errorf("loaded person not found: %v %+v", err, card)
		}
	})
}

func TestLoadIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		for _, bad := range []struct{ name, text string }{
			{"a date in the wrong form", brokenFacts},
			{"a line that is not N-Quads", "<https://rustbelt.dev/id/person/x> <http://schema.org/name>\n"},
		} {
			before := quadCount(t, s)
			_, err := s.Load(ctx, []store.Input{stringInput("good.nq", personFacts("good", 20)), stringInput("bad.nq", bad.text)}, store.LoadOptions{})
			var problems schema.Problems
			if !errors.As(err, &problems) || fail.CodeOf(err) != fail.Invalid {
				t.Fatalf("%s: %v, want Invalid with problems", bad.name, err)
			}
			if want := strings.Count(bad.text, "\n"); len(problems) != 1 || problems[0].Pos != (schema.Pos{File: "bad.nq", Line: want}) {
				t.Errorf("%s: problems = %v, want one at bad.nq:%d", bad.name, problems, want)
			}
			if got := quadCount(t, s); got != before {
				t.Errorf("%s: store went from %d to %d quads: a failed load wrote something", bad.name, before, got)
			}
		}
	})
}

// TestLargeLoadSwapsAtomically sends a load down the copy-and-rename road
// of large bolt loads and checks the result and that nothing is left over.
func TestLargeLoadSwapsAtomically(t *testing.T) {
	defer store.SetInPlaceMax(2)()
	ctx := context.Background()
	path := boltPath(t)
	s := mustOpen(t, path, store.Options{})
	before := quadCount(t, s)
	if _, err := s.Load(ctx, []store.Input{stringInput("bad.nq", newFacts+brokenFacts)}, store.LoadOptions{}); err == nil {
		t.Fatal("bad load succeeded")
	}
	rep, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 4 || quadCount(t, s) != before+4 {
		t.Errorf("swap load: %+v, store %d quads, want %d", rep, quadCount(t, s), before+4)
	}
	if _, _, err := graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: "Jilin"}); err != nil {
		t.Errorf("query after swap: %v", err)
	}
	s.Close()
	leftovers, _ := filepath.Glob(path + ".tmp-*")
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if got := quadCount(t, mustOpen(t, path, store.Options{ReadOnly: true})); got != before+4 {
		t.Errorf("reopened store holds %d quads, want %d", got, before+4)
	}
}

func TestFileInputReadsGzipAndReportsMissingFiles(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	io.WriteString(zw, newFacts)
	zw.Close()
	gz := filepath.Join(dir, "facts.nq.gz")
	if err := os.WriteFile(gz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in, cleanup, err := store.FileInput(gz)
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	n, problems, err := store.Validate(context.Background(), []store.Input{in}, store.LoadOptions{})
	if err != nil || len(problems) > 0 || n != 4 {
		t.Errorf("gzip input: %d quads, %v, %v; want 4", n, problems, err)
	}
	_, cleanup, err = store.FileInput(filepath.Join(dir, "missing.nq"))
	cleanup()
	if fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "missing.nq") {
		t.Errorf("missing file: %v", err)
	}
}

// TestSwapLoadThatCannotOpenItsResultKeepsTheOldStore makes a large load's
// last step, opening the store it built, fail: the load must report it and
// write nothing, the store must go on answering with what it held (not
// come back empty from a closed handle), and the next load must work.
func TestSwapLoadThatCannotOpenItsResultKeepsTheOldStore(t *testing.T) {
	defer store.SetInPlaceMax(0)()
	ctx := context.Background()
	path := boltPath(t)
	s := mustOpen(t, path, store.Options{})
	before := quadCount(t, s)
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	restore := store.FailReopen(errors.New("cannot allocate memory"))
	_, err = s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{})
	restore()
	if fail.CodeOf(err) != fail.Internal || !strings.Contains(err.Error(), "cannot allocate memory") || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("load that cannot open its result: %v, want Internal saying nothing was written", err)
	}
	if got := quadCount(t, s); got != before {
		t.Errorf("after the failed load the store answers %d quads, want the %d it held", got, before)
	}
	if card, _, err := graph.New(s).Card(ctx, "Cao Lubao"); err != nil || card.ID != "person/cao-lubao" {
		t.Errorf("after the failed load: %v %+v, want the seeded person", err, card)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, file) {
		t.Error("the failed load changed the store file")
	}
	if leftovers, _ := filepath.Glob(path + ".tmp-*"); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	if _, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{}); err != nil {
		t.Fatalf("the next load: %v", err)
	}
	if got := quadCount(t, s); got != before+4 {
		t.Errorf("after the next load the store holds %d quads, want %d", got, before+4)
	}
	s.Close()
	if got := quadCount(t, mustOpen(t, path, store.Options{ReadOnly: true})); got != before+4 {
		t.Errorf("reopened store holds %d quads, want %d", got, before+4)
	}
}
