package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
)

// seededGraph is the graph of the seeded memory store that the fuzz
// targets share.
func seededGraph(t testing.TB) *graph.Graph {
	return graph.New(storetest.SeededMemory(t))
}

// FuzzResolve hands the resolver arbitrary names: it answers with an entity
// that resolves to itself by id, or with a NotFound, Ambiguous or Invalid
// error, and suggestions stay within their limit.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"Jilin", "jilin", "place/jilin", "<https://rustbelt.dev/id/place/jilin>", "Dongbei", "Cao Lubao", "Cao Lubao\")", "Jilin\n", "<", "\\", "a:b", " ", strings.Repeat("x", 600)} {
		f.Add(s)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, name string) {
		s := seededGraph(t)
		res, err := s.Resolve(ctx, name)
		switch fail.CodeOf(err) {
		case fail.NotFound, fail.Ambiguous, fail.Invalid:
		case fail.Internal:
			if err == nil {
				break
			}
			fallthrough
		default:
			t.Fatalf("Resolve(%q): unexpected error %v", name, err)
		}
		if err == nil {
			if res.ID == "" {
				t.Fatalf("Resolve(%q) gave an entity without an id", name)
			}
			again, err := s.Resolve(ctx, res.ID)
			if err != nil || again.ID != res.ID {
				t.Fatalf("Resolve(%q) = %s, but that id resolves to %v, %v", name, res.ID, again.ID, err)
			}
		}
		if got, err := s.Suggest(ctx, name, 5); err != nil || len(got) > 5 {
			t.Fatalf("Suggest(%q): %d entities, %v", name, len(got), err)
		}
	})
}
