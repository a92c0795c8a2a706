// Package importer reads career tables kept elsewhere (a CSV of tenures,
// Wikidata's entity JSON, the results of the Wikidata SPARQL query in
// queries/) and turns them into source sheets: one sheet per source, whose
// entries carry the line and column of the input they come from. The
// sheets compile through package sheet, so that names resolve by graph's
// one resolver and every problem reads file:line:column; the caller
// writes the quads in one atomic step, as `rustbelt add` does.
package importer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
	"go.yaml.in/yaml/v3"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
)

// Importer reads career tables against a store: what it holds decides
// which names link to an entity it has and which make a new one.
type Importer struct {
	base  graph.Storage
	graph *graph.Graph
	// Today is the day of the import, YYYY-MM-DD: a Wikidata source's
	// retrieval date.
	Today string
}

// New returns an importer that reads against base; today is the day of the
// import (YYYY-MM-DD).
func New(base graph.Storage, today string) *Importer {
	return &Importer{base: base, graph: graph.New(base), Today: today}
}

// matches is every entity of class a name fits; none when it fits
// nothing, with the closest names.
func (im *Importer) matches(ctx context.Context, name string, class schema.Class) (ents, closest []graph.Entity, err error) {
	ents, err = im.graph.Matches(ctx, name, class)
	var fe *fail.Error
	if errors.As(err, &fe) && fe.Code == fail.NotFound {
		return nil, fe.Candidates, nil
	}
	return ents, nil, err
}

// sameAs is the entity of the store that keeps item as its sameAs, or "".
func (im *Importer) sameAs(ctx context.Context, item quad.IRI) (quad.IRI, error) {
	vals, err := im.base.Linked(ctx, item, schema.SameAs, quad.Object, quad.Subject)
	if err != nil {
		return "", fmt.Errorf("read what is the same as %s: %w", item, err)
	}
	var out []quad.IRI
	for _, v := range vals {
		if iri, ok := v.(quad.IRI); ok {
			out = append(out, iri)
		}
	}
	if len(out) == 0 {
		return "", nil
	}
	slices.Sort(out)
	return out[0], nil
}

// placeKind is the kind the store gives a place.
func (im *Importer) placeKind(ctx context.Context, place quad.IRI) (string, error) {
	vals, err := im.base.Linked(ctx, place, schema.PlaceKind, quad.Subject, quad.Object)
	if err != nil {
		return "", fmt.Errorf("read the kind of %s: %w", place, err)
	}
	for _, v := range vals {
		if s, ok := schema.Literal(v); ok {
			return s, nil
		}
	}
	return "", nil
}

// at is where a value was read: a line and a column of the input.
type at struct{ line, col int }

// scalar is a sheet value read at a position.
func scalar(value string, pos at) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Line: pos.line, Column: pos.col}
}

// entry builds one sheet entry, its keys in the order given.
type entry struct {
	node *yaml.Node
}

func newEntry(pos at) *entry {
	return &entry{node: &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: pos.line, Column: pos.col}}
}

// set adds key with a value; an empty value says nothing and is left out.
func (e *entry) set(key, value string, pos at) *entry {
	if value = strings.TrimSpace(value); value != "" {
		e.node.Content = append(e.node.Content, scalar(key, pos), scalar(value, pos))
	}
	return e
}

// setNode adds key with a value built by the caller.
func (e *entry) setNode(key string, v *yaml.Node, pos at) *entry {
	e.node.Content = append(e.node.Content, scalar(key, pos), v)
	return e
}

// ref is a reference by id (and name, which then must fit it).
func ref(name, id string, pos at) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: pos.line, Column: pos.col}
	if name != "" {
		m.Content = append(m.Content, scalar("name", pos), scalar(name, pos))
	}
	m.Content = append(m.Content, scalar("id", pos), scalar(id, pos))
	return m
}

// sheetDoc gathers the entries of one source's sheet, section by section.
type sheetDoc struct {
	source   *entry
	sections map[string][]*entry
	order    []string
	listed   map[string]bool // entries listed once: "places\x00suzhou"
}

func newSheetDoc(source *entry) *sheetDoc {
	return &sheetDoc{source: source, sections: map[string][]*entry{}, listed: map[string]bool{}}
}

// add lists an entry in a section; once is a key that lists it only the
// first time ("" to list it always).
func (d *sheetDoc) add(section string, e *entry, once string) {
	if once != "" {
		k := section + "\x00" + strings.ToLower(once)
		if d.listed[k] {
			return
		}
		d.listed[k] = true
	}
	if _, ok := d.sections[section]; !ok {
		d.order = append(d.order, section)
	}
	d.sections[section] = append(d.sections[section], e)
}

// sheet reads the document as a sheet.
func (d *sheetDoc) sheet(file string) (*sheet.Sheet, schema.Problems) {
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: d.source.node.Line, Column: d.source.node.Column}
	pos := at{d.source.node.Line, d.source.node.Column}
	root.Content = append(root.Content, scalar("source", pos), d.source.node)
	for _, sec := range d.order {
		list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: pos.line, Column: pos.col}
		for _, e := range d.sections[sec] {
			list.Content = append(list.Content, e.node)
		}
		root.Content = append(root.Content, scalar(sec, pos), list)
	}
	return sheet.FromNode(file, root)
}

// problems gathers the problems of one input.
type problems struct {
	file string
	list schema.Problems
}

func (p *problems) addf(pos at, format string, args ...any) {
	p.list = append(p.list, schema.Problem{Pos: schema.Pos{File: p.file, Line: max(pos.line, 1), Col: pos.col}, Msg: fmt.Sprintf(format, args...)})
}

// quoteNames lists entities for a "did you mean".
func quoteNames(ents []graph.Entity) string {
	parts := make([]string, len(ents))
	for i, e := range ents {
		parts[i] = fmt.Sprintf("%q (%s)", e.Name, e.ID)
	}
	return strings.Join(parts, ", ")
}
