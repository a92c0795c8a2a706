package store_test

import (
	"testing"

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
