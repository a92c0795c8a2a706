package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
)

func TestCreateMakesANewStoreSeededOrEmpty(t *testing.T) {
	ctx := context.Background()
	want := seedQuads(t)
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			for _, empty := range []bool{true, false} {
				addr := b.addr(t)
				s, err := graph.Create(ctx, addr, graph.Options{NoSeed: empty})
				if err != nil {
					t.Fatalf("create (empty %v): %v", empty, err)
				}
				got := quadCount(t, s)
				s.Close()
				if empty && got != 0 || !empty && got != want {
					t.Errorf("create (empty %v) made a store of %d quads", empty, got)
				}
				if b.name == "memory" {
					continue // every memory store is new
				}
				again, err := graph.Create(ctx, addr, graph.Options{NoSeed: true})
				if err == nil {
					again.Close()
				}
				if empty && err != nil {
					t.Errorf("create over an empty store: %v, want it taken as new", err)
				}
				if !empty && (graph.ErrorCode(err) != graph.Invalid || !strings.Contains(err.Error(), "already exists")) {
					t.Errorf("create over a full store: %v, want Invalid saying it exists", err)
				}
			}
		})
	}
}
