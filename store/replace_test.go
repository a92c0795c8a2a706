package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// personQuads are a source and its people, labelled with it.
func personQuads(source string, people ...string) []quad.Quad {
	src := schema.ID("source/" + source)
	qs := []quad.Quad{
		{Subject: src, Predicate: schema.Type, Object: schema.Source.IRI(), Label: src},
		{Subject: src, Predicate: schema.Name, Object: quad.String("About " + source), Label: src},
	}
	for _, p := range people {
		id := schema.ID("person/" + p)
		qs = append(qs,
			quad.Quad{Subject: id, Predicate: schema.Type, Object: schema.Person.IRI(), Label: src},
			quad.Quad{Subject: id, Predicate: schema.Name, Object: quad.String(p), Label: src})
	}
	return qs
}

// labelled counts the quads the store holds under label, and all quads.
func labelled(t *testing.T, s *store.Store, label quad.IRI) (own, all int64) {
	t.Helper()
	ctx := context.Background()
	if err := s.Quads(ctx, label, quad.Label, func(quad.Quad) { own++ }); err != nil {
		t.Fatal(err)
	}
	all, _, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return own, all
}

func TestReplaceMakesALabelHoldExactlyTheGivenQuads(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		src := schema.ID("source/replaced")
		labels := []quad.IRI{src}
		_, before := labelled(t, s, src)

		steps := []struct {
			name    string
			quads   []quad.Quad
			want    store.ReplaceReport
			ownLeft int64
		}{
			{"first version", personQuads("replaced", "a", "b"), store.ReplaceReport{Added: 6}, 6},
			{"the same again writes nothing", personQuads("replaced", "a", "b"), store.ReplaceReport{Kept: 6}, 6},
			{"an edit removes what it drops and adds what is new", personQuads("replaced", "a", "c"), store.ReplaceReport{Added: 2, Removed: 2, Kept: 4}, 6},
			{"quads given twice count once", append(personQuads("replaced", "a"), personQuads("replaced", "a")...), store.ReplaceReport{Removed: 2, Kept: 4}, 4},
			{"nothing empties the label", nil, store.ReplaceReport{Removed: 4}, 0},
		}
		for _, st := range steps {
			rep, err := s.Replace(ctx, labels, st.quads)
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if rep != st.want {
				t.Errorf("%s: report %+v, want %+v", st.name, rep, st.want)
			}
			own, all := labelled(t, s, src)
			if own != st.ownLeft || all != before+st.ownLeft {
				t.Errorf("%s: %d quads under the label and %d in all, want %d and %d: other labels must not change", st.name, own, all, st.ownLeft, before+st.ownLeft)
			}
		}
	})
}

func TestReplaceWritesNothingWhenAnyQuadIsWrong(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		src := schema.ID("source/replaced")
		if _, err := s.Replace(ctx, []quad.IRI{src}, personQuads("replaced", "a")); err != nil {
			t.Fatal(err)
		}
		_, before := labelled(t, s, src)
		other := schema.ID("source/other")
		tests := []struct {
			name  string
			quads []quad.Quad
			want  string
		}{
			{"a record missing what it needs", append(personQuads("replaced", "b"),
				quad.Quad{Subject: schema.ID("place/nowhere"), Predicate: schema.Type, Object: schema.Place.IRI(), Label: src}), "has no name"},
			{"a quad under another label", append(personQuads("replaced", "b"),
				quad.Quad{Subject: schema.ID("person/b"), Predicate: schema.Description, Object: quad.String("x"), Label: other}), "labelled with none of the labels"},
		}
		for _, tt := range tests {
			_, err := s.Replace(ctx, []quad.IRI{src}, tt.quads)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
			}
			if own, all := labelled(t, s, src); own != 4 || all != before {
				t.Errorf("%s: the store changed (%d under the label, %d in all)", tt.name, own, all)
			}
		}
	})
}

func TestReplaceIsForbiddenOnAReadOnlyStore(t *testing.T) {
	path := storetest.BoltPath(t)
	storetest.Open(t, path, store.Options{}).Close()
	s := storetest.Open(t, path, store.Options{ReadOnly: true})
	_, err := s.Replace(context.Background(), []quad.IRI{schema.ID("source/x")}, personQuads("x", "a"))
	if fail.CodeOf(err) != fail.Forbidden {
		t.Errorf("error %v, want Forbidden", err)
	}
}

// TestReplaceThatDropsMoreUsesOfAValueThanItAdds edits a source so that a
// value (the Person class) loses three quads and gains one: Cayley's kv
// writer nets each value's references over a batch and resolved ids only
// for values that gain, so the added quad was written without its object.
func TestReplaceThatDropsMoreUsesOfAValueThanItAdds(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		labels := []quad.IRI{schema.ID("source/shrinks")}
		if _, err := s.Replace(ctx, labels, personQuads("shrinks", "a", "b", "c")); err != nil {
			t.Fatal(err)
		}
		rep, err := s.Replace(ctx, labels, personQuads("shrinks", "d"))
		if err != nil {
			t.Fatal(err)
		}
		if want := (store.ReplaceReport{Added: 2, Removed: 6, Kept: 2}); rep != want {
			t.Errorf("report %+v, want %+v", rep, want)
		}
		var typed bool
		if err := s.Quads(ctx, schema.ID("person/d"), quad.Subject, func(q quad.Quad) {
			typed = typed || q.Predicate == schema.Type && q.Object == schema.Person.IRI()
		}); err != nil {
			t.Fatal(err)
		}
		if !typed {
			t.Error("the added person lost its class")
		}
		var dump strings.Builder
		if _, err := s.Dump(ctx, &dump, schema.NQuads); err != nil {
			t.Fatalf("dump after the edit: %v", err)
		}
		if strings.Contains(dump.String(), "person/a>") {
			t.Error("a removed person is still in the store")
		}
	})
}
