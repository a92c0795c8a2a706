package graph

import (
	"context"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// SubgraphOptions select a piece of the graph to draw.
type SubgraphOptions struct {
	// Centers name the entities to start from, resolved as the query commands
	// resolve names. A place stands for itself and every place inside it, as
	// in `appointments --to`. No centers selects the whole graph.
	Centers []string
	// Depth is how many steps from a center to go. A step links two entities,
	// directly (a city to its province) or through a record: an appointment
	// links its person and both places, so depth 1 around a place reaches the
	// people appointed there and where they came from.
	Depth int
	// Types keeps only entities of these classes ("person", "place",
	// "policy"…; see SubgraphTypes), and the walk goes through no other.
	// Naming record classes ("appointment", "investment"…) also keeps only
	// those records. Centers are always kept. Empty keeps everything.
	Types []string
	// DateRange drops dated records and dated entities (policies, events)
	// outside the range; undated entities such as people and places stay.
	DateRange
	// Reified keeps appointments, relocations, investments and observations
	// as nodes linked to what they name, instead of drawing each as edges.
	Reified bool
}

// Subgraph is a piece of the graph as nodes and edges for drawing, sorted by
// id. Every node and edge cites the sources that support it.
type Subgraph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`

	quads []quad.Quad // the facts behind it, for WriteQuads
}

// Node is one entity (or, with SubgraphOptions.Reified, one record).
type Node struct {
	// ID is the entity's short id, such as "person/cao-lubao".
	ID string `json:"id"`
	Element
}

// Edge links two nodes of a Subgraph.
type Edge struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Target string `json:"target"`
	Element
}

// Element is what nodes and edges both carry.
type Element struct {
	// Label reads the element for people: "Cao Lubao", "appointed to".
	Label string `json:"label"`
	// Type is a node's class ("Person", "Place", "Policy"…), the predicate
	// of a direct link ("containedIn") or the class of the record an edge is
	// drawn from ("Appointment").
	Type string `json:"type"`
	// Attrs are the other properties by predicate ("placeKind", "toPost",
	// "amount"); several values are joined with "; ". Links to what the
	// subgraph does not draw read as the names they point at.
	Attrs   map[string]string `json:"attrs"`
	Sources []SourceRef       `json:"sources"`
	// Start and End date a policy, an event or a record, and the links of a
	// dated node, as the vocabulary writes dates (YYYY, YYYY-MM or
	// YYYY-MM-DD); End is set only for a range. Both are empty when undated.
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// projection says how a record class is drawn: as edges between the
// entities it names. Those entities are one step from each other.
type projection struct {
	class schema.Class
	edges []projectedEdge
}

// projectedEdge draws one edge from the entity a record names by from to
// the one it names by to.
type projectedEdge struct {
	from, to quad.IRI
	label    string // empty: the record's own summary (an observation's figure)
}

// projections list the records drawn as edges. An appointment reads as a
// path origin → person → destination, so a timeline shows who moved where.
var projections = []projection{
	{schema.Appointment, []projectedEdge{{schema.FromPlace, schema.PersonOf, "from"}, {schema.PersonOf, schema.ToPlace, "appointed to"}}},
	{schema.Relocation, []projectedEdge{{schema.FromPlace, schema.PersonOf, "from"}, {schema.PersonOf, schema.ToPlace, "moved to"}, {schema.PersonOf, schema.Employer, "works at"}}},
	{schema.Investment, []projectedEdge{{schema.Investor, schema.EventPlace, "invests in"}}},
	{schema.Observation, []projectedEdge{{schema.About, schema.IndicatorOf, ""}}},
}

// edgeLabels read predicates whose plain words ("affiliation") read badly
// on an edge; the others are their names split into words.
var edgeLabels = map[quad.IRI]string{
	schema.Affiliation:  "member of",
	schema.OrgOfPost:    "belongs to",
	schema.PostPlace:    "post in",
	schema.Issuer:       "issued by",
	schema.Beneficiary:  "benefits",
	schema.EventPlace:   "held in",
	schema.Spokesperson: "spokesperson",
}

// SubgraphTypes lists the class names SubgraphOptions.Types accepts.
func SubgraphTypes() []string {
	var out []string
	for _, c := range schema.Classes {
		if !isCitation(c.Class) {
			out = append(out, strings.ToLower(c.Class.Short()))
		}
	}
	return out
}

// Subgraph selects the entities within opt.Depth steps of the centers (or
// the whole graph), the links between them and the records that join them.
func (g *Graph) Subgraph(ctx context.Context, opt SubgraphOptions) (*Subgraph, Notes, error) {
	if err := opt.check(); err != nil {
		return nil, nil, err
	}
	keep, keepRecords, err := parseTypes(opt.Types)
	if err != nil {
		return nil, nil, err
	}
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	b := &subgraphBuilder{r: r, opt: opt, keep: keep, keepRecords: keepRecords, nodes: map[quad.IRI]bool{}, records: map[quad.IRI]*projection{}}
	if len(opt.Centers) == 0 {
		err = b.everything()
	} else {
		var centers []quad.IRI
		if centers, err = g.centers(r, &notes, opt.Centers); err == nil {
			err = b.walk(centers)
		}
	}
	if err != nil {
		return nil, notes, err
	}
	if err := b.joinRecords(); err != nil {
		return nil, notes, err
	}
	sg, err := b.build()
	if err != nil {
		return nil, notes, err
	}
	notes.noteEmpty(len(sg.Nodes), "entities")
	return answer(r, sg, notes)
}

func (o SubgraphOptions) check() error {
	if o.Depth < 0 {
		return fail.Errorf(fail.Invalid, "depth must not be negative, got %d", o.Depth)
	}
	return o.DateRange.check()
}

// parseTypes splits type names into entity classes and record classes; a
// nil set keeps every class.
func parseTypes(names []string) (keep, keepRecords map[schema.Class]bool, err error) {
	byName := map[string]schema.Class{}
	for _, c := range schema.Classes {
		if !isCitation(c.Class) {
			byName[strings.ToLower(c.Class.Short())] = c.Class
		}
	}
	for _, n := range names {
		c, ok := byName[strings.ToLower(strings.TrimSpace(n))]
		if !ok {
			return nil, nil, fail.Errorf(fail.Invalid, "unknown type %q: expected one of %s", n, strings.Join(SubgraphTypes(), ", "))
		}
		set := &keep
		if projectionOf(c) != nil {
			set = &keepRecords
		}
		if *set == nil {
			*set = map[schema.Class]bool{}
		}
		(*set)[c] = true
	}
	return keep, keepRecords, nil
}

func projectionOf(c schema.Class) *projection {
	for i := range projections {
		if projections[i].class == c {
			return &projections[i]
		}
	}
	return nil
}

// centers resolves the center names: a place brings every place inside it,
// a record the entities it names.
func (g *Graph) centers(r *reader, notes *Notes, names []string) ([]quad.IRI, error) {
	var out iriSet
	for _, name := range names {
		node, err := g.resolveArg(r, notes, name)
		if err != nil {
			return nil, err
		}
		p, err := r.out(node)
		if err != nil {
			return nil, err
		}
		switch {
		case p.has(schema.Source):
			return nil, fail.Errorf(fail.Invalid, "%s is a source, not an entity: sources are cited on every node and edge", schema.ShortID(node))
		case p.has(schema.Place):
			t, err := g.places(r)
			if err != nil {
				return nil, err
			}
			for place := range t.Within(node).all() {
				out.add(place)
			}
		case recordProjection(p) != nil:
			out.add(members(p, recordProjection(p))...)
		default:
			out.add(node)
		}
	}
	return out.list, nil
}

// subgraphBuilder gathers the entities and records of one subgraph.
type subgraphBuilder struct {
	r                 *reader
	opt               SubgraphOptions
	keep, keepRecords map[schema.Class]bool
	nodes             map[quad.IRI]bool        // entities in the subgraph
	records           map[quad.IRI]*projection // records joining them
}

// primaryClass is a node's first class in vocabulary order, so that a node
// of two classes reads the same on every backend.
func primaryClass(p props) schema.Class {
	for _, c := range schema.Classes {
		if p.has(c.Class) {
			return c.Class
		}
	}
	types := p.refs(schema.Type)
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
	if len(types) > 0 {
		return schema.Class(types[0])
	}
	return ""
}

// recordProjection is how a record is drawn, or nil for anything else.
func recordProjection(p props) *projection {
	return projectionOf(primaryClass(p))
}

// members are the entities a record joins, sorted.
func members(p props, proj *projection) []quad.IRI {
	var out []quad.IRI
	for _, e := range proj.edges {
		out = appendNew(out, p.refs(e.from)...)
		out = appendNew(out, p.refs(e.to)...)
	}
	sortIRIs(out)
	return out
}

// isEntity reports whether node is an entity that the filters keep.
func (b *subgraphBuilder) isEntity(node quad.IRI) (bool, error) {
	p, err := b.r.out(node)
	if err != nil {
		return false, err
	}
	c := primaryClass(p)
	if c == "" || isCitation(c) || projectionOf(c) != nil || (b.keep != nil && !b.keep[c]) {
		return false, nil
	}
	if _, dated := p[schema.DatePrec]; dated {
		w := whenOf(p)
		return b.opt.matches(w.Start, w.End), nil
	}
	return true, nil
}

// isRecord returns how node is drawn when it is a record the filters keep.
func (b *subgraphBuilder) isRecord(node quad.IRI) (*projection, props, error) {
	p, err := b.r.out(node)
	if err != nil {
		return nil, nil, err
	}
	proj := recordProjection(p)
	if proj == nil || (b.keepRecords != nil && !b.keepRecords[proj.class]) {
		return nil, p, nil
	}
	start, end := recordDates(p, proj)
	if !b.opt.matches(start, end) {
		return nil, p, nil
	}
	return proj, p, nil
}

// recordDates dates a record; an observation by its period.
func recordDates(p props, proj *projection) (start, end string) {
	if proj.class == schema.Observation {
		return periodKey(p.str(schema.Period)), ""
	}
	w := whenOf(p)
	return w.Start, w.End
}

// everything takes every entity the filters keep.
func (b *subgraphBuilder) everything() error {
	var typed []quad.IRI
	err := b.r.quads(schema.Type, quad.Predicate, func(q quad.Quad) {
		if iri, ok := q.Subject.(quad.IRI); ok {
			typed = append(typed, iri)
		}
	})
	if err != nil {
		return err
	}
	for _, n := range typed {
		ok, err := b.isEntity(n)
		if err != nil {
			return err
		}
		if ok {
			b.nodes[n] = true
		}
	}
	return nil
}

// walk takes the centers and everything within opt.Depth steps of them.
func (b *subgraphBuilder) walk(centers []quad.IRI) error {
	frontier := centers
	for _, c := range centers {
		b.nodes[c] = true
	}
	for d := 0; d < b.opt.Depth && len(frontier) > 0; d++ {
		var next []quad.IRI
		for _, n := range frontier {
			ns, err := b.neighbours(n)
			if err != nil {
				return err
			}
			for _, x := range ns {
				if !b.nodes[x] {
					b.nodes[x] = true
					next = append(next, x)
				}
			}
		}
		frontier = next
	}
	return nil
}

// neighbours are the kept entities one step from node: linked to it either
// way, or named with it by a kept record.
func (b *subgraphBuilder) neighbours(node quad.IRI) ([]quad.IRI, error) {
	var candidates []quad.IRI
	p, err := b.r.out(node)
	if err != nil {
		return nil, err
	}
	for pred, es := range p {
		if pred == schema.Type {
			continue
		}
		for _, e := range es {
			if iri, ok := e.node.(quad.IRI); ok {
				candidates = append(candidates, iri)
			}
		}
	}
	in, err := b.r.in(node, "")
	if err != nil {
		return nil, err
	}
	for _, e := range in {
		sub, ok := e.node.(quad.IRI)
		if !ok {
			continue
		}
		proj, rp, err := b.isRecord(sub)
		if err != nil {
			return nil, err
		}
		if proj == nil {
			candidates = append(candidates, sub)
		} else if m := members(rp, proj); slices.Contains(m, node) {
			candidates = append(candidates, m...)
		}
	}
	var out []quad.IRI
	seen := map[quad.IRI]bool{node: true} // a hub has thousands of neighbours
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		ok, err := b.isEntity(c)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// joinRecords takes the kept records that draw at least one edge between
// entities of the subgraph.
func (b *subgraphBuilder) joinRecords() error {
	for n := range b.nodes {
		in, err := b.r.in(n, "")
		if err != nil {
			return err
		}
		for _, e := range in {
			sub, ok := e.node.(quad.IRI)
			if !ok || b.records[sub] != nil {
				continue
			}
			proj, p, err := b.isRecord(sub)
			if err != nil {
				return err
			}
			if proj != nil && len(b.projectedEnds(p, proj)) > 0 {
				b.records[sub] = proj
			}
		}
	}
	return nil
}

// ends are the two nodes of one projected edge.
type ends struct {
	from, to quad.IRI
	spec     projectedEdge
}

// projectedEnds lists the edges a record draws inside the subgraph.
func (b *subgraphBuilder) projectedEnds(p props, proj *projection) []ends {
	var out []ends
	for _, spec := range proj.edges {
		for _, from := range p.refs(spec.from) {
			for _, to := range p.refs(spec.to) {
				if b.nodes[from] && b.nodes[to] && from != to {
					out = append(out, ends{from, to, spec})
				}
			}
		}
	}
	return out
}

// build turns the gathered entities and records into nodes, edges and the
// quads behind them.
func (b *subgraphBuilder) build() (*Subgraph, error) {
	sg := &Subgraph{Nodes: []Node{}, Edges: []Edge{}}
	drawn := func(iri quad.IRI) bool { return b.nodes[iri] || (b.opt.Reified && b.records[iri] != nil) }
	for _, n := range sortedIRIs(b.nodes) {
		p, err := b.r.out(n)
		if err != nil {
			return nil, err
		}
		node := b.node(n, p, drawn)
		if _, dated := p[schema.DatePrec]; dated {
			w := whenOf(p)
			node.Start, node.End = w.Start, w.End
		}
		sg.Nodes = append(sg.Nodes, node)
		sg.Edges = b.appendLinks(sg.Edges, n, p, node.Start, node.End, drawn)
	}
	for _, rec := range slices.Sorted(maps.Keys(b.records)) {
		proj := b.records[rec]
		p, err := b.r.out(rec)
		if err != nil {
			return nil, err
		}
		start, end := recordDates(p, proj)
		if b.opt.Reified {
			node := b.node(rec, p, drawn)
			if e, ok := b.r.entry(rec, p); ok && p.str(schema.Name) == "" {
				node.Label = e.Summary
			}
			node.Start, node.End = start, end
			sg.Nodes = append(sg.Nodes, node)
			sg.Edges = b.appendLinks(sg.Edges, rec, p, start, end, drawn)
			continue
		}
		sg.Edges = b.appendProjected(sg.Edges, rec, p, proj, start, end)
	}
	// Stable, over nodes and records taken in id order: should two edges
	// share an id, they still come out in one order.
	sort.Slice(sg.Nodes, func(i, j int) bool { return sg.Nodes[i].ID < sg.Nodes[j].ID })
	sort.SliceStable(sg.Edges, func(i, j int) bool { return sg.Edges[i].ID < sg.Edges[j].ID })
	sg.Edges = mergeParallel(sg.Edges)
	var err error
	sg.quads, err = b.quads()
	return sg, err
}

// mergeParallel folds edges that say the same thing between the same nodes
// (one figure reported by two sources) into the first of them, citing every
// source, so that a picture shows it once. Edges are sorted by id.
func mergeParallel(edges []Edge) []Edge {
	type key struct{ source, target, label, typ, start, end string }
	first := map[key]int{}
	out := edges[:0]
	for _, e := range edges {
		k := key{e.Source, e.Target, e.Label, e.Type, e.Start, e.End}
		if i, seen := first[k]; seen {
			out[i].Sources = mergeSources(out[i].Sources, e.Sources)
			continue
		}
		first[k] = len(out)
		out = append(out, e)
	}
	return out
}

// node describes one node; properties linking to drawn nodes become edges,
// the others attributes.
func (b *subgraphBuilder) node(n quad.IRI, p props, drawn func(quad.IRI) bool) Node {
	sources := b.r.citations(p.labels())
	return Node{ID: schema.ShortID(n), Element: Element{
		Label:   b.r.name(n),
		Type:    primaryClass(p).Short(),
		Attrs:   withInferred(b.attrs(p, func(pred, obj quad.IRI) bool { return pred == schema.Type || drawn(obj) }, schema.Name), sources),
		Sources: sources,
	}}
}

// withInferred adds to an element's attributes how the facts behind it
// that no source states were inferred, and from which source: the
// "inferred" attribute, which an export shows beside "sources".
func withInferred(attrs map[string]string, sources []SourceRef) map[string]string {
	if text := inferredText(sources); text != "" {
		attrs["inferred"] = text
	}
	return attrs
}

// attrs renders properties as text by predicate: literals as they are,
// links by the names of what they point at. Literals of the skipped
// predicates and links for which skipLink is true are left out.
func (b *subgraphBuilder) attrs(p props, skipLink func(pred, obj quad.IRI) bool, skip ...quad.IRI) map[string]string {
	out := map[string]string{}
	for pred, es := range p {
		if slices.Contains(skip, pred) {
			continue
		}
		var values []string
		for _, e := range es {
			var v string
			if iri, ok := e.node.(quad.IRI); ok {
				if skipLink(pred, iri) {
					continue
				}
				v = b.r.name(iri)
			} else {
				v, _ = schema.Literal(e.node)
			}
			if !slices.Contains(values, v) {
				values = append(values, v)
			}
		}
		if len(values) > 0 {
			sort.Strings(values)
			out[schema.Short(pred)] = strings.Join(values, "; ")
		}
	}
	return out
}

// appendLinks adds an edge for each link from n to a drawn node, merging
// the sources of quads that say the same thing.
func (b *subgraphBuilder) appendLinks(edges []Edge, n quad.IRI, p props, start, end string, drawn func(quad.IRI) bool) []Edge {
	for pred, es := range p {
		if pred == schema.Type {
			continue
		}
		var targets []quad.IRI
		for _, e := range es {
			if iri, ok := e.node.(quad.IRI); ok && drawn(iri) && iri != n {
				targets = appendNew(targets, iri)
			}
		}
		for _, t := range targets {
			var labels []quad.IRI
			for _, e := range es {
				if l, ok := e.label.(quad.IRI); ok && e.node == t && !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
			sortIRIs(labels)
			from, to := schema.ShortID(n), schema.ShortID(t)
			sources := b.r.citations(labels)
			edges = append(edges, Edge{ID: from + " " + schema.Short(pred) + " " + to, Source: from, Target: to, Element: Element{
				Label: predicateLabel(pred), Type: schema.Short(pred), Attrs: withInferred(map[string]string{}, sources),
				Sources: sources, Start: start, End: end,
			}})
		}
	}
	return edges
}

// appendProjected adds the edges a record is drawn as, each carrying the
// record's properties except its two ends.
func (b *subgraphBuilder) appendProjected(edges []Edge, rec quad.IRI, p props, proj *projection, start, end string) []Edge {
	sources := b.r.citations(p.labels())
	for _, e := range b.projectedEnds(p, proj) {
		label := e.spec.label
		if label == "" {
			label = figureLabel(p)
		}
		attrs := b.attrs(p, func(pred, _ quad.IRI) bool {
			return pred == schema.Type || pred == e.spec.from || pred == e.spec.to
		})
		attrs["record"] = schema.ShortID(rec)
		withInferred(attrs, sources)
		from, to := schema.ShortID(e.from), schema.ShortID(e.to)
		edges = append(edges, Edge{ID: schema.ShortID(rec) + " " + from + " " + to, Source: from, Target: to, Element: Element{
			Label: label, Type: proj.class.Short(), Attrs: attrs, Sources: sources, Start: start, End: end,
		}})
	}
	return edges
}

// figureLabel reads an observation as "6.3 percent, 2023", or "more than
// 3000000000000 yuan, 2023" for a bound.
func figureLabel(p props) string {
	value := figureText(p.str(schema.Value), p.str(schema.Bound), p.str(schema.Approximate) == "true", false)
	if value == "" {
		value = p.str(schema.ValueText)
	}
	return strings.TrimSpace(value+" "+p.str(schema.Unit)) + ", " + p.str(schema.Period)
}

// isCitation says a class is what facts are cited with, a source or an
// inference, rather than an entity to draw.
func isCitation(c schema.Class) bool {
	return c == schema.Source || c == schema.Inference
}

// predicateLabel reads a predicate on an edge: "containedIn" as "contained in".
func predicateLabel(pred quad.IRI) string {
	if l, ok := edgeLabels[pred]; ok {
		return l
	}
	return predicateWords(pred)
}

// predicateWords splits a predicate's name into words: "containedIn" as
// "contained in".
func predicateWords(pred quad.IRI) string {
	var b strings.Builder
	for i, c := range schema.Short(pred) {
		if unicode.IsUpper(c) && i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// quads returns the facts behind the subgraph, sorted: every quad about its
// entities and records, the names of what those point at (shown as
// attributes), and the description of every source they cite.
func (b *subgraphBuilder) quads() ([]quad.Quad, error) {
	var out []quad.Quad
	refs := map[quad.IRI]bool{}
	labels := map[quad.IRI]bool{}
	// add collects the quads of subjects, or only their names.
	add := func(subjects map[quad.IRI]bool, namesOnly bool) error {
		for _, n := range sortedIRIs(subjects) {
			err := b.r.quads(n, quad.Subject, func(q quad.Quad) {
				if namesOnly && q.Predicate != schema.Name {
					return
				}
				out = append(out, schema.FullTypes(q))
				if l, ok := q.Label.(quad.IRI); ok {
					labels[l] = true
				}
				if o, ok := q.Object.(quad.IRI); ok && q.Predicate != schema.Type {
					refs[o] = true
				}
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	entities := map[quad.IRI]bool{}
	for n := range b.nodes {
		entities[n] = true
	}
	for rec := range b.records {
		entities[rec] = true
	}
	if err := add(entities, false); err != nil {
		return nil, err
	}
	pointed := refs
	refs = map[quad.IRI]bool{} // what names and sources point at is not drawn
	if err := add(pointed, true); err != nil {
		return nil, err
	}
	// The sources and inferences cited, and the sources the inferences
	// are drawn from, which label the inferences' own quads.
	for walked := map[quad.IRI]bool{}; ; {
		next := map[quad.IRI]bool{}
		for l := range labels {
			if !walked[l] {
				next[l], walked[l] = true, true
			}
		}
		if len(next) == 0 {
			break
		}
		if err := add(next, false); err != nil {
			return nil, err
		}
	}
	return sortQuads(out), nil
}

// WriteQuads writes the facts behind the subgraph (every quad about its
// entities and records, and the description of every source they cite) in
// one of DumpFormats, in the order Dump uses. Loading the output into an
// empty store gives back exactly these quads.
func (sg *Subgraph) WriteQuads(w io.Writer, format string) error {
	_, err := schema.WriteQuads(w, format, sg.quads)
	return err
}

// sortQuads orders quads as Dump does, by label and then by their N-Quads
// text, and drops repeats (an entity's name collected twice).
func sortQuads(quads []quad.Quad) []quad.Quad {
	keys := make([]string, len(quads))
	for i, q := range quads {
		if q.Label != nil {
			keys[i] = q.Label.String()
		}
		keys[i] += "\x00" + q.NQuad()
	}
	sort.Sort(byKey{quads, keys})
	out := quads[:0]
	for i, q := range quads {
		if i == 0 || keys[i] != keys[i-1] {
			out = append(out, q)
		}
	}
	return out
}

// byKey sorts quads by their N-Quads text, computed once.
type byKey struct {
	quads []quad.Quad
	keys  []string
}

func (s byKey) Len() int           { return len(s.quads) }
func (s byKey) Less(i, j int) bool { return s.keys[i] < s.keys[j] }
func (s byKey) Swap(i, j int) {
	s.quads[i], s.quads[j] = s.quads[j], s.quads[i]
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
}

func sortedIRIs(set map[quad.IRI]bool) []quad.IRI {
	out := make([]quad.IRI, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sortIRIs(out)
	return out
}

func sortIRIs(list []quad.IRI) {
	sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
}
