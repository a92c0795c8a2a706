package store

import (
	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
)

// SetInPlaceMax lets the external tests send small loads down the
// copy-and-swap road that real loads take only above inPlaceMax quads.
func SetInPlaceMax(n int64) (restore func()) {
	old := inPlaceMax
	inPlaceMax = n
	return func() { inPlaceMax = old }
}

// FailReopen makes the next swap loads fail with err where they open the
// store they built, as an exhausted address space or descriptor table
// would make them.
func FailReopen(err error) (restore func()) {
	old := reopenBolt
	reopenBolt = func(string, bool, bool, Options) (cgraph.QuadStore, *bbolt.DB, error) { return nil, nil, err }
	return func() { reopenBolt = old }
}

// SetSeedInputs replaces the bundled dataset that new stores are seeded
// with, so that a test can cut a seed short.
func SetSeedInputs(inputs func() []Input) (restore func()) {
	old := seedInputs
	seedInputs = inputs
	return func() { seedInputs = old }
}
