package sheet_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
	"github.com/rustbelt/rustbelt/store"
)

// sourceQuads are the quads of a source and its inferences, as the store
// holds them.
func sourceQuads(t *testing.T, s graph.Storage, labels []quad.IRI) []string {
	t.Helper()
	var quads []quad.Quad
	for _, l := range labels {
		if err := s.Quads(context.Background(), l, quad.Label, func(q quad.Quad) { quads = append(quads, q) }); err != nil {
			t.Fatal(err)
		}
	}
	return nquads(quads)
}

// writeSheet is the sheet of source.
func writeSheet(t *testing.T, s graph.Storage, source string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := sheet.Write(context.Background(), &buf, s, schema.ID(source)); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestEveryBundledSourceWritesASheetThatAddsBackTheSameQuads(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		sources, err := graph.New(s).Sources(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(sources) != 5 {
			t.Fatalf("%d sources, want the 5 bundled ones", len(sources))
		}
		for _, src := range sources {
			t.Run(src.ID, func(t *testing.T) {
				text := writeSheet(t, s, src.ID)
				// The source's quads and those of the inferences drawn
				// from it, which the sheet marks with inferred:.
				labels := []quad.IRI{schema.ID(src.ID)}
				infs, err := s.Linked(context.Background(), schema.ID(src.ID), schema.InferredFrom, quad.Object, quad.Subject)
				if err != nil {
					t.Fatal(err)
				}
				for _, inf := range infs {
					labels = append(labels, inf.(quad.IRI))
				}
				want := sourceQuads(t, s, labels)
				// Into an empty store, as `rustbelt --no-seed add` does.
				alone := mustCompile(t, nil, text)
				if d := diff(want, nquads(alone.Quads)); d != "" {
					t.Errorf("the sheet added to an empty store differs from the source:\n%s\nsheet:\n%s", d, text)
				}
				// Into the store that holds it: nothing changes.
				again := mustCompile(t, s, text)
				if r := again.Report; r.Added != 0 || r.Removed != 0 || r.Unchanged != len(want) || len(r.New) != 0 {
					t.Errorf("adding the sheet back: %+v, want %d quads unchanged and nothing new", r, len(want))
				}
				if text2 := writeSheet(t, s, src.ID); text2 != text {
					t.Errorf("two writes of one source differ:\n%s\n---\n%s", text, text2)
				}
			})
		}
	})
}

func TestASheetWithInferencesWritesThemBack(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		r := mustCompile(t, s, source+`people:
  - name: Li Kai
    job_title: Economist
    inferred: Taken to be the Li Kai of the other articles
places:
  - name: Siping
    kind: city
    in: [Northeast, {name: Jilin, kind: province, inferred: Siping is a city of Jilin province}]
`)
		if _, err := s.Replace(context.Background(), r.Labels, r.Quads); err != nil {
			t.Fatal(err)
		}
		text := writeSheet(t, s, schema.ShortID(r.Source))
		for _, want := range []string{"inferred: Taken to be the Li Kai of the other articles", "{name: Jilin, kind: province, inferred: Siping is a city of Jilin province}"} {
			if !strings.Contains(text, want) {
				t.Errorf("the sheet lacks %q:\n%s", want, text)
			}
		}
		if d := diff(sourceQuads(t, s, r.Labels), nquads(mustCompile(t, s, text).Quads)); d != "" {
			t.Errorf("the written sheet compiles to other quads:\n%s", d)
		}
	})
}

func TestASourceWithFactsNoSheetCanSayIsRefused(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		const own = `<https://rustbelt.dev/id/source/mine> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> <https://rustbelt.dev/id/source/mine> .
<https://rustbelt.dev/id/person/mine> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/mine> .
<https://rustbelt.dev/id/person/mine> <http://schema.org/name> "Mine" <https://rustbelt.dev/id/source/mine> .
<http://example.org/thing> <http://example.org/colour> "red" <https://rustbelt.dev/id/source/mine> .
`
		if _, err := s.Load(context.Background(), []store.Input{storetest.StringInput("mine.nq", own)}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		err := sheet.Write(context.Background(), &bytes.Buffer{}, s, schema.ID("source/mine"))
		if err == nil || !strings.Contains(err.Error(), `"red"`) || !strings.Contains(err.Error(), "the source gives http://example.org/thing 0 classes of the vocabulary") {
			t.Errorf("error %v, want the foreign fact named", err)
		}
		if err := sheet.Write(context.Background(), &bytes.Buffer{}, s, schema.ID("source/none")); err == nil {
			t.Error("a source the store lacks wrote a sheet")
		}
	})
}

func TestAddingASheetReplacesItsSourceAndNothingElse(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		add := func(yaml string) sheet.Report {
			t.Helper()
			r := mustCompile(t, s, yaml)
			if _, err := s.Replace(ctx, r.Labels, r.Quads); err != nil {
				t.Fatal(err)
			}
			return r.Report
		}
		total := func() int64 {
			n, _, err := s.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := total()
		first := source + `people:
  - name: Wang Lei
    description: Sent north
`
		if r := add(first); r.Replaces || r.Added != 8 || len(r.New) != 1 {
			t.Errorf("first add: %+v", r)
		}
		if r := add(first); !r.Replaces || r.Added != 0 || r.Removed != 0 || r.Unchanged != 8 || len(r.New) != 0 || len(r.Linked) != 1 {
			t.Errorf("the same sheet again: %+v, want nothing added", r)
		}
		edited := strings.Replace(first, "Sent north", "Sent to Jilin", 1)
		if r := add(edited); r.Added != 1 || r.Removed != 1 || r.Unchanged != 7 {
			t.Errorf("an edited sheet: %+v, want one fact replaced", r)
		}
		if got := total(); got != before+8 {
			t.Errorf("%d quads, want %d: the other sources must stay as they were", got, before+8)
		}
		card, _, err := graph.New(s).Card(ctx, "Wang Lei")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range card.Facts {
			if f.Predicate == "description" && f.Value != "Sent to Jilin" {
				t.Errorf("Wang Lei is still %q", f.Value)
			}
		}
	})
}
