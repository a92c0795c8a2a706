package store_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/kv/bolt" // Cayley's bolt backend, as stock Cayley opens a store
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// storeCounts is what Stats reads of a store, however the backend keeps it.
type storeCounts struct {
	quads, nodes int64
	perLabel     map[quad.IRI]int64
	perClass     map[quad.IRI]int64
}

// countsOf asks the store.
func countsOf(t *testing.T, s *store.Store) storeCounts {
	t.Helper()
	ctx := context.Background()
	var c storeCounts
	var err error
	if c.quads, c.nodes, err = s.Counts(ctx); err != nil {
		t.Fatal(err)
	}
	if c.perLabel, err = s.QuadsPerLabel(ctx); err != nil {
		t.Fatal(err)
	}
	if c.perClass, err = s.TypeCounts(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// countedFromDump counts the store's dump: every quad, every distinct
// value in any position, the quads of each label, and the distinct
// subjects of each class.
func countedFromDump(t *testing.T, s *store.Store) storeCounts {
	t.Helper()
	c := storeCounts{perLabel: map[quad.IRI]int64{}, perClass: map[quad.IRI]int64{}}
	nodes := map[string]bool{}
	typed := map[[2]string]bool{}
	for _, line := range dumpLines(t, s) {
		q, err := nquads.Parse(line)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		c.quads++
		for _, v := range []quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if v != nil {
				nodes[v.String()] = true
			}
		}
		label, _ := q.Label.(quad.IRI)
		c.perLabel[label]++
		if q.Predicate == schema.Type {
			class := q.Object.(quad.IRI)
			if k := [2]string{q.Subject.String(), string(class)}; !typed[k] {
				typed[k] = true
				c.perClass[class]++
			}
		}
	}
	c.nodes = int64(len(nodes))
	return c
}

// TestCountsFollowEveryWrite checks the counts every backend gives Stats
// against a count of its dump after each kind of write: the seed, a load
// with duplicates, a load that types a known person again under another
// source (a subject counts once per class), a replace that adds a typed
// newcomer, deletes that take one of two type quads away and then the
// other, and the delete of a whole source (its label node goes too).
func TestCountsFollowEveryWrite(t *testing.T) {
	ctx := context.Background()
	const retyped = `<https://rustbelt.dev/id/source/test2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> <https://rustbelt.dev/id/source/test2> .
<https://rustbelt.dev/id/source/test2> <http://schema.org/name> "A second test source" <https://rustbelt.dev/id/source/test2> .
<https://rustbelt.dev/id/person/test-official> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/test2> .
<https://rustbelt.dev/id/person/test-official> <http://schema.org/name> "Test Official" <https://rustbelt.dev/id/source/test2> .
`
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		steps := []struct {
			name  string
			write func() error
		}{
			{"the seed", func() error { return nil }},
			{"a load with duplicates", func() error {
				_, err := s.Load(ctx, []store.Input{stringInput("a.nq", newFacts+personFacts("p", 40)), stringInput("b.nq", newFacts)}, store.LoadOptions{})
				return err
			}},
			{"a load by copy and swap", func() error {
				defer store.SetInPlaceMax(0)()
				_, err := s.Load(ctx, []store.Input{stringInput("q.nq", personFacts("q", 20))}, store.LoadOptions{})
				return err
			}},
			{"a load by copy and swap that types a known person under another source", func() error {
				defer store.SetInPlaceMax(0)() // its ops key is in the store: deferred, it merges
				_, err := s.Load(ctx, []store.Input{stringInput("retyped.nq", retyped)}, store.LoadOptions{})
				return err
			}},
			{"a replace that exchanges a fact for another", func() error {
				src := quad.IRI("https://rustbelt.dev/id/source/test2")
				newcomer := quad.IRI("https://rustbelt.dev/id/person/newcomer")
				quads := []quad.Quad{
					quad.Make(src, quad.IRI("http://schema.org/name"), "Renamed source", src),
					quad.Make(newcomer, schema.Type, quad.IRI(schema.Person), src),
					quad.Make(newcomer, quad.IRI("http://schema.org/name"), "A newcomer", src),
				}
				old, err := parseNQuads(retyped)
				if err != nil {
					return err
				}
				quads = append(quads, old[0])
				quads = append(quads, old[2:]...) // not the source's old name
				_, err = s.Replace(ctx, []quad.IRI{src}, quads)
				return err
			}},
			{"a delete of one of two type quads", func() error {
				_, err := s.Delete(ctx, []store.Input{stringInput("d.nq", newFacts)})
				return err
			}},
			{"a delete of the other", func() error {
				_, err := s.Delete(ctx, []store.Input{stringInput("d.nq", retyped)})
				return err
			}},
			{"a delete of a whole source", func() error {
				_, err := s.Delete(ctx, []store.Input{stringInput("d.nq", personFacts("p", 40))})
				return err
			}},
		}
		for _, st := range steps {
			if err := st.write(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			got, want := countsOf(t, s), countedFromDump(t, s)
			if s.Backend() == store.Postgres {
				// Cayley's SQL writer counts a node's references per quad
				// written, duplicates too, so a delete can leave a node no
				// quad names; TestPostgresCountsFollowEveryWrite counts
				// its table instead.
				want.nodes = got.nodes
			}
			if got.quads != want.quads || got.nodes != want.nodes {
				t.Errorf("after %s: %d quads, %d nodes; the dump holds %d and %d", st.name, got.quads, got.nodes, want.quads, want.nodes)
			}
			if diff := countsDiff(got.perLabel, want.perLabel); diff != "" {
				t.Errorf("after %s: quads per label differ from the dump's (got/want): %s", st.name, diff)
			}
			if diff := countsDiff(got.perClass, want.perClass); diff != "" {
				t.Errorf("after %s: subjects per class differ from the dump's (got/want): %s", st.name, diff)
			}
		}
	})
}

// countsDiff lists the keys whose counts differ, as key got/want.
func countsDiff(got, want map[quad.IRI]int64) string {
	var diff []string
	for _, k := range slices.Sorted(maps.Keys(maps.Collect(func(yield func(quad.IRI, int64) bool) {
		for k, v := range got {
			yield(k, v)
		}
		for k, v := range want {
			yield(k, v)
		}
	}))) {
		if got[k] != want[k] {
			diff = append(diff, fmt.Sprintf("%s %d/%d", k, got[k], want[k]))
		}
	}
	return strings.Join(diff, ", ")
}

// TestBoltCountsAfterAnotherProgramWrites writes a bolt store with Cayley's
// own library, as stock Cayley would, between two opens by rustbelt: the
// counts rustbelt kept no longer describe the store, so its readers count
// the quads themselves, and its next write counts the store anew and keeps
// it from then on.
func TestBoltCountsAfterAnotherProgramWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "indexes.bolt") // a Cayley bolt folder's store
	s := mustOpen(t, path, store.Options{})
	s.Close()
	cayley, err := cgraph.NewQuadStore("bolt", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := addWithCayley(cayley, personFacts("cayley", 10), cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	cayley.Close()
	for _, step := range []struct {
		name     string
		readOnly bool
		write    func(*store.Store) error
	}{
		{"a reader after Cayley's write", true, func(*store.Store) error { return nil }},
		{"rustbelt's next write", false, func(s *store.Store) error {
			_, err := s.Load(ctx, []store.Input{stringInput("n.nq", newFacts)}, store.LoadOptions{})
			return err
		}},
		{"a delete after it", false, func(s *store.Store) error {
			_, err := s.Delete(ctx, []store.Input{stringInput("d.nq", personFacts("cayley", 10))})
			return err
		}},
	} {
		s := mustOpen(t, path, store.Options{ReadOnly: step.readOnly})
		if err := step.write(s); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		got, want := countsOf(t, s), countedFromDump(t, s)
		if got.quads != want.quads || got.nodes != want.nodes || countsDiff(got.perLabel, want.perLabel) != "" || countsDiff(got.perClass, want.perClass) != "" {
			t.Errorf("%s: counts %d quads, %d nodes, labels %s, classes %s; the dump holds %d and %d", step.name, got.quads, got.nodes,
				countsDiff(got.perLabel, want.perLabel), countsDiff(got.perClass, want.perClass), want.quads, want.nodes)
		}
		s.Close()
	}
}
