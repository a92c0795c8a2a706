package graph

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"sort"

	"github.com/cayleygraph/quad"
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
	if _, err := quadWriter(io.Discard, format); err != nil {
		return 0, err
	}
	quads, err := s.allQuads(ctx)
	if err != nil {
		return 0, fmt.Errorf("dump: %w", err)
	}
	if format == "jsonld" {
		if err := prepareJSONLD(quads); err != nil {
			return 0, err
		}
	}
	qw, _ := quadWriter(w, format)
	for i, q := range quads {
		if err := qw.WriteQuad(q); err != nil {
			return int64(i), fmt.Errorf("dump: write quad %d: %w", i+1, err)
		}
	}
	if err := qw.Close(); err != nil {
		return int64(len(quads)), fmt.Errorf("dump: %w", err)
	}
	return int64(len(quads)), nil
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
	it := qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(ctx) {
		q := fullTypes(qs.Quad(it.Result()))
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
	sort.Slice(all, func(i, j int) bool { return all[i].key < all[j].key })
	quads := make([]quad.Quad, len(all))
	for i, k := range all {
		quads[i] = k.q
	}
	return quads, nil
}

// fullTypes writes the datatypes of numbers, booleans and times in full.
// The store holds them as native values whose N-Quads form abbreviates the
// type (<xsd:integer>), which other RDF tools do not read; the full form
// reads back as the same value.
func fullTypes(q quad.Quad) quad.Quad {
	full := func(v quad.Value) quad.Value {
		if ts, ok := v.(quad.TypedStringer); ok {
			t := ts.TypedString()
			t.Type = t.Type.Full()
			return t
		}
		return v
	}
	q.Subject, q.Predicate, q.Object, q.Label = full(q.Subject), full(q.Predicate), full(q.Object), full(q.Label)
	return q
}

// schemeRE matches the start of an absolute IRI.
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// prepareJSONLD checks that every IRI of quads is absolute, as JSON-LD
// needs, and mends blank nodes for the JSON-LD writer of Cayley's quad
// library, which hands them to the JSON-LD processor without their "_:" and
// so turns them into relative IRIs (jsonldReader has the mirror image).
func prepareJSONLD(quads []quad.Quad) error {
	var n int
	var example quad.IRI
	for i, q := range quads {
		relative := false
		for _, v := range []*quad.Value{&q.Subject, &q.Predicate, &q.Object, &q.Label} {
			switch x := (*v).(type) {
			case quad.BNode:
				*v = quad.BNode("_:" + x)
			case quad.IRI:
				if !schemeRE.MatchString(string(x)) && !relative {
					relative = true
					if n++; n == 1 {
						example = x
					}
				}
			}
		}
		quads[i] = q
	}
	if n > 0 {
		return errorf(Invalid, "cannot dump as JSON-LD: %d quads use relative IRIs such as %s, which JSON-LD cannot hold; dump as nquads", n, example)
	}
	return nil
}
