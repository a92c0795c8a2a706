package graph

import (
	"context"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Timeline lists, in date order, everything that concerns a place: the
// appointments and relocations into or out of it, the policies that apply
// to it or to places inside it, investments, events and figures. Undated
// records come last.
func (g *Graph) Timeline(ctx context.Context, place string) ([]Entry, Notes, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	root, within, err := g.placeSet(r, &notes, place)
	if err != nil {
		return nil, notes, err
	}
	t, err := g.places(r)
	if err != nil {
		return nil, notes, err
	}
	var targets []quad.IRI
	for p := range t.Ancestors(root) {
		targets = append(targets, p)
	}
	for p := range within.all() {
		targets = append(targets, p)
	}
	subjects, err := r.measuredIn(within)
	if err != nil {
		return nil, notes, err
	}
	var ids iriSet
	for _, q := range []struct {
		places *nodeSet
		pred   quad.IRI
		class  schema.Class
	}{
		{within, schema.ToPlace, schema.Appointment},
		{within, schema.FromPlace, schema.Appointment},
		{within, schema.ToPlace, schema.Relocation},
		{within, schema.FromPlace, schema.Relocation},
		{newNodeSet(targets), schema.Targets, schema.Policy},
		{within, schema.EventPlace, schema.Investment},
		{within, schema.EventPlace, schema.Event},
		{newNodeSet(subjects), schema.About, schema.Observation},
	} {
		found, err := r.recordsAt(q.places, q.pred, q.class)
		if err != nil {
			return nil, notes, err
		}
		ids.add(found...)
	}
	out, err := r.entries(ids.list)
	if err != nil {
		return nil, notes, err
	}
	notes.noteEmpty(len(out), "records")
	return answer(r, out, notes)
}
