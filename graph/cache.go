package graph

import "sync"

// cache holds what is derived from the whole graph and reused across calls:
// the name index and the containment tree. A load resets it.
type cache struct {
	mu     sync.Mutex
	names  *nameIndex
	places *placeTree
}

func (c *cache) reset() {
	c.mu.Lock()
	c.names, c.places = nil, nil
	c.mu.Unlock()
}
