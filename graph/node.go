package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// Entity names one node of the graph: its short id, name and class. It is
// the type of an error's candidates, so that an ambiguous name's error
// lists entities as every answer does.
type Entity = fail.Candidate

// SourceRef names the article a fact comes from, or, for a fact a curator
// inferred from an article, the inference: its reasoning and the article.
type SourceRef struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	Date      string `json:"date,omitempty"`
	// Untitled says the article states no title, rather than that its
	// title is unknown to the graph.
	Untitled bool `json:"untitled,omitempty"`
	// Inference is how the fact was inferred, and InferredFrom the article
	// it was inferred from, when the fact is not the article's statement.
	Inference    string     `json:"inference,omitempty"`
	InferredFrom *SourceRef `json:"inferred_from,omitempty"`
}

// String is the short citation used in tables: "NewsChina 2024-12-01";
// for a source that names neither publisher nor date, its id and that they
// are unknown; for an inference, "inferred from" the article, and how.
func (s SourceRef) String() string {
	if s.InferredFrom != nil {
		return "inferred from " + s.InferredFrom.String() + ": " + s.Inference
	}
	var parts []string
	for _, p := range []string{s.Publisher, s.Date} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	id := strings.TrimPrefix(s.ID, "source/")
	if s.Untitled {
		return id + " (untitled; publisher and date unknown)"
	}
	return id + " (publisher and date unknown)"
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
//
// A reader keeps the first error any of its reads meets (a store that
// fails, a deadline that passes), as bufio.Writer does: helpers that cannot
// return one (name, entity, source) then read as short ids, and every
// question asks check before it answers, so that no answer is built from
// what the failed reads left out.
type reader struct {
	ctx     context.Context
	storage Storage
	shared  *generation // what this generation of the store keeps across requests
	records bool        // shared.props may be used: the generation number is exact
	props   map[quad.Value]props
	sources map[quad.IRI]SourceRef
	err     error // the first read error, see check
}

// read opens a reader over the store as it is now.
func (g *Graph) read(ctx context.Context) (*reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	gen, sole, err := g.storage.Generation(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the store's generation: %w", err)
	}
	return &reader{
		ctx:     ctx,
		storage: g.storage,
		shared:  g.cache.at(gen),
		records: sole,
		props:   map[quad.Value]props{},
		sources: map[quad.IRI]SourceRef{},
	}, nil
}

// failed records err as the reader's error unless it has one, and returns
// it.
func (r *reader) failed(err error) error {
	if err != nil && r.err == nil {
		r.err = err
	}
	return err
}

// check returns the first error a read met, or the context's error if the
// question ran past its deadline or was cancelled: either way the answer is
// incomplete, and must not be given.
func (r *reader) check() error {
	if r.err != nil {
		return r.err
	}
	return r.ctx.Err()
}

// ok reports whether nothing has failed yet, so that a record built from
// several reads may be kept for other requests: one built after a failure
// may hold short ids for names.
func (r *reader) ok() bool { return r.check() == nil }

// answer returns v and notes, or, if any read failed or the question ran
// out of time, that error and no answer.
func answer[T any](r *reader, v T, notes Notes) (T, Notes, error) {
	if err := r.check(); err != nil {
		var zero T
		return zero, notes, err
	}
	return v, notes, nil
}

// quads calls fn with every quad that has node in direction d.
func (r *reader) quads(node quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	if err := r.storage.Quads(r.ctx, node, d, fn); err != nil {
		return r.failed(fmt.Errorf("read the quads of %s: %w", node, err))
	}
	return nil
}

// linked returns the nodes at the result end of the quads that have node at
// the from end and predicate pred.
func (r *reader) linked(node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error) {
	vals, err := r.storage.Linked(r.ctx, node, pred, from, result)
	if err != nil {
		return nil, r.failed(fmt.Errorf("read the %s links of %s: %w", schema.Short(pred), node, err))
	}
	return vals, nil
}

// out returns a node's outgoing edges, memoized, each predicate's edges
// sorted by the node they point at and then by source, so that what is
// read of them ("the first name") does not depend on the order a backend
// returns quads in. The props may be shared with other requests: callers
// must not change them.
func (r *reader) out(node quad.Value) (props, error) {
	if p, ok := r.memoized(node); ok {
		return p, nil
	}
	p := props{}
	err := r.quads(node, quad.Subject, func(q quad.Quad) { p.add(q) })
	if err != nil {
		return nil, err
	}
	r.memoize(node, p)
	return p, nil
}

// outOfEach reads the outgoing edges of the nodes out has not memoized in
// one batch where the storage can (ManyReader), and memoizes them as out
// would have, so that describing thousands of nodes costs one read.
func (r *reader) outOfEach(nodes []quad.IRI) error {
	_, err := r.readOut(nodes)
	return err
}

// readOut is outOfEach, returning the nodes it read.
func (r *reader) readOut(nodes []quad.IRI) ([]quad.Value, error) {
	many, ok := r.storage.(ManyReader)
	if !ok {
		return nil, nil // out reads them one at a time
	}
	read := map[quad.Value]props{}
	var missing []quad.Value
	for _, n := range nodes {
		if _, ok := r.memoized(n); !ok && read[n] == nil {
			read[n] = props{}
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	err := many.QuadsOf(r.ctx, missing, quad.Subject, func(q quad.Quad) {
		if p := read[q.Subject]; p != nil {
			p.add(q)
		}
	})
	if err != nil {
		return nil, r.failed(fmt.Errorf("read the quads of %d nodes: %w", len(missing), err))
	}
	for _, n := range missing {
		r.memoize(n, read[n])
	}
	return missing, nil
}

// outWithRefs reads, where the storage reads many nodes at once, the
// outgoing edges of records and then those of every node they point at and
// every source they cite, in two batches: a list of thousands of rows then
// costs two reads for its people, posts, places and citations instead of a
// read per node (on PostgreSQL, a round trip each: a region's 6,672
// appointments took 15 s the first time at 1M quads). Records read before
// had theirs read with them: a repeated question costs no pass over its
// rows' edges.
func (r *reader) outWithRefs(records []quad.IRI) error {
	read, err := r.readOut(records)
	if err != nil || len(read) == 0 {
		return err
	}
	seen := map[quad.IRI]bool{}
	var refs []quad.IRI
	add := func(v quad.Value) {
		if iri, ok := v.(quad.IRI); ok && !seen[iri] {
			seen[iri] = true
			refs = append(refs, iri)
		}
	}
	for _, n := range read {
		p, _ := r.memoized(n)
		for _, es := range p {
			for _, e := range es {
				add(e.node)
				add(e.label)
			}
		}
	}
	return r.outOfEach(refs)
}

// memoized returns what out read of node before, in this request or, where
// records are kept, in an earlier one.
func (r *reader) memoized(node quad.Value) (props, bool) {
	if p, ok := r.props[node]; ok {
		return p, true
	}
	if r.records {
		if p, ok := r.shared.kept.props.get(node); ok {
			r.props[node] = p
			return p, true
		}
	}
	return nil, false
}

// memoize sorts p's edges and keeps p as node's for out.
func (r *reader) memoize(node quad.Value, p props) {
	for _, es := range p {
		slices.SortFunc(es, compareEdges)
	}
	r.props[node] = p
	if r.records {
		r.shared.kept.props.put(node, p)
	}
}

// add records q as an edge of its subject.
func (p props) add(q quad.Quad) {
	pred, _ := q.Predicate.(quad.IRI)
	p[pred] = append(p[pred], edge{pred: pred, node: q.Object, label: q.Label})
}

// compareEdges orders edges by the node they point at, then by source.
func compareEdges(a, b edge) int {
	return cmp.Or(compareValues(a.node, b.node), compareValues(a.label, b.label))
}

// compareValues orders quad values by their N-Quads text; nil first.
func compareValues(a, b quad.Value) int {
	if a == nil || b == nil {
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	}
	return strings.Compare(a.String(), b.String())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// in returns the edges that point at node with predicate pred (any
// predicate when pred is empty), sorted by predicate, subject and source;
// edge.node is the subject.
func (r *reader) in(node quad.Value, pred quad.IRI) ([]edge, error) {
	var out []edge
	err := r.quads(node, quad.Object, func(q quad.Quad) {
		p, _ := q.Predicate.(quad.IRI)
		if pred == "" || p == pred {
			out = append(out, edge{pred: p, node: q.Subject, label: q.Label})
		}
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b edge) int {
		return cmp.Or(strings.Compare(string(a.pred), string(b.pred)), compareEdges(a, b))
	})
	return out, nil
}

// subjects returns the distinct subjects of in(node, pred), sorted, through
// an index on object and predicate.
func (r *reader) subjects(node quad.Value, pred quad.IRI) ([]quad.IRI, error) {
	return r.links(linkKey{node, pred, quad.Object}, quad.Subject)
}

// objects returns the distinct IRIs node points at with pred, sorted.
func (r *reader) objects(node quad.Value, pred quad.IRI) ([]quad.IRI, error) {
	return r.links(linkKey{node, pred, quad.Subject}, quad.Object)
}

func (r *reader) links(k linkKey, result quad.Direction) ([]quad.IRI, error) {
	if r.records {
		if l, ok := r.shared.kept.links.get(k); ok {
			return slices.Clone(l), nil // callers may sort or append
		}
	}
	vals, err := r.linked(k.node, k.pred, k.from, result)
	if err != nil {
		return nil, err
	}
	l := distinctIRIs(vals)
	slices.Sort(l) // the backends return them in different orders
	if r.records {
		r.shared.kept.links.put(k, slices.Clone(l))
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

// name returns a node's schema:name, or its short id when it has none or
// cannot be read (then check reports why).
func (r *reader) name(node quad.IRI) string {
	if node == "" {
		return ""
	}
	if r.records {
		if n, ok := r.shared.kept.names.get(node); ok {
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
	if r.records {
		r.shared.kept.names.put(node, n)
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

// entity describes a node by id, name and first class in vocabulary order
// (see primaryClass); a node that cannot be read has its short id for a
// name and no class, and check reports why.
func (r *reader) entity(node quad.IRI) Entity {
	e := Entity{ID: schema.ShortID(node), Name: r.name(node)}
	if p, err := r.out(node); err == nil {
		e.Class = classOf(p)
	}
	return e
}

func classOf(p props) string {
	if c := primaryClass(p); c != "" {
		return schema.Short(c.IRI())
	}
	return ""
}

// source returns the citation for a source label: its id alone if the
// label cannot be read (then check reports why). The label of an inferred
// fact cites the inference and the article it is drawn from.
func (r *reader) source(label quad.IRI) SourceRef {
	if s, ok := r.sources[label]; ok {
		return s
	}
	if r.records {
		if s, ok := r.shared.kept.sources.get(label); ok {
			r.sources[label] = s
			return s
		}
	}
	s, p := r.article(label)
	if from := p.ref(schema.InferredFrom); from != "" && p.has(schema.Inference) {
		// One step only: an inference is drawn from an article, so a loop
		// in the data cannot make this recurse.
		src, _ := r.article(from)
		s.Inference, s.InferredFrom = p.str(schema.Description), &src
	}
	if r.records && r.ok() {
		r.shared.kept.sources.put(label, s)
	}
	r.sources[label] = s
	return s
}

// article describes the node a label names by its own properties, which it
// returns too; an unreadable node is its id alone.
func (r *reader) article(label quad.IRI) (SourceRef, props) {
	s := SourceRef{ID: schema.ShortID(label)}
	p, err := r.out(label)
	if err != nil {
		return s, nil
	}
	s.Title = p.str(schema.Name)
	s.Publisher = p.str(schema.Publisher)
	s.Date = p.str(schema.DatePublished)
	s.Untitled = s.Title == "" && p.has(schema.Source)
	return s, p
}

func (r *reader) citations(labels []quad.IRI) []SourceRef {
	out := make([]SourceRef, 0, len(labels))
	for _, l := range labels {
		out = append(out, r.source(l))
	}
	return out
}
