package graph

import (
	"context"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/shape"
	"github.com/cayleygraph/quad"
)

// valueCache maps node references to their values for every request of a
// store. A reference names one value for good in every backend (a kv node
// id is never handed out twice, a SQL reference is the value's hash), so the
// cache survives loads; it is cleared when it grows past valueCacheMax.
type valueCache struct {
	mu     sync.RWMutex
	values map[any]quad.Value // by cgraph.ToKey
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
	got, err := cgraph.ValuesOf(ctx, qs, ask)
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

// propsCache keeps what requests derive from nodes of a store whose only
// writer is this process (bolt, memory), so that a record read once is not
// read again until a load resets it. A PostgreSQL store may be written by
// other processes at any time, and does without.
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

func (c *propsCache) reset() {
	c.props.reset()
	c.links.reset()
	c.appointments.reset()
	c.names.reset()
	c.sources.reset()
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

func (b *boundedMap[K, V]) reset() {
	b.mu.Lock()
	b.m = nil
	b.mu.Unlock()
}

// quads calls fn with every quad that has node in direction d. The quads'
// references are read first and their values resolved in one batch, mostly
// from the cache: a quad costs one index entry, not four lookups.
func (r *reader) quads(node quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	ref := r.qs.ValueOf(node)
	if ref == nil {
		return nil
	}
	it := r.qs.QuadIterator(d, ref)
	defer it.Close()
	var refs []cgraph.Ref
	for it.Next(r.ctx) {
		q := it.Result()
		for _, dir := range quad.Directions {
			refs = append(refs, r.qs.QuadDirection(q, dir))
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	if err := r.ctx.Err(); err != nil {
		return err
	}
	vals, err := r.values.of(r.ctx, r.qs, refs)
	if err != nil {
		return err
	}
	for i := 0; i < len(vals); i += 4 {
		fn(quad.Quad{Subject: vals[i], Predicate: vals[i+1], Object: vals[i+2], Label: vals[i+3]})
	}
	return nil
}

// linked returns the nodes at the result end of the quads that have node at
// the from end and predicate pred, through an index on both where the
// backend has one (kv's ops and sp, SQL's columns).
func (r *reader) linked(node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error) {
	nref, pref := r.qs.ValueOf(node), r.qs.ValueOf(pred)
	if nref == nil || pref == nil {
		return nil, nil
	}
	it, quads := r.indexScan(from, nref, pref)
	if it == nil {
		it = shape.BuildIterator(r.qs, shape.QuadsAction{
			Result: result,
			Filter: map[quad.Direction]cgraph.Ref{from: nref, quad.Predicate: pref},
		})
	}
	defer it.Close()
	var found []cgraph.Ref
	for it.Next(r.ctx) {
		if quads {
			found = append(found, r.qs.QuadDirection(it.Result(), result))
		} else {
			found = append(found, it.Result())
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	return r.values.of(r.ctx, r.qs, found)
}

// indexScan returns an iterator over the quads of a kv store that have
// node in direction from and predicate pred, read as one prefix of an
// index that starts with those two, or nil if there is none. Cayley's own
// optimizer only uses an index when every one of its directions is fixed.
func (r *reader) indexScan(from quad.Direction, node, pred cgraph.Ref) (cgraph.Iterator, bool) {
	kq, ok := r.qs.(*ckv.QuadStore)
	n, ok1 := node.(ckv.Int64Value)
	p, ok2 := pred.(ckv.Int64Value)
	if !ok || !ok1 || !ok2 {
		return nil, false
	}
	for _, ind := range r.indexes {
		if len(ind.Dirs) >= 2 && ind.Dirs[0] == from && ind.Dirs[1] == quad.Predicate {
			return ckv.NewQuadIterator(kq, ind, []uint64{uint64(n), uint64(p)}), true
		}
	}
	return nil, false
}
