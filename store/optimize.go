package store

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/shape"
	"github.com/cayleygraph/quad"
)

// prefixOptimizer is a bolt store as Gizmo, GraphQL and MQL queries see it.
// Cayley's kv optimizer turns a step filtered on several directions into an
// index scan only when the filter fixes every direction of the index: an
// In("<pred>") step fixes object and predicate, the index is ops, and so it
// scanned every quad of the predicate (2 s for a 2-hop query on 1M quads).
// This wrapper also scans an index whose leading directions are exactly the
// filter's, as one key prefix.
type prefixOptimizer struct {
	*ckv.QuadStore
	indexes []ckv.QuadIndex
}

// optimized returns qs with prefix scans where it is a kv store whose
// indexes are known, and qs itself otherwise.
func optimized(qs cgraph.QuadStore, indexes []ckv.QuadIndex) cgraph.QuadStore {
	if kq, ok := qs.(*ckv.QuadStore); ok && len(indexes) > 0 {
		return prefixOptimizer{QuadStore: kq, indexes: indexes}
	}
	return qs
}

// OptimizeShape implements shape.Optimizer.
// It replaces the kv store's own, which it covers: an index fixed in every
// direction is a prefix too, and the kv optimizer's scan would not build on
// the wrapper.
func (qs prefixOptimizer) OptimizeShape(s shape.Shape) (shape.Shape, bool) {
	if a, ok := s.(shape.QuadsAction); ok {
		if scan, ok := qs.prefixScan(a.Filter); ok {
			return a.SimplifyFrom(scan), true
		}
	}
	return s, false
}

// prefixScan returns a scan of the index whose first directions are those
// of filter, all fixed to one node each. SimplifyFrom drops the filter, so
// the scan must cover every filtered direction.
func (qs prefixOptimizer) prefixScan(filter map[quad.Direction]cgraph.Ref) (shape.Shape, bool) {
	if len(filter) == 0 {
		return nil, false
	}
	for _, ind := range qs.indexes {
		if len(ind.Dirs) < len(filter) {
			continue
		}
		vals := make([]uint64, 0, len(filter))
		for _, d := range ind.Dirs[:len(filter)] {
			v, ok := filter[d].(ckv.Int64Value)
			if !ok {
				break
			}
			vals = append(vals, uint64(v))
		}
		if len(vals) == len(filter) {
			return indexPrefix{qs: qs.QuadStore, index: ind, values: vals}, true
		}
	}
	return nil, false
}

// indexPrefix is the quads under one key prefix of a kv index. Cayley's own
// kv.IndexScan would do, but it builds only on the bare kv store.
type indexPrefix struct {
	qs     *ckv.QuadStore
	index  ckv.QuadIndex
	values []uint64
}

// BuildIterator implements shape.Shape. The iterator reports its size
// counted, up to prefixCountMax: Cayley guesses half the store for any
// prefix, and an intersection then drives from whichever step it guessed
// smaller, which was a scan of every quad with the next step's predicate.
func (s indexPrefix) BuildIterator(cgraph.QuadStore) cgraph.Iterator {
	it := ckv.NewQuadIterator(s.qs, s.index, s.values)
	size, err := countUpTo(it, prefixCountMax)
	if err != nil || size >= prefixCountMax {
		return ckv.NewQuadIterator(s.qs, s.index, s.values)
	}
	return cgraph.AsLegacy(sized{
		IteratorShape: ckv.NewQuadIterator(s.qs, s.index, s.values).AsShape(),
		size:          cgraph.Size{Size: size, Exact: true},
	})
}

// prefixCountMax bounds the index entries read to size a prefix scan.
const prefixCountMax = 10_000

func countUpTo(it cgraph.Iterator, limit int64) (int64, error) {
	defer it.Close()
	ctx := context.Background()
	var n int64
	for n < limit && it.Next(ctx) {
		n++
	}
	return n, it.Err()
}

// sized is an iterator that reports a known size.
type sized struct {
	cgraph.IteratorShape
	size cgraph.Size
}

// Stats implements cgraph.IteratorShape.
func (s sized) Stats(ctx context.Context) (cgraph.IteratorCosts, error) {
	c, err := s.IteratorShape.Stats(ctx)
	c.Size = s.size
	return c, err
}

// Optimize implements cgraph.IteratorShape.
func (s sized) Optimize(context.Context) (cgraph.IteratorShape, bool) { return s, false }

// Optimize implements shape.Shape.
func (s indexPrefix) Optimize(shape.Optimizer) (shape.Shape, bool) { return s, false }

var (
	_ shape.Optimizer = prefixOptimizer{}
	_ shape.Shape     = indexPrefix{}
)
