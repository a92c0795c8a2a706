package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/store"
)

// TestQuadsOfReadsWhatQuadsReadsNodeByNode checks the batched read against
// the one-node read it stands for, in every direction, on every backend,
// with nodes that repeat, that the store lacks, and whose quads were
// deleted (bolt keeps those in its log, marked).
func TestQuadsOfReadsWhatQuadsReadsNodeByNode(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		if _, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts+personFacts("many", 40))}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delete(ctx, []store.Input{stringInput("new.nq", newFacts)}); err != nil {
			t.Fatal(err)
		}
		labels, err := s.QuadsPerLabel(ctx)
		if err != nil {
			t.Fatal(err)
		}
		nodes := []quad.Value{
			quad.IRI("https://rustbelt.dev/id/person/test-official"), // deleted
			quad.IRI("https://rustbelt.dev/id/person/many-3"),
			quad.IRI("https://rustbelt.dev/id/person/many-3"),
			quad.IRI("https://rustbelt.dev/id/place/nowhere"), // never stored
			quad.IRI("https://rustbelt.dev/id/place/jilin"),
			quad.IRI("http://schema.org/name"),
			quad.String("Generated source many"),
			nil,
		}
		for label := range labels {
			if label != "" {
				nodes = append(nodes, label)
			}
		}
		for _, d := range quad.Directions {
			var want []string
			for _, n := range slices.Compact(sortedValues(nodes)) {
				if n == nil {
					continue
				}
				if err := s.Quads(ctx, n, d, func(q quad.Quad) { want = append(want, q.NQuad()) }); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			if err := s.QuadsOf(ctx, nodes, d, func(q quad.Quad) { got = append(got, q.NQuad()) }); err != nil {
				t.Fatal(err)
			}
			slices.Sort(want)
			slices.Sort(got)
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Errorf("%v: QuadsOf read %d quads, Quads node by node %d; only by QuadsOf: %q; only node by node: %q",
					d, len(got), len(want), missingFrom(want, got), missingFrom(got, want))
			}
		}
	})
}

// sortedValues sorts values by their N-Quads text, nil first, so that
// slices.Compact removes repeats.
func sortedValues(vals []quad.Value) []quad.Value {
	text := func(v quad.Value) string {
		if v == nil {
			return ""
		}
		return v.String()
	}
	out := slices.Clone(vals)
	slices.SortFunc(out, func(a, b quad.Value) int { return strings.Compare(text(a), text(b)) })
	return out
}

// missingFrom lists what of sorted list want, repeats counted, have lacks.
func missingFrom(have, want []string) []string {
	var out []string
	for _, w := range want {
		if i, ok := slices.BinarySearch(have, w); ok {
			have = slices.Delete(slices.Clone(have), i, i+1)
		} else {
			out = append(out, w)
		}
	}
	return out
}

// TestQuadsOfAfterANodeIsDeletedAndAddedAgain: a node whose quads are all
// deleted leaves the store, and added again it comes back under a new id
// on bolt; what QuadsOf remembered of the old one must not hide it.
func TestQuadsOfAfterANodeIsDeletedAndAddedAgain(t *testing.T) {
	ctx := context.Background()
	person := quad.IRI("https://rustbelt.dev/id/person/test-official")
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		count := func() int {
			n := 0
			if err := s.QuadsOf(ctx, []quad.Value{person}, quad.Subject, func(quad.Quad) { n++ }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for round := range 2 {
			if _, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			if n := count(); n != 2 {
				t.Fatalf("round %d: QuadsOf read %d quads of the person, want 2", round, n)
			}
			if _, err := s.Delete(ctx, []store.Input{stringInput("new.nq", newFacts)}); err != nil {
				t.Fatal(err)
			}
			if n := count(); n != 0 {
				t.Fatalf("round %d: QuadsOf read %d quads of a deleted person", round, n)
			}
		}
	})
}
