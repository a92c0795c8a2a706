package store_test

import (
	"fmt"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// The test helpers of internal/storetest, by their short names here.
var (
	mustOpen        = storetest.Open
	boltPath        = storetest.BoltPath
	backends        = storetest.Backends
	freshPostgres   = storetest.FreshPostgres
	replaceDatabase = storetest.ReplaceDatabase
	personFacts     = storetest.PersonFacts
	writeTemp       = storetest.WriteTemp
	mountTmpfs      = storetest.MountTmpfs
	remountReadOnly = storetest.RemountReadOnly
	sameSet         = storetest.SameSet
	stringInput     = storetest.StringInput
)

const (
	postgresEnv = storetest.PostgresEnv
	newFacts    = storetest.NewFacts
)

// forEachBackend runs fn on a seeded store of every backend.
func forEachBackend(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	storetest.ForEachBackend(t, fn)
}

// ids lists what id says of each row, sorted.
func ids[T any](rows []T, id func(T) string) []string { return storetest.IDs(rows, id) }

// parseNQuads parses the tests' N-Quads text, one quad a line.
func parseNQuads(text string) ([]quad.Quad, error) {
	var quads []quad.Quad
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		q, err := nquads.Parse(line)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", line, err)
		}
		quads = append(quads, q)
	}
	return quads, nil
}

// addWithCayley writes N-Quads text through Cayley's own writer, as a
// stock Cayley process would.
func addWithCayley(qs cgraph.QuadStore, text string, opts cgraph.IgnoreOpts) error {
	quads, err := parseNQuads(text)
	if err != nil {
		return err
	}
	deltas := make([]cgraph.Delta, len(quads))
	for i, q := range quads {
		deltas[i] = cgraph.Delta{Quad: q, Action: cgraph.Add}
	}
	return qs.ApplyDeltas(deltas, opts)
}
