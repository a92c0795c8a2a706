package sheet

import (
	"context"
	"maps"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
)

// view is the graph a sheet's names resolve against: the store as it will
// be once the sheet is added, that is without the quads the sheet replaces
// (those of its own source), with the sheets compiled before it in the
// same run and with the entities the sheet declares. It is a graph.Storage,
// so that names go through graph's one resolver.
type view struct {
	base   graph.Storage // nil for none
	hidden map[quad.Value]bool
	layers []*quadIndex
	gen    uint64 // changes with every layer added, for graph's caches
}

// Quads calls fn with the quads of the view that have node in direction d.
func (v *view) Quads(ctx context.Context, node quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	if v.base != nil {
		err := v.base.Quads(ctx, node, d, func(q quad.Quad) {
			if !v.hidden[q.Label] {
				fn(q)
			}
		})
		if err != nil {
			return err
		}
	}
	for _, l := range v.layers {
		l.each(node, d, fn)
	}
	return ctx.Err()
}

// Linked returns the values at the result end of the view's quads that have
// node at the from end and predicate pred.
func (v *view) Linked(ctx context.Context, node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error) {
	var out []quad.Value
	keep := func(q quad.Quad) {
		if q.Predicate == pred {
			out = append(out, q.Get(result))
		}
	}
	switch {
	case v.base == nil:
	case len(v.hidden) == 0: // the store's own index answers
		vals, err := v.base.Linked(ctx, node, pred, from, result)
		if err != nil {
			return nil, err
		}
		out = vals
	default:
		err := v.base.Quads(ctx, node, from, func(q quad.Quad) {
			if !v.hidden[q.Label] {
				keep(q)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	for _, l := range v.layers {
		l.each(node, from, keep)
	}
	return out, ctx.Err()
}

// Generation changes whenever a layer is added. The view is never the only
// writer's store: graph keeps no records of it between questions.
func (v *view) Generation(ctx context.Context) (uint64, bool, error) {
	return v.gen, false, ctx.Err()
}

// QuadsPerLabel counts the view's quads by label.
func (v *view) QuadsPerLabel(ctx context.Context) (map[quad.IRI]int64, error) {
	counts := map[quad.IRI]int64{}
	if v.base != nil {
		base, err := v.base.QuadsPerLabel(ctx)
		if err != nil {
			return nil, err
		}
		maps.Copy(counts, base)
		for l := range v.hidden {
			if iri, ok := l.(quad.IRI); ok {
				delete(counts, iri)
			}
		}
	}
	for _, l := range v.layers {
		for _, q := range l.quads {
			iri, _ := q.Label.(quad.IRI)
			counts[iri]++
		}
	}
	return counts, nil
}

// Counts returns the view's quads, and the store's nodes: what a sheet adds
// or hides is not counted in nodes.
func (v *view) Counts(ctx context.Context) (quads, nodes int64, err error) {
	if v.base != nil {
		if _, nodes, err = v.base.Counts(ctx); err != nil {
			return 0, 0, err
		}
	}
	perLabel, err := v.QuadsPerLabel(ctx)
	for _, n := range perLabel {
		quads += n
	}
	return quads, nodes, err
}

// Kind names the view for Stats.
func (v *view) Kind() string { return "sheet" }

// add puts a layer of quads on top of the view.
func (v *view) add(l *quadIndex) {
	v.layers = append(v.layers, l)
	v.gen++
}

// quadIndex holds quads in memory, indexed by every direction.
type quadIndex struct {
	quads []quad.Quad
	by    map[quad.Direction]map[quad.Value][]int
}

func newQuadIndex() *quadIndex {
	return &quadIndex{by: map[quad.Direction]map[quad.Value][]int{}}
}

func (x *quadIndex) add(q quad.Quad) {
	i := len(x.quads)
	x.quads = append(x.quads, q)
	for _, d := range quad.Directions {
		v := q.Get(d)
		if v == nil {
			continue
		}
		if x.by[d] == nil {
			x.by[d] = map[quad.Value][]int{}
		}
		x.by[d][v] = append(x.by[d][v], i)
	}
}

func (x *quadIndex) each(node quad.Value, d quad.Direction, fn func(quad.Quad)) {
	for _, i := range x.by[d][node] {
		fn(x.quads[i])
	}
}

// has reports whether node is the subject of any quad.
func (x *quadIndex) has(node quad.Value) bool { return len(x.by[quad.Subject][node]) > 0 }
