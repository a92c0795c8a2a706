package graph_test

import (
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// The test helpers of internal/storetest that these tests use, by short names.
var (
	mustOpen    = storetest.Open
	boltPath    = storetest.BoltPath
	sameSet     = storetest.SameSet
	stringInput = storetest.StringInput
)

const newFacts = storetest.NewFacts

// ids lists what id says of each row, sorted.
func ids[T any](rows []T, id func(T) string) []string { return storetest.IDs(rows, id) }

// forEachBackend runs fn on the graph of a seeded store of every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, g *graph.Graph)) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		fn(t, graph.New(s))
	})
}

// openGraph opens the store at addr and returns the graph over it.
func openGraph(t testing.TB, addr string, opt store.Options) *graph.Graph {
	return graph.New(mustOpen(t, addr, opt))
}
