package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/shape"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// TestPrefixOptimizer checks which quad filters become index prefix scans
// on a bolt store, that the scans find the quads a plain filter finds, and
// that they report their size.
func TestPrefixOptimizer(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "rustbelt.bolt"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	qs, done := s.queryStore()
	defer done()
	opt, ok := qs.(shape.Optimizer)
	if !ok {
		t.Fatalf("a bolt store's query store is a %T, not a shape optimizer", qs)
	}
	ref := func(v quad.Value) cgraph.Ref {
		r := qs.ValueOf(v)
		if r == nil {
			t.Fatalf("%v is not in the bundled dataset", v)
		}
		return r
	}
	jilin, caoLubao := ref(schema.ID("place/jilin")), ref(schema.ID("person/cao-lubao"))
	toPlace, name := ref(schema.ToPlace), ref(schema.Name)
	tests := []struct {
		name   string
		filter map[quad.Direction]cgraph.Ref
		result quad.Direction
		scans  bool // becomes a prefix scan
	}{
		{"In(toPlace): object and predicate, the ops index", map[quad.Direction]cgraph.Ref{quad.Object: jilin, quad.Predicate: toPlace}, quad.Subject, true},
		{"Out(name): subject and predicate, the sp index", map[quad.Direction]cgraph.Ref{quad.Subject: caoLubao, quad.Predicate: name}, quad.Object, true},
		{"every quad from a subject", map[quad.Direction]cgraph.Ref{quad.Subject: caoLubao}, quad.Object, true},
		{"a predicate alone: no index starts with it", map[quad.Direction]cgraph.Ref{quad.Predicate: toPlace}, quad.Subject, false},
		{"subject and object: no index starts with both", map[quad.Direction]cgraph.Ref{quad.Subject: caoLubao, quad.Object: jilin}, quad.Predicate, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			action := shape.QuadsAction{Result: tt.result, Filter: tt.filter}
			got, optimized := opt.OptimizeShape(action)
			if optimized != tt.scans {
				t.Fatalf("optimized = %v, want %v (shape %#v)", optimized, tt.scans, got)
			}
			if !optimized {
				return
			}
			want := nodes(t, ctx, action.BuildIterator(qs))
			if len(want) == 0 {
				t.Fatal("the filter finds nothing: the case tests nothing")
			}
			it := got.BuildIterator(qs)
			st := it.Stats()
			found := nodes(t, ctx, it)
			if !slices.Equal(found, want) {
				t.Errorf("the scan finds %v, the filter %v", found, want)
			}
			// The step above the scan passes its size on, marked as a guess.
			if st.Size != int64(len(want)) {
				t.Errorf("the scan reports size %d, want %d", st.Size, len(want))
			}
		})
	}
}

// nodes lists the keys of what it finds, sorted, and closes it.
func nodes(t *testing.T, ctx context.Context, it cgraph.Iterator) []string {
	t.Helper()
	defer it.Close()
	var out []string
	for it.Next(ctx) {
		out = append(out, fmt.Sprint(cgraph.ToKey(it.Result())))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
