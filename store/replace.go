package store

import (
	"context"
	"database/sql"
	"fmt"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// ReplaceReport says what a Replace did to the quads of its labels.
type ReplaceReport struct {
	Added   int64 `json:"added"`
	Removed int64 `json:"removed"`
	Kept    int64 `json:"kept"`
}

// Replace makes quads the whole of what the store holds under labels, in
// one atomic step: the quads those labels carry that quads lacks are
// removed, those of quads the store lacks are added, and the rest stay as
// they are, so replacing a source with what it already says writes
// nothing. Every quad must carry one of labels. The quads are held to the
// vocabulary as a load's are; any problem writes nothing.
//
// It is how an edited source sheet takes the place of the last version of
// its source, on every backend: the removals and additions are one
// transaction, and on PostgreSQL an advisory lock keeps two replaces from
// reading the same old quads.
func (s *Store) Replace(ctx context.Context, labels []quad.IRI, quads []quad.Quad) (ReplaceReport, error) {
	if s.opt.ReadOnly {
		return ReplaceReport{}, fail.Errorf(fail.Forbidden, "store %s is open read-only", s.addr)
	}
	own := map[quad.Value]bool{}
	for _, l := range labels {
		own[l] = true
	}
	v := schema.NewValidator(false)
	for i, q := range quads {
		if !own[q.Label] {
			return ReplaceReport{}, fail.Errorf(fail.Invalid, "quad %d (%s) is labelled with none of the labels it replaces", i+1, q.NQuad())
		}
		v.Check(schema.Pos{File: "replacement", Line: i + 1}, q)
	}
	if problems := v.Problems(); len(problems) > 0 {
		return ReplaceReport{}, invalidLoad(problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.backend == Postgres {
		unlock, err := advisoryLock(ctx, s.addr)
		if err != nil {
			return ReplaceReport{}, fmt.Errorf("lock the store for a replace: %w", err)
		}
		defer unlock()
	}
	old, err := s.labelled(ctx, labels)
	if err != nil {
		return ReplaceReport{}, fmt.Errorf("read the quads to replace: %w", err)
	}
	var rep ReplaceReport
	var deltas []cgraph.Delta
	seen := map[string]bool{}
	for _, q := range quads {
		k := q.NQuad()
		switch {
		case seen[k]:
			continue
		case old[k] != nil:
			rep.Kept++
		default:
			deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
			rep.Added++
		}
		seen[k] = true
	}
	for k, q := range old {
		if !seen[k] {
			deltas = append(deltas, cgraph.Delta{Quad: *q, Action: cgraph.Delete})
			rep.Removed++
		}
	}
	if len(deltas) == 0 {
		return rep, nil
	}
	defer s.generation.Add(1)
	defer progressOf(ctx).span("write", int64(len(deltas)))()
	if s.backend == Bolt && losesAnAddedValue(deltas) {
		if err := s.replaceBySwap(ctx, deltas); err != nil {
			return ReplaceReport{}, fmt.Errorf("replace quads: %w", err)
		}
		return rep, nil
	}
	// One call is one transaction on every backend.
	if err := s.countedWrite(deltaQuads(deltas), func() error {
		return s.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{})
	}); err != nil {
		return ReplaceReport{}, fmt.Errorf("replace quads: %w", err)
	}
	return rep, nil
}

// losesAnAddedValue reports whether Cayley's kv writer (bolt) would write
// one of the added quads without one of its values. It nets each value's
// references over a batch and resolves ids only for the values that do not
// lose on balance, so an added quad whose value loses more quads than it
// gains gets no id for it.
func losesAnAddedValue(deltas []cgraph.Delta) bool {
	net := map[cgraph.ValueHash]int{}
	for _, d := range deltas {
		step := 1
		if d.Action == cgraph.Delete {
			step = -1
		}
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil {
				net[cgraph.HashOf(v)] += step
			}
		}
	}
	for _, d := range deltas {
		if d.Action != cgraph.Add {
			continue
		}
		for _, dir := range quad.Directions {
			if v := d.Quad.Get(dir); v != nil && net[cgraph.HashOf(v)] < 0 {
				return true
			}
		}
	}
	return false
}

// replaceBySwap applies a replace that Cayley's kv writer cannot take in
// one batch (see losesAnAddedValue) to a copy of the bolt store, additions
// first and removals after, and swaps the copy in: the two batches become
// one step, as a replace must be. The caller holds s.mu for writing.
func (s *Store) replaceBySwap(ctx context.Context, deltas []cgraph.Delta) error {
	var adds, dels []cgraph.Delta
	for _, d := range deltas {
		if d.Action == cgraph.Add {
			adds = append(adds, d)
		} else {
			dels = append(dels, d)
		}
	}
	tmp, err := buildStore(ctx, s.path, true, func(qs cgraph.QuadStore, db *bbolt.DB) error {
		built := &Store{backend: Bolt, qs: qs, db: db, indexes: s.indexes}
		return built.countedWrite(deltaQuads(deltas), func() error {
			if err := qs.ApplyDeltas(adds, cgraph.IgnoreOpts{}); err != nil {
				return err
			}
			return qs.ApplyDeltas(dels, cgraph.IgnoreOpts{})
		})
	})
	if err != nil {
		return err
	}
	return s.swapInBuilt(tmp)
}

// labelled returns the quads the store holds under labels, by their
// N-Quads text. The caller holds s.mu.
func (s *Store) labelled(ctx context.Context, labels []quad.IRI) (map[string]*quad.Quad, error) {
	out := map[string]*quad.Quad{}
	for _, l := range labels {
		ref := s.qs.ValueOf(l)
		if ref == nil {
			continue
		}
		it := s.qs.QuadIterator(quad.Label, ref)
		for it.Next(ctx) {
			q := s.qs.Quad(it.Result())
			out[q.NQuad()] = &q
		}
		err := it.Err()
		it.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, ctx.Err()
}

// replaceLockKey names rustbelt's replaces among PostgreSQL's advisory
// locks.
const replaceLockKey = 0x72757374_62656c74 // "rustbelt"

// advisoryLock takes PostgreSQL's session lock for replaces, so that two
// processes replacing a source one after the other each read what the
// other wrote; unlock releases it.
func advisoryLock(ctx context.Context, addr string) (unlock func(), err error) {
	db, err := sql.Open("postgres", addr)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(replaceLockKey)); err != nil {
		conn.Close()
		db.Close()
		return nil, err
	}
	return func() {
		// Closing the session releases the lock too; unlocking first frees
		// it even if the connection lingers in a pool.
		conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", int64(replaceLockKey))
		conn.Close()
		db.Close()
	}, nil
}
