package store

import (
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
)

// memQuadStore is Cayley's in-memory store made safe for concurrent
// readers. Writes already exclude reads (Store.mu), but readers share the
// store under a read lock, and memstore's all-iterators (g.V(), a count of
// quads by source) mark the store as being read when they are made: a
// write that two readers race on, which the race detector reports. Making
// those iterators one at a time is enough; reading them is not changed.
type memQuadStore struct {
	*memstore.QuadStore
	mu sync.Mutex // serializes making all-iterators
}

// readSafe wraps qs for concurrent readers.
func readSafe(qs *memstore.QuadStore) *memQuadStore {
	return &memQuadStore{QuadStore: qs}
}

// QuadsAllIterator returns an iterator over every quad.
func (m *memQuadStore) QuadsAllIterator() cgraph.Iterator {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.QuadStore.QuadsAllIterator()
}

// NodesAllIterator returns an iterator over every node.
func (m *memQuadStore) NodesAllIterator() cgraph.Iterator {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.QuadStore.NodesAllIterator()
}
