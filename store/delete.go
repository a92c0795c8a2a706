package store

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// DeleteReport says what a delete did.
type DeleteReport struct {
	Read    int64 `json:"read"`
	Deleted int64 `json:"deleted"`
	Missing int64 `json:"missing"`
}

// Delete removes the quads of the inputs from the store in one atomic step.
// The inputs are read as Load reads them, and an input with a syntax error
// deletes nothing. Quads the store does not hold are skipped and counted, as
// Load skips duplicates. Deletes are not held to the record rules: removing
// a fact may leave a record incomplete, as a user removing it intends.
func (s *Store) Delete(ctx context.Context, inputs []Input) (DeleteReport, error) {
	if s.opt.ReadOnly {
		return DeleteReport{}, fail.Errorf(fail.Forbidden, "store %s is open read-only", s.addr)
	}
	var deltas []cgraph.Delta
	var problems schema.Problems
	var read int64
	seen := map[string]bool{} // Cayley's bolt store counts a quad deleted twice in one step twice
	for _, in := range inputs {
		err := eachQuad(ctx, in, func(_ schema.Pos, q quad.Quad) error {
			read++
			if key := q.NQuad(); !seen[key] {
				seen[key] = true
				deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Delete})
			}
			return nil
		}, &problems)
		if err != nil {
			return DeleteReport{}, err
		}
	}
	if len(problems) > 0 {
		return DeleteReport{}, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%d problem(s) found; nothing was deleted", len(problems)), Err: problems}
	}
	defer s.lockForWrite()()
	before, err := s.quadTotal(ctx)
	if err != nil {
		return DeleteReport{}, err
	}
	// One call is one transaction on every backend.
	if err := s.countedWrite(deltaQuads(deltas), func() error {
		return s.qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreMissing: true})
	}); err != nil {
		return DeleteReport{}, fmt.Errorf("delete quads: %w", err)
	}
	after, err := s.quadTotal(ctx)
	if err != nil {
		return DeleteReport{}, err
	}
	rep := DeleteReport{Read: read, Deleted: before - after}
	rep.Missing = rep.Read - rep.Deleted
	return rep, nil
}

// quadTotal counts the quads for a write's report. On PostgreSQL it reads
// the bookkeeping: Cayley's own count is cached until this process writes,
// and another process may have written since. The caller holds s.mu.
func (s *Store) quadTotal(ctx context.Context) (int64, error) {
	if s.pg != nil && s.pg.kept {
		n, _, err := s.pg.counts(ctx)
		if err != nil {
			return 0, fmt.Errorf("count quads: %w", err)
		}
		return n, nil
	}
	return quadCount(ctx, s.qs)
}

// deltaQuads lists the quads of deltas.
func deltaQuads(deltas []cgraph.Delta) []quad.Quad {
	out := make([]quad.Quad, len(deltas))
	for i, d := range deltas {
		out[i] = d.Quad
	}
	return out
}
