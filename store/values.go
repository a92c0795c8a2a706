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
	// refs maps back from the IRIs among values, so that a node the store
	// named (a label QuadsPerLabel counted) is not looked up again by hash.
	// Unlike a value's reference, an IRI's may change with a write (a node
	// deleted and added again has a new bolt id): refs holds what was read
	// at generation refsGen only.
	refs    map[quad.IRI]cgraph.Ref
	refsGen uint64
}

// refOf returns the reference of iri if the cache holds it for gen.
func (c *valueCache) refOf(iri quad.IRI, gen uint64) (cgraph.Ref, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.refsGen != gen {
		return nil, false
	}
	ref, ok := c.refs[iri]
	return ref, ok
}

// valuesOf returns the values of refs, from the cache or else from the
// backend in one batch: bolt and PostgreSQL read many nodes in one
// transaction or query (boltValues, sqlValues), others through Cayley's
// ValuesOf. Call it with qs from quadStore, under its read lock.
func (s *Store) valuesOf(ctx context.Context, qs cgraph.QuadStore, refs []cgraph.Ref) ([]quad.Value, error) {
	return s.values.of(ctx, refs, func(ctx context.Context, missing []cgraph.Ref) ([]quad.Value, error) {
		switch {
		case s.pg != nil:
			return sqlValues(ctx, s.pg.db, missing)
		case s.db != nil:
			return boltValues(ctx, s.db, missing)
		}
		return cgraph.ValuesOf(ctx, qs, missing)
	}, s.generation.Load())
}

// valueCacheMax bounds the cache: a few tens of megabytes.
const valueCacheMax = 1 << 18

// of returns the values of refs, asking fetch in one batch for those not
// cached; gen is the store's generation, under the read lock.
func (c *valueCache) of(ctx context.Context, refs []cgraph.Ref, fetch func(context.Context, []cgraph.Ref) ([]quad.Value, error), gen uint64) ([]quad.Value, error) {
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
	got, err := fetch(ctx, ask)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.values == nil || len(c.values)+len(got) > valueCacheMax {
		c.values = make(map[any]quad.Value, len(got))
		c.refs = nil
	}
	if c.refs == nil || c.refsGen != gen {
		c.refs, c.refsGen = map[quad.IRI]cgraph.Ref{}, gen
	}
	for j, i := range missing {
		out[i] = got[j]
		if got[j] != nil {
			c.values[cgraph.ToKey(ask[j])] = got[j]
		}
		if iri, ok := got[j].(quad.IRI); ok {
			c.refs[iri] = ask[j]
		}
	}
	c.mu.Unlock()
	return out, nil
}
