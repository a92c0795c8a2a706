package graph

import (
	"context"
	"slices"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Entity names one node of the graph.
type Entity struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"`
}

// SourceRef names the article a fact comes from.
type SourceRef struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
}

// String is the short citation used in tables: "NewsChina 2024-12-01", or
// for a source that names neither publisher nor date, its id.
func (s SourceRef) String() string {
	var parts []string
	for _, p := range []string{s.Publisher, s.Date} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return strings.TrimPrefix(s.ID, "source/") + " (undated)"
	}
	return strings.Join(parts, " ")
}

// edge is one quad seen from a node: the predicate, the node at the other
// end and the source label.
type edge struct {
	pred  quad.IRI
	node  quad.Value
	label quad.Value
}

// props are a node's outgoing edges by predicate.
type props map[quad.IRI][]edge

func (p props) str(pred quad.IRI) string {
	for _, e := range p[pred] {
		if s, ok := schema.Literal(e.node); ok {
			return s
		}
	}
	return ""
}

func (p props) strs(pred quad.IRI) []string {
	var out []string
	for _, e := range p[pred] {
		if s, ok := schema.Literal(e.node); ok && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (p props) refs(pred quad.IRI) []quad.IRI {
	var out []quad.IRI
	for _, e := range p[pred] {
		if iri, ok := e.node.(quad.IRI); ok && !slices.Contains(out, iri) {
			out = append(out, iri)
		}
	}
	return out
}

func (p props) ref(pred quad.IRI) quad.IRI {
	if r := p.refs(pred); len(r) > 0 {
		return r[0]
	}
	return ""
}

func (p props) has(class schema.Class) bool {
	want := class.IRI()
	for _, e := range p[schema.Type] {
		if e.node == want {
			return true
		}
	}
	return false
}

// labels lists the distinct source labels of the given predicates' edges,
// or of all edges when none is given.
func (p props) labels(preds ...quad.IRI) []quad.IRI {
	var out []quad.IRI
	add := func(es []edge) {
		for _, e := range es {
			if l, ok := e.label.(quad.IRI); ok && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	if len(preds) == 0 {
		for _, es := range p {
			add(es)
		}
	}
	for _, pr := range preds {
		add(p[pr])
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// reader answers one request: it memoizes node properties and source
// citations, so a node read twice costs one lookup.
type reader struct {
	ctx     context.Context
	qs      cgraph.QuadStore
	values  *valueCache
	indexes []ckv.QuadIndex // of a kv store
	shared  *propsCache     // nil where other processes may write
	props   map[quad.Value]props
	sources map[quad.IRI]SourceRef
}

// read opens a reader over the current store; call done when finished.
func (s *Store) read(ctx context.Context) (r *reader, done func()) {
	qs, unlock := s.quadStore()
	r = &reader{ctx: ctx, qs: qs, values: &s.values, indexes: s.indexes, props: map[quad.Value]props{}, sources: map[quad.IRI]SourceRef{}}
	if s.backend == Bolt || s.backend == Memory {
		r.shared = &s.cache.props
	}
	return r, unlock
}

// out returns a node's outgoing edges, memoized.
func (r *reader) out(node quad.Value) (props, error) {
	if p, ok := r.props[node]; ok {
		return p, nil
	}
	if r.shared != nil {
		if p, ok := r.shared.props.get(node); ok {
			r.props[node] = p
			return p, nil
		}
	}
	p := props{}
	err := r.quads(node, quad.Subject, func(q quad.Quad) {
		pred, _ := q.Predicate.(quad.IRI)
		p[pred] = append(p[pred], edge{pred: pred, node: q.Object, label: q.Label})
	})
	if err != nil {
		return nil, err
	}
	r.props[node] = p
	if r.shared != nil {
		r.shared.props.put(node, p)
	}
	return p, nil
}

// in returns the edges that point at node with predicate pred (any
// predicate when pred is empty); edge.node is the subject.
func (r *reader) in(node quad.Value, pred quad.IRI) ([]edge, error) {
	var out []edge
	err := r.quads(node, quad.Object, func(q quad.Quad) {
		p, _ := q.Predicate.(quad.IRI)
		if pred == "" || p == pred {
			out = append(out, edge{pred: p, node: q.Subject, label: q.Label})
		}
	})
	return out, err
}

// subjects returns the distinct subjects of in(node, pred), through an
// index on object and predicate.
func (r *reader) subjects(node quad.Value, pred quad.IRI) ([]quad.IRI, error) {
	return r.links(linkKey{node, pred, quad.Object}, quad.Subject)
}

// objects returns the distinct IRIs node points at with pred.
func (r *reader) objects(node quad.Value, pred quad.IRI) ([]quad.IRI, error) {
	return r.links(linkKey{node, pred, quad.Subject}, quad.Object)
}

func (r *reader) links(k linkKey, result quad.Direction) ([]quad.IRI, error) {
	if r.shared != nil {
		if l, ok := r.shared.links.get(k); ok {
			return slices.Clone(l), nil // callers may sort or append
		}
	}
	vals, err := r.linked(k.node, k.pred, k.from, result)
	if err != nil {
		return nil, err
	}
	l := distinctIRIs(vals)
	if r.shared != nil {
		r.shared.links.put(k, slices.Clone(l))
	}
	return l, nil
}

func distinctIRIs(vals []quad.Value) []quad.IRI {
	var out []quad.IRI
	seen := map[quad.IRI]bool{}
	for _, v := range vals {
		if iri, ok := v.(quad.IRI); ok && !seen[iri] {
			seen[iri] = true
			out = append(out, iri)
		}
	}
	return out
}

// name returns a node's schema:name, or its short id when it has none.
func (r *reader) name(node quad.IRI) string {
	if node == "" {
		return ""
	}
	if r.shared != nil {
		if n, ok := r.shared.names.get(node); ok {
			return n
		}
	}
	p, err := r.out(node)
	if err != nil {
		return schema.ShortID(node) // not kept: the next request may read it
	}
	n := p.str(schema.Name)
	if n == "" {
		n = schema.ShortID(node)
	}
	if r.shared != nil {
		r.shared.names.put(node, n)
	}
	return n
}

func (r *reader) names(nodes []quad.IRI) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = r.name(n)
	}
	return out
}

// entity describes a node by id, name and first vocabulary class.
func (r *reader) entity(node quad.IRI) Entity {
	e := Entity{ID: schema.ShortID(node), Name: r.name(node)}
	if p, err := r.out(node); err == nil {
		e.Class = classOf(p)
	}
	return e
}

func classOf(p props) string {
	for _, c := range p.refs(schema.Type) {
		return schema.Short(c)
	}
	return ""
}

// source returns the citation for a source label.
func (r *reader) source(label quad.IRI) SourceRef {
	if s, ok := r.sources[label]; ok {
		return s
	}
	if r.shared != nil {
		if s, ok := r.shared.sources.get(label); ok {
			r.sources[label] = s
			return s
		}
	}
	s := SourceRef{ID: schema.ShortID(label)}
	p, err := r.out(label)
	if err == nil {
		s.Title = p.str(schema.Name)
		s.Publisher = p.str(schema.Publisher)
		s.Date = p.str(schema.DatePublished)
		if r.shared != nil {
			r.shared.sources.put(label, s)
		}
	}
	r.sources[label] = s
	return s
}

func (r *reader) citations(labels []quad.IRI) []SourceRef {
	out := make([]SourceRef, 0, len(labels))
	for _, l := range labels {
		out = append(out, r.source(l))
	}
	return out
}
