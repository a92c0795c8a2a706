package store

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/shape"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
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
	refs, err := quadRefs(ctx, qs, node, d, nil)
	if err != nil {
		return err
	}
	return s.emitQuads(ctx, qs, refs, fn)
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
	return s.valuesOf(ctx, qs, found)
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

// Generation is a number that changes with every write, taken after the
// write and before readers may see it, so a cache keyed by it is never
// older than the data. exact reports whether it changes with every write
// by anyone: on bolt (whose lock file keeps out other writers) and memory
// it counts this process's writes; on PostgreSQL it is read from the
// database, where triggers raise it in the same transaction as every
// write of any process, and a replica replays it with the data. Where it
// is not exact (CockroachDB, or a PostgreSQL store without rustbelt's
// bookkeeping), others write without changing it, and what is cached of
// single records goes stale.
func (s *Store) Generation(ctx context.Context) (gen uint64, exact bool, err error) {
	if s.pg != nil && s.pg.kept {
		gen, err := s.pg.generation(ctx)
		if err != nil {
			return 0, false, fmt.Errorf("read the generation number: %w", err)
		}
		return gen, true, nil
	}
	return s.generation.Load(), s.backend == Bolt || s.backend == Memory, ctx.Err()
}

// QuadsPerLabel counts quads by label; "" counts the unlabelled. A
// PostgreSQL store reads the counts its triggers keep; the others count in
// one pass over the store.
func (s *Store) QuadsPerLabel(ctx context.Context) (map[quad.IRI]int64, error) {
	qs, done := s.quadStore()
	defer done()
	if s.pg != nil && s.pg.kept {
		return s.keptPerLabel(ctx, qs)
	}
	if kept, ok := s.keptCounts(); ok {
		return s.byID(ctx, qs, kept.labels)
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
	counts, err := s.tallied(ctx, qs, byKey)
	if err != nil {
		return nil, err
	}
	if unlabelled > 0 {
		counts[""] += unlabelled
	}
	return counts, nil
}

// keptPerLabel is QuadsPerLabel from a PostgreSQL store's bookkeeping.
func (s *Store) keptPerLabel(ctx context.Context, qs cgraph.QuadStore) (map[quad.IRI]int64, error) {
	list, err := s.pg.labelCounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the quads per label: %w", err)
	}
	return s.byHash(ctx, qs, list)
}

// byHash sums counts kept by node hash under the nodes' values, resolved
// in one batch; an empty hash counts under "".
func (s *Store) byHash(ctx context.Context, qs cgraph.QuadStore, list []hashCount) (map[quad.IRI]int64, error) {
	counts := map[quad.IRI]int64{}
	var refs []cgraph.Ref
	var ns []int64
	for _, c := range list {
		if len(c.hash) == 0 {
			counts[""] += c.n
			continue
		}
		var h csql.NodeHash
		if err := h.Scan(c.hash); err != nil {
			return nil, err
		}
		refs = append(refs, h)
		ns = append(ns, c.n)
	}
	vals, err := s.valuesOf(ctx, qs, refs)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		addLabelCount(counts, v, ns[i])
	}
	return counts, nil
}

// TypeCounts counts, for each class, the distinct subjects that rdf:type
// gives it, however many sources say so. PostgreSQL reads the counts its
// triggers keep; the other backends read every type quad once.
func (s *Store) TypeCounts(ctx context.Context) (map[quad.IRI]int64, error) {
	qs, done := s.quadStore()
	defer done()
	if s.pg != nil && s.pg.kept {
		list, err := s.pg.classCounts(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the subjects per class: %w", err)
		}
		return s.byHash(ctx, qs, list)
	}
	if kept, ok := s.keptCounts(); ok {
		return s.byID(ctx, qs, kept.classes)
	}
	typ := qs.ValueOf(schema.Type)
	if typ == nil {
		return map[quad.IRI]int64{}, nil
	}
	type pair struct{ subject, class any }
	seen := map[pair]bool{}
	byClass := map[any]*tally{}
	it := qs.QuadIterator(quad.Predicate, typ)
	defer it.Close()
	for it.Next(ctx) {
		q := it.Result()
		class := qs.QuadDirection(q, quad.Object)
		k := pair{cgraph.ToKey(qs.QuadDirection(q, quad.Subject)), cgraph.ToKey(class)}
		if seen[k] {
			continue
		}
		seen[k] = true
		if t := byClass[k.class]; t != nil {
			t.n++
		} else {
			byClass[k.class] = &tally{ref: class, n: 1}
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	return s.tallied(ctx, qs, byClass)
}

// byID sums counts kept by bolt node id under the nodes' values, resolved
// in one batch; id 0 counts under "".
func (s *Store) byID(ctx context.Context, qs cgraph.QuadStore, byID map[uint64]int64) (map[quad.IRI]int64, error) {
	byKey := make(map[any]*tally, len(byID))
	counts := map[quad.IRI]int64{}
	for id, n := range byID {
		if id == 0 {
			counts[""] += n
			continue
		}
		byKey[id] = &tally{ref: ckv.Int64Value(id), n: n}
	}
	named, err := s.tallied(ctx, qs, byKey)
	if err != nil {
		return nil, err
	}
	for k, n := range named {
		counts[k] += n
	}
	return counts, nil
}

// tally counts what refers to one node.
type tally struct {
	ref cgraph.Ref
	n   int64
}

// tallied sums tallies under their nodes' values, resolved in one batch.
func (s *Store) tallied(ctx context.Context, qs cgraph.QuadStore, byKey map[any]*tally) (map[quad.IRI]int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	refs := make([]cgraph.Ref, 0, len(byKey))
	ns := make([]int64, 0, len(byKey))
	for _, t := range byKey {
		refs = append(refs, t.ref)
		ns = append(ns, t.n)
	}
	vals, err := s.valuesOf(ctx, qs, refs)
	if err != nil {
		return nil, err
	}
	counts := map[quad.IRI]int64{}
	for i, v := range vals {
		addLabelCount(counts, v, ns[i])
	}
	return counts, nil
}

// addLabelCount adds n quads under label; a label that is not an IRI is
// counted by its text, one that cannot be read as unlabelled.
func addLabelCount(counts map[quad.IRI]int64, label quad.Value, n int64) {
	switch v := label.(type) {
	case quad.IRI:
		counts[v] += n
	case nil:
		counts[""] += n
	default:
		counts[quad.IRI(quad.StringOf(v))] += n
	}
}

// Counts returns the exact number of quads and nodes in the store. A
// PostgreSQL store reads them from its bookkeeping; bolt counts its nodes.
func (s *Store) Counts(ctx context.Context) (quads, nodes int64, err error) {
	if s.pg != nil && s.pg.kept {
		quads, nodes, err := s.pg.counts(ctx)
		if err != nil {
			return 0, 0, fmt.Errorf("count: %w", err)
		}
		return quads, nodes, nil
	}
	qs, done := s.quadStore()
	defer done()
	kept, ok := s.keptCounts()
	st, err := storeStats(ctx, qs, !ok) // bolt's quad count is exact without
	if err != nil {
		return 0, 0, fmt.Errorf("count: %w", err)
	}
	if ok {
		return st.Quads.Size, kept.nodes, nil
	}
	return st.Quads.Size, st.Nodes.Size, nil
}

// Kind names the backend, as Stats reports it.
func (s *Store) Kind() string { return string(s.backend) }
