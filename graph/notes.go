package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Notes are remarks about how a question was read (which of several places
// named "Jilin" was taken), for the CLI's stderr or an HTTP response.
type Notes []string

// resolveArg resolves a command argument to a node, noting any choice made.
func (g *Graph) resolveArg(r *reader, notes *Notes, name string, classes ...schema.Class) (quad.IRI, error) {
	res, err := g.resolve(r, name, classes...)
	if err != nil {
		return "", err
	}
	if len(res.Others) > 0 {
		var others []string
		for _, o := range res.Others {
			others = append(others, fmt.Sprintf("%s (%s)", o.ID, o.Class))
		}
		*notes = append(*notes, fmt.Sprintf("%q names several entities; using %s, %s; others: %s",
			name, res.ID, res.Reason, strings.Join(others, ", ")))
	}
	return schema.ID(res.ID), nil
}

// placeSet resolves a place argument to the set of places within it.
func (g *Graph) placeSet(r *reader, notes *Notes, name string) (quad.IRI, *nodeSet, error) {
	place, err := g.resolveArg(r, notes, name, schema.Place)
	if err != nil {
		return "", nil, err
	}
	t, err := g.places(r)
	if err != nil {
		return "", nil, err
	}
	return place, t.Within(place), nil
}

// recordsAt returns the records of class that point at any of places
// through pred (appointments toPlace, investments place…), sorted.
func (r *reader) recordsAt(places *nodeSet, pred quad.IRI, class schema.Class) ([]quad.IRI, error) {
	subs, err := r.subjectsAt(places, pred)
	if err != nil {
		return nil, err
	}
	if err := r.outWithRefs(subs); err != nil { // their rows name these next
		return nil, err
	}
	var out []quad.IRI
	for _, sub := range subs {
		props, err := r.out(sub)
		if err != nil {
			return nil, err
		}
		if props.has(class) {
			out = append(out, sub)
		}
	}
	return out, nil
}

// subjectsAt returns the distinct nodes that point at any of places through
// pred, sorted.
func (r *reader) subjectsAt(places *nodeSet, pred quad.IRI) ([]quad.IRI, error) {
	var out iriSet
	for p := range places.all() {
		subs, err := r.subjects(p, pred)
		if err != nil {
			return nil, err
		}
		out.add(subs...)
	}
	slices.Sort(out.list)
	return out.list, nil
}

// all returns every node of a class.
func (r *reader) all(class schema.Class) ([]quad.IRI, error) {
	return r.subjects(class.IRI(), schema.Type)
}

// noteEmpty adds the standard remark for an empty answer.
func (n *Notes) noteEmpty(count int, what string) {
	if count == 0 {
		*n = append(*n, "no "+what+" match")
	}
}
