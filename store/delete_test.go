package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

func TestDeleteRemovesQuadsAtomically(t *testing.T) {
	ctx := context.Background()
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := mustOpen(t, b.Addr(t), store.Options{NoSeed: true})
			if _, err := s.Load(ctx, []store.Input{stringInput("mine.nq", cayleyStyle)}, store.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			before, err := graph.New(s).Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// A syntax error anywhere deletes nothing.
			_, err = s.Delete(ctx, []store.Input{stringInput("del.nq", "<alice> <follows> <bob> .\n<bob> <follows\n")})
			var problems schema.Problems
			if !errors.As(err, &problems) || fail.CodeOf(err) != fail.Invalid || problems[0].Pos.Line != 2 {
				t.Errorf("delete with a broken line: %v, want Invalid at del.nq:2", err)
			}
			if n := quadCount(t, s); n != before.Quads {
				t.Fatalf("a failed delete changed the store from %d to %d quads", before.Quads, n)
			}
			rep, err := s.Delete(ctx, []store.Input{stringInput("del.nq", "<alice> <follows> <bob> .\n<alice> <follows> <bob> .\n<greg> <status> \"smart_person\" <smart_graph> .\n<nobody> <follows> <bob> .\n")})
			if err != nil {
				t.Fatal(err)
			}
			if rep != (store.DeleteReport{Read: 4, Deleted: 2, Missing: 2}) {
				t.Errorf("report %+v, want 4 read, 2 deleted, 2 missing", rep)
			}
			if got := gizmo(t, s, `g.V("<bob>").In("<follows>").All()`); len(got) != 1 || got[0] != "<dani>" {
				t.Errorf("bob's followers after the delete: %v, want only dani", got)
			}
			after, err := graph.New(s).Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// alice and greg were in no other quad: their nodes go with them.
			if after.Quads != before.Quads-2 || after.Nodes != before.Nodes-2 {
				t.Errorf("store went from %d quads/%d nodes to %d/%d, want %d/%d", before.Quads, before.Nodes, after.Quads, after.Nodes, before.Quads-2, before.Nodes-2)
			}
			if rep, err := s.Load(ctx, []store.Input{stringInput("again.nq", cayleyStyle)}, store.LoadOptions{}); err != nil || rep.Added != 2 {
				t.Errorf("loading the deleted quads again: %+v, %v; want 2 added", rep, err)
			}
		})
	}
}

func TestDeleteIsForbiddenOnAReadOnlyStore(t *testing.T) {
	path := boltPath(t)
	mustOpen(t, path, store.Options{NoSeed: true}).Close()
	ro := mustOpen(t, path, store.Options{ReadOnly: true})
	if _, err := ro.Delete(context.Background(), []store.Input{stringInput("del.nq", cayleyStyle)}); fail.CodeOf(err) != fail.Forbidden {
		t.Errorf("delete from a read-only store: %v, want Forbidden", err)
	}
}
