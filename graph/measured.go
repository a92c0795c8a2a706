package graph

import (
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// measuredIn lists what a figure may be about for it to count as a figure
// of the places within: the places themselves, and the companies,
// facilities and organizations based or located in them and nowhere else.
// A railway corridor whose rail ports lie in Heilongjiang and Inner
// Mongolia is no part of Heilongjiang: its figures are the corridor's,
// not the province's. The list is sorted.
func (r *reader) measuredIn(within *nodeSet) ([]quad.IRI, error) {
	var out iriSet
	for p := range within.all() {
		out.add(p)
	}
	for _, pred := range []quad.IRI{schema.BasedIn, schema.LocatedIn} {
		subs, err := r.subjectsAt(within, pred)
		if err != nil {
			return nil, err
		}
		if err := r.outOfEach(subs); err != nil {
			return nil, err
		}
		for _, s := range subs {
			p, err := r.out(s)
			if err != nil {
				return nil, err
			}
			if within.hasAll(p.refs(schema.BasedIn)) && within.hasAll(p.refs(schema.LocatedIn)) {
				out.add(s)
			}
		}
	}
	slices.Sort(out.list)
	return out.list, nil
}

// hasAll reports whether every one of nodes is in the set.
func (s *nodeSet) hasAll(nodes []quad.IRI) bool {
	for _, n := range nodes {
		if !s.has(n) {
			return false
		}
	}
	return true
}
