package graph

import "sync"

// cache holds what is derived from the whole graph and reused across calls:
// the name index, the containment tree and nodes' edges. A load resets it.
type cache struct {
	mu     sync.Mutex
	names  *nameIndex
	places *placeTree
	props  propsCache
}

func (c *cache) reset() {
	c.mu.Lock()
	c.names, c.places = nil, nil
	c.mu.Unlock()
	c.props.reset()
}
