package store

import (
	"context"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// valueCache maps node references to their values for every request of a
// store. A reference names one value for good in every backend (a kv node
// id is never handed out twice, a SQL reference is the value's hash), so the
// cache survives loads; it is cleared when it grows past valueCacheMax.
type valueCache struct {
	mu     sync.RWMutex
	values map[any]quad.Value // by cgraph.ToKey
	// fetch, if set, resolves what is not cached in place of the backend's
	// own ValuesOf (see sqlValues).
	fetch func(context.Context, []cgraph.Ref) ([]quad.Value, error)
}

// valueCacheMax bounds the cache: a few tens of megabytes.
const valueCacheMax = 1 << 18

// of returns the values of refs, asking the backend in one batch for those
// not cached.
func (c *valueCache) of(ctx context.Context, qs cgraph.QuadStore, refs []cgraph.Ref) ([]quad.Value, error) {
	out := make([]quad.Value, len(refs))
	var missing []int
	c.mu.RLock()
	for i, ref := range refs {
		if ref == nil {
			continue
		}
		if v, ok := c.values[cgraph.ToKey(ref)]; ok {
			out[i] = v
		} else {
			missing = append(missing, i)
		}
	}
	c.mu.RUnlock()
	if len(missing) == 0 {
		return out, nil
	}
	ask := make([]cgraph.Ref, len(missing))
	for j, i := range missing {
		ask[j] = refs[i]
	}
	var got []quad.Value
	var err error
	if c.fetch != nil {
		got, err = c.fetch(ctx, ask)
	} else {
		got, err = cgraph.ValuesOf(ctx, qs, ask)
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.values == nil || len(c.values)+len(got) > valueCacheMax {
		c.values = make(map[any]quad.Value, len(got))
	}
	for j, i := range missing {
		out[i] = got[j]
		if got[j] != nil {
			c.values[cgraph.ToKey(ask[j])] = got[j]
		}
	}
	c.mu.Unlock()
	return out, nil
}
