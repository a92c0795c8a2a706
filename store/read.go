package store

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/shape"
	"github.com/cayleygraph/quad"
)

// The reads below are what package graph asks of a store: quads by
// direction, links through an index, counts, and the generation number that
// tells its caches when to let go.

// Quads calls fn with every quad that has node in direction d. The quads'
// references are read first and their values resolved in one batch, mostly
// from the cache: a quad costs one index entry, not four lookups.
func (s *Store) Quads(ctx context.Context, node quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	qs, done := s.quadStore()
	defer done()
	ref := qs.ValueOf(node)
	if ref == nil {
		return nil
	}
	it := qs.QuadIterator(d, ref)
	defer it.Close()
	var refs []cgraph.Ref
	for it.Next(ctx) {
		q := it.Result()
		for _, dir := range quad.Directions {
			refs = append(refs, qs.QuadDirection(q, dir))
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	vals, err := s.values.of(ctx, qs, refs)
	if err != nil {
		return err
	}
	for i := 0; i < len(vals); i += 4 {
		fn(quad.Quad{Subject: vals[i], Predicate: vals[i+1], Object: vals[i+2], Label: vals[i+3]})
	}
	return nil
}

// Linked returns the nodes at the result end of the quads that have node at
// the from end and predicate pred, through an index on both where the
// backend has one (kv's ops and sp, SQL's columns).
func (s *Store) Linked(ctx context.Context, node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error) {
	qs, done := s.quadStore()
	defer done()
	nref, pref := qs.ValueOf(node), qs.ValueOf(pred)
	if nref == nil || pref == nil {
		return nil, nil
	}
	it, quads := indexScan(qs, s.indexes, from, nref, pref)
	if it == nil {
		it = shape.BuildIterator(qs, shape.QuadsAction{
			Result: result,
			Filter: map[quad.Direction]cgraph.Ref{from: nref, quad.Predicate: pref},
		})
	}
	defer it.Close()
	var found []cgraph.Ref
	for it.Next(ctx) {
		if quads {
			found = append(found, qs.QuadDirection(it.Result(), result))
		} else {
			found = append(found, it.Result())
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.values.of(ctx, qs, found)
}

// indexScan returns an iterator over the quads of a kv store that have
// node in direction from and predicate pred, read as one prefix of an
// index that starts with those two, or nil if there is none. Cayley's own
// optimizer only uses an index when every one of its directions is fixed.
func indexScan(qs cgraph.QuadStore, indexes []ckv.QuadIndex, from quad.Direction, node, pred cgraph.Ref) (cgraph.Iterator, bool) {
	kq, ok := qs.(*ckv.QuadStore)
	n, ok1 := node.(ckv.Int64Value)
	p, ok2 := pred.(ckv.Int64Value)
	if !ok || !ok1 || !ok2 {
		return nil, false
	}
	for _, ind := range indexes {
		if len(ind.Dirs) >= 2 && ind.Dirs[0] == from && ind.Dirs[1] == quad.Predicate {
			return ckv.NewQuadIterator(kq, ind, []uint64{uint64(n), uint64(p)}), true
		}
	}
	return nil, false
}

// Generation is a number that changes with every write this process makes,
// taken after the write and before readers may see it, so a cache keyed by
// it is never older than the data. sole reports whether this process is
// the store's only writer (bolt holds a lock file, memory is private):
// where it is not (PostgreSQL), other processes write without changing
// the number, and what is cached of single records goes stale.
func (s *Store) Generation(ctx context.Context) (gen uint64, sole bool, err error) {
	return s.generation.Load(), s.backend == Bolt || s.backend == Memory, ctx.Err()
}

// QuadsPerLabel counts quads by label in one pass over the store; "" counts
// the unlabelled.
func (s *Store) QuadsPerLabel(ctx context.Context) (map[quad.IRI]int64, error) {
	qs, done := s.quadStore()
	defer done()
	type tally struct {
		ref cgraph.Ref
		n   int64
	}
	byKey := map[any]*tally{}
	var unlabelled int64
	it := qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(ctx) {
		l := qs.QuadDirection(it.Result(), quad.Label)
		if l == nil {
			unlabelled++
			continue
		}
		k := cgraph.ToKey(l)
		if t, ok := byKey[k]; ok {
			t.n++
		} else {
			byKey[k] = &tally{ref: l, n: 1}
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	counts := map[quad.IRI]int64{}
	if unlabelled > 0 {
		counts[""] = unlabelled
	}
	for _, t := range byKey {
		switch v := qs.NameOf(t.ref).(type) {
		case quad.IRI:
			counts[v] += t.n
		case nil:
			counts[""] += t.n
		default:
			counts[quad.IRI(quad.StringOf(v))] += t.n
		}
	}
	return counts, nil
}

// Counts returns the exact number of quads and nodes in the store.
func (s *Store) Counts(ctx context.Context) (quads, nodes int64, err error) {
	qs, done := s.quadStore()
	defer done()
	st, err := storeStats(ctx, qs, true)
	if err != nil {
		return 0, 0, fmt.Errorf("count: %w", err)
	}
	return st.Quads.Size, st.Nodes.Size, nil
}

// Kind names the backend, as Stats reports it.
func (s *Store) Kind() string { return string(s.backend) }
