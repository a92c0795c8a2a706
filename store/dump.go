package store

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/cayleygraph/quad"
	"github.com/rustbelt/rustbelt/schema"
)

// Dump writes every quad of the store to w in format, one of DumpFormats,
// and returns how many it wrote. What it writes loads back into an empty
// store as the same quads. JSON-LD has no room for relative IRIs such as
// <alice>, common in Cayley's examples: a store that holds one is refused
// rather than dumped without it.
//
// Quads come out grouped by label, unlabelled ones first, and sorted within
// a label, so that a store always dumps the same bytes whatever its backend
// and two dumps can be compared with diff. Sorting holds the store's quads in
// memory.
func (s *Store) Dump(ctx context.Context, w io.Writer, format string) (int64, error) {
	if err := schema.CheckDumpFormat(format); err != nil {
		return 0, err
	}
	quads, err := s.allQuads(ctx)
	if err != nil {
		return 0, fmt.Errorf("dump: %w", err)
	}
	written := progressOf(ctx).span("write", int64(len(quads)))
	n, err := schema.WriteQuads(w, format, quads)
	written()
	if err != nil {
		return n, fmt.Errorf("dump: %w", err)
	}
	return n, nil
}

// allQuads reads every quad of the store in dump order.
func (s *Store) allQuads(ctx context.Context) ([]quad.Quad, error) {
	qs, done := s.quadStore()
	defer done()
	type keyed struct {
		key string
		q   quad.Quad
	}
	var all []keyed
	progress := progressOf(ctx)
	if progress != nil {
		total, err := quadCount(ctx, qs)
		if err != nil {
			return nil, err
		}
		progress.stage("read", total, 0)
	}
	it := qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(ctx) {
		if len(all)%4096 == 4095 {
			progress.add(4096, 0)
		}
		q := schema.FullTypes(qs.Quad(it.Result()))
		label := ""
		if q.Label != nil {
			label = q.Label.String()
		}
		all = append(all, keyed{label + "\x00" + q.NQuad(), q})
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	progress.add(int64(len(all)%4096), 0)
	progress.end()
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	quads := make([]quad.Quad, len(all))
	for i, k := range all {
		quads[i] = k.q
	}
	return quads, nil
}
