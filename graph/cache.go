package graph

import (
	"sync"

	"github.com/cayleygraph/quad"
)

// cache holds what is derived from one generation of the store and reused
// across requests. A request that sees a new generation number starts a new
// generation; the old one is dropped when its last reader is done.
type cache struct {
	mu      sync.Mutex
	current *generation
}

// generation is what is kept of one version of the store: the name index,
// the containment tree, and records read (the latter only where the
// generation number is exact: it changes with every write by anyone).
type generation struct {
	number uint64

	mu     sync.Mutex // guards names and places while they are built
	names  *nameIndex
	places *placeTree

	kept  propsCache // records read, where r.records allows
	lists listCache  // whole answers of listing questions, where r.records allows
}

// at returns the cache of generation number n.
func (c *cache) at(n uint64) *generation {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.current == nil || c.current.number != n {
		c.current = &generation{number: n}
	}
	return c.current
}

// propsCache keeps what requests derive from nodes of a store whose
// generation number is exact (bolt and memory, written by this process
// alone; PostgreSQL, whose number the database keeps), so that a record
// read once is not read again until the store's generation changes. A store
// that other processes write without changing the number (CockroachDB)
// does without.
type propsCache struct {
	props        boundedMap[quad.Value, props]
	links        boundedMap[linkKey, []quad.IRI]         // subjects and objects, by node, predicate and direction
	appointments boundedMap[quad.IRI, *appointmentEntry] // nil for a node that is not one
	names        boundedMap[quad.IRI, string]
	sources      boundedMap[quad.IRI, SourceRef]
}

type linkKey struct {
	node quad.Value
	pred quad.IRI
	from quad.Direction
}

// boundedMap is a map safe for concurrent use that empties itself when it
// reaches propsCacheMax entries: a crude bound, but one that costs nothing
// per read.
type boundedMap[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// propsCacheMax bounds each map of propsCache: records of a few hundred
// bytes each.
const propsCacheMax = 1 << 17

func (b *boundedMap[K, V]) get(k K) (V, bool) {
	b.mu.RLock()
	v, ok := b.m[k]
	b.mu.RUnlock()
	return v, ok
}

func (b *boundedMap[K, V]) put(k K, v V) {
	b.mu.Lock()
	if b.m == nil || len(b.m) >= propsCacheMax {
		b.m = make(map[K]V)
	}
	b.m[k] = v
	b.mu.Unlock()
}
