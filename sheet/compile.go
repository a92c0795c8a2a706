package sheet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"go.yaml.in/yaml/v3"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
)

// Result is one compiled sheet: the quads it says and what adding them
// does to the store.
type Result struct {
	File   string
	Source quad.IRI
	// Labels are the sheet's source and the inferences drawn from it, those
	// in the store and those in the sheet: adding the sheet replaces every
	// quad they label with Quads.
	Labels []quad.IRI
	// Quads are the sheet's facts, each labelled with its source or with an
	// inference from it.
	Quads  []quad.Quad
	Report Report

	ids      map[*yaml.Node]quad.IRI // the id of each entry, by its mapping
	resolved map[*yaml.Node]quad.IRI // the entity each reference names
}

// Report says what adding a sheet does to the store.
type Report struct {
	File   string       `json:"file"`
	Source graph.Entity `json:"source"`
	// Replaces says the store holds an earlier version of the source.
	Replaces bool `json:"replaces"`
	// New are the entities the sheet adds; Linked, those of the store its
	// names link to, with the name the sheet gives them.
	New     []graph.Entity `json:"new"`
	Linked  []Link         `json:"linked"`
	Records []Count        `json:"records"`
	// Added, Removed and Unchanged count the source's quads.
	Added     int `json:"added"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
}

// Link is a name of the sheet that names an entity of the store.
type Link struct {
	Name string `json:"name"`
	graph.Entity
}

// Count is how many records of one section a sheet holds.
type Count struct {
	Section string `json:"section"`
	N       int    `json:"n"`
}

// Compile turns sheets into quads, one result per sheet, in order. Each
// sheet's names resolve, through graph's resolver, against the sheet
// itself and against base (the store, or nil for none) as it will be once
// the sheets before it are added and the sheet's own source's earlier
// quads are gone. Problems are every mistake of every sheet, each at its
// line and column; with any, the results must not be written. The error is
// for a store that cannot be read.
func Compile(ctx context.Context, base graph.Storage, sheets []*Sheet) ([]*Result, schema.Problems, error) {
	c := &compiler{ctx: ctx, base: base, done: newQuadIndex(), taken: map[quad.IRI]bool{}, sources: map[quad.IRI]string{}}
	var results []*Result
	var problems schema.Problems
	for _, sh := range sheets {
		res, ps, err := c.compile(sh)
		if err != nil {
			return nil, nil, fmt.Errorf("compile %s: %w", sh.File, err)
		}
		results = append(results, res)
		problems = append(problems, ps...)
	}
	return results, problems, nil
}

// compiler is the state of one run of Compile.
type compiler struct {
	ctx     context.Context
	base    graph.Storage
	done    *quadIndex          // the quads of the sheets compiled so far
	taken   map[quad.IRI]bool   // ids handed out in this run
	sources map[quad.IRI]string // the file of each source compiled so far
}

// sheetCompiler is the state of one sheet's compilation.
type sheetCompiler struct {
	*compiler
	sh       *Sheet
	source   quad.IRI
	view     *view
	g        *graph.Graph
	ids      map[*entry]quad.IRI
	declared map[quad.IRI]*entry
	implicit map[string]quad.IRI       // entities made for new names, by class and name
	names    map[quad.IRI]string       // the name the sheet gives each entity it names
	made     map[quad.IRI]schema.Class // entities made for names that fit nothing

	out        []quad.Quad
	pos        []schema.Pos
	emitted    map[*entry]map[quad.IRI]bool // the predicates each entry wrote
	failed     map[*entry]map[string]bool   // keys already reported
	inferences map[string]quad.IRI
	resolved   map[*yaml.Node]quad.IRI
	problems   schema.Problems
	err        error
}

func (c *compiler) compile(sh *Sheet) (*Result, schema.Problems, error) {
	sc := &sheetCompiler{
		compiler: c, sh: sh,
		ids: map[*entry]quad.IRI{}, declared: map[quad.IRI]*entry{}, implicit: map[string]quad.IRI{}, names: map[quad.IRI]string{}, made: map[quad.IRI]schema.Class{},
		emitted: map[*entry]map[quad.IRI]bool{}, failed: map[*entry]map[string]bool{},
		inferences: map[string]quad.IRI{}, resolved: map[*yaml.Node]quad.IRI{},
	}
	if sh.source == nil {
		return &Result{File: sh.File}, nil, nil // Parse reported it
	}
	sc.sourceID()
	owned, err := c.ownedLabels(sc.source)
	if err != nil {
		return nil, nil, err
	}
	hidden := map[quad.Value]bool{}
	for _, l := range owned {
		hidden[l] = true
	}
	sc.view = &view{base: c.base, hidden: hidden, layers: []*quadIndex{c.done}}
	sc.g = graph.New(sc.view)

	sc.reserveIDs()
	for _, sec := range sections {
		if sec.slug == nil {
			for _, e := range sh.entries[sec] {
				sc.declare(e)
			}
		}
	}
	sc.view.add(sc.identities())
	sc.emitEntry(sh.source)
	for _, sec := range sections {
		for _, e := range sh.entries[sec] {
			sc.emitEntry(e)
		}
	}
	if sc.err != nil {
		return nil, nil, sc.err
	}
	if len(sc.problems) == 0 && !sh.malformed {
		sc.validate()
	}
	sort.SliceStable(sc.problems, func(i, j int) bool {
		a, b := sc.problems[i].Pos, sc.problems[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	res := &Result{File: sh.File, Source: sc.source, Quads: sc.out, ids: map[*yaml.Node]quad.IRI{}, resolved: sc.resolved}
	for e, id := range sc.ids {
		res.ids[e.node] = id
	}
	res.Labels = append(res.Labels, owned...)
	for _, l := range sc.inferences {
		if !slices.Contains(res.Labels, l) {
			res.Labels = append(res.Labels, l)
		}
	}
	slices.Sort(res.Labels)
	if res.Report, err = sc.report(owned); err != nil {
		return nil, nil, err
	}
	for _, q := range sc.out {
		c.done.add(q)
	}
	c.sources[sc.source] = sh.File
	return res, sc.problems, nil
}

// ownedLabels are a source and the inferences the store draws from it.
func (c *compiler) ownedLabels(source quad.IRI) ([]quad.IRI, error) {
	labels := []quad.IRI{source}
	if c.base == nil {
		return labels, nil
	}
	infs, err := c.base.Linked(c.ctx, source, schema.InferredFrom, quad.Object, quad.Subject)
	if err != nil {
		return nil, err
	}
	for _, v := range infs {
		if iri, ok := v.(quad.IRI); ok && !slices.Contains(labels, iri) {
			labels = append(labels, iri)
		}
	}
	return labels, nil
}

func (sc *sheetCompiler) addf(n *yaml.Node, format string, args ...any) {
	sc.problems = append(sc.problems, problemAt(sc.sh.File, n, format, args...))
}

// fail keeps the first error reading the store; compilation ends with it.
func (sc *sheetCompiler) fail(err error) {
	if sc.err == nil {
		sc.err = err
	}
}

// sourceID finds the source's id: the one the sheet gives, else the slug of
// its title.
func (sc *sheetCompiler) sourceID() {
	e := sc.sh.source
	title := strings.TrimSpace(e.value(sourceSection.name))
	switch id := e.value(idKey); {
	case id != "":
		sc.source = sc.normID(e.vals[idKey], id, sourceSection.idBase)
	case title != "":
		sc.source = schema.ID(sourceSection.idBase + slug(title))
		sc.sameArticle(e, title)
	default:
		sc.addf(e.node, "the source has neither title nor id: give it an id (id: source/…), since there is no title to make one from")
		sc.source = schema.ID(sourceSection.idBase + slug(sc.sh.File))
	}
	sc.ids[e] = sc.source
	if file, ok := sc.sources[sc.source]; ok {
		sc.addf(e.node, "%s is also the source of %s: one sheet per source", schema.ShortID(sc.source), file)
	}
}

// sameArticle refuses a title-made id that the store gives another article
// (same title, another publisher or date): adding would replace it.
func (sc *sheetCompiler) sameArticle(e *entry, title string) {
	if sc.base == nil {
		return
	}
	theirs := map[quad.IRI]string{}
	err := sc.base.Quads(sc.ctx, sc.source, quad.Subject, func(q quad.Quad) {
		if p, _ := q.Predicate.(quad.IRI); q.Label == sc.source && (p == schema.Publisher || p == schema.DatePublished) {
			theirs[p], _ = schema.Literal(q.Object)
		}
	})
	if err != nil {
		sc.fail(err)
		return
	}
	ours := map[quad.IRI]string{schema.Publisher: e.value("publisher"), schema.DatePublished: e.value("date")}
	for p, v := range theirs {
		if ours[p] != "" && ours[p] != v {
			sc.addf(e.node, "%s is already the article %q (%s %s): to replace it, write id: %s; for another article, give this one an id of its own",
				schema.ShortID(sc.source), title, theirs[schema.Publisher], theirs[schema.DatePublished], schema.ShortID(sc.source))
			return
		}
	}
}

// normID reads an id as a sheet writes it (see idIRI), reporting one that
// no IRI can hold.
func (sc *sheetCompiler) normID(n *yaml.Node, id, base string) quad.IRI {
	if strings.ContainsAny(strings.TrimSpace(id), " \t\n<>\"{}|\\^`") {
		sc.addf(n, "%q is not an id: an id is letters, digits, hyphens and slashes, such as place/jilin-city", id)
	}
	return idIRI(id, base)
}

// idIRI is the IRI of an id as a sheet writes it: place/jilin-city, or its
// last part under a section that says the rest (jilin-city among places).
func idIRI(id, base string) quad.IRI {
	id = strings.TrimSpace(id)
	if !strings.Contains(id, "/") {
		id = base + id
	}
	return schema.ID(id)
}

// reserveIDs sets the ids a sheet gives aside before new ones are made, so
// that a new entity's id never takes one a later entry names.
func (sc *sheetCompiler) reserveIDs() {
	for _, sec := range sections {
		for _, e := range sc.sh.entries[sec] {
			if id := e.value(idKey); id != "" {
				sc.taken[idIRI(id, sec.idBase)] = true
			}
		}
	}
}

// declare finds the id of an entity or named record the sheet lists: the
// one it gives, the one entity of the store its name (and a place's kind)
// fits, or a new one.
func (sc *sheetCompiler) declare(e *entry) {
	sec := e.sec
	name := strings.TrimSpace(e.value(sec.name))
	if name == "" {
		sc.addf(e.node, "%s needs a %s", sec.aLabel(), sec.name)
		sc.markFailed(e, sec.name)
		return
	}
	if id := e.value(idKey); id != "" {
		iri := sc.normID(e.vals[idKey], id, sec.idBase)
		if classes := sc.classesOf(iri); len(classes) > 0 && !slices.Contains(classes, sec.class) {
			sc.addf(e.vals[idKey], "%s is a %s, not a %s", schema.ShortID(iri), classNames(classes), sec.label())
		}
		sc.assign(e, iri, name)
		return
	}
	ents := sc.matches(name, sec.class)
	if kind := e.value("kind"); sec.class == schema.Place && kind != "" {
		ents = sc.ofKind(ents, kind)
	}
	switch len(ents) {
	case 0:
		sc.assign(e, sc.newID(sec.idBase+slug(name)), name)
	case 1:
		sc.assign(e, schema.ID(ents[0].ID), name)
	default:
		sc.addf(e.vals[sec.name], "%s %q fits %s; give the id of the one meant (id: %s), or a new id for another one",
			sec.label(), name, sc.describe(ents), ents[0].ID)
		sc.markFailed(e, sec.name)
	}
}

func (sc *sheetCompiler) assign(e *entry, iri quad.IRI, name string) {
	if first, ok := sc.declared[iri]; ok {
		sc.addf(e.node, "%s is listed twice: here and at line %d", schema.ShortID(iri), first.node.Line)
		sc.markFailed(e, e.sec.name)
		return
	}
	sc.declared[iri] = e
	sc.ids[e] = iri
	sc.taken[iri] = true
	sc.names[iri] = name
}

// identities are the quads that make the sheet's entities findable by
// name while its references resolve: class, name, aliases, a place's kind.
func (sc *sheetCompiler) identities() *quadIndex {
	x := newQuadIndex()
	for iri, e := range sc.declared {
		x.add(quad.Quad{Subject: iri, Predicate: schema.Type, Object: e.sec.class.IRI(), Label: sc.source})
		x.add(quad.Quad{Subject: iri, Predicate: schema.Name, Object: quad.String(sc.names[iri]), Label: sc.source})
		for _, n := range items(e.vals[aliases.key]) {
			x.add(quad.Quad{Subject: iri, Predicate: schema.AlternateName, Object: quad.String(n.Value), Label: sc.source})
		}
		if kind := e.value("kind"); e.sec.class == schema.Place && kind != "" {
			x.add(quad.Quad{Subject: iri, Predicate: schema.PlaceKind, Object: quad.String(kind), Label: sc.source})
		}
	}
	return x
}

// value is one quad an entry's key gives: its predicate and object, where
// it was written and the label it carries.
type value struct {
	pred  quad.IRI
	obj   quad.Value
	node  *yaml.Node
	label quad.IRI
}

// emitEntry writes the quads of one entry.
func (sc *sheetCompiler) emitEntry(e *entry) {
	sec := e.sec
	label := sc.source
	if reason := e.value(inferredKey); reason != "" {
		label = sc.inference(reason, e.vals[inferredKey])
	}
	vals := map[string][]value{}
	var posts []field
	for _, f := range sec.fields {
		if f.kind == ref && f.classes[0] == schema.Post {
			posts = append(posts, f) // after the places they sit in
			continue
		}
		vals[f.key] = sc.values(e, f, label)
	}
	for _, f := range posts {
		vals[f.key] = sc.postValues(e, f, label, vals[strings.Replace(f.key, "post", "place", 1)])
	}
	subject, ok := sc.ids[e]
	if sec.slug != nil {
		subject, ok = sc.recordID(e, vals), true
		sc.ids[e] = subject
	}
	if !ok {
		return // declare reported why
	}
	sc.emit(e, subject, schema.Type, sec.class.IRI(), e.node, label)
	if name := strings.TrimSpace(e.value(sec.name)); name != "" {
		sc.emit(e, subject, schema.Name, quad.String(name), e.vals[sec.name], label)
	}
	for _, f := range sec.fields {
		for _, v := range vals[f.key] {
			sc.emit(e, subject, v.pred, v.obj, v.node, v.label)
		}
	}
	sc.checkRules(e)
}

// emit writes a quad of entry e.
func (sc *sheetCompiler) emit(e *entry, s, p quad.IRI, o quad.Value, n *yaml.Node, label quad.IRI) {
	sc.add(quad.Quad{Subject: s, Predicate: p, Object: o, Label: label}, n)
	if sc.emitted[e] == nil {
		sc.emitted[e] = map[quad.IRI]bool{}
	}
	sc.emitted[e][p] = true
}

// add writes a quad read at n.
func (sc *sheetCompiler) add(q quad.Quad, n *yaml.Node) {
	sc.out = append(sc.out, q)
	sc.pos = append(sc.pos, posOf(sc.sh.File, n))
}

// reported says a key of an entry has had its problem reported, here or
// by Parse: what the entry lacks for want of it goes without saying.
func (sc *sheetCompiler) reported(e *entry, key string) bool {
	return sc.failed[e][key] || e.bad[key]
}

func (sc *sheetCompiler) markFailed(e *entry, key string) {
	if sc.failed[e] == nil {
		sc.failed[e] = map[string]bool{}
	}
	sc.failed[e][key] = true
}

// values reads the objects of one key of an entry, checked against what
// its predicate takes.
func (sc *sheetCompiler) values(e *entry, f field, label quad.IRI) []value {
	v := e.vals[f.key]
	if v == nil {
		return nil
	}
	switch f.kind {
	case when:
		d, err := parseWhen(v.Value)
		if err != nil {
			sc.addf(v, "%s: %v", f.key, err)
			sc.markFailed(e, f.key)
			return nil
		}
		return datedValues(v, label, []quad.IRI{schema.Date, schema.DateEnd, schema.DatePrec}, []string{d.date, d.end, d.precision})
	case published:
		if v.Value == undated {
			return datedValues(v, label, []quad.IRI{schema.DatePrec}, []string{schema.PrecisionUnknown})
		}
		prec, ok := schema.PrecisionOf(strings.TrimSpace(v.Value))
		if !ok {
			sc.addf(v, "date: %q is not a date: write the article's date as YYYY-MM-DD (or YYYY-MM, YYYY), or undated", v.Value)
			sc.markFailed(e, f.key)
			return nil
		}
		return datedValues(v, label, []quad.IRI{schema.DatePublished, schema.DatePrec}, []string{strings.TrimSpace(v.Value), prec})
	case tenureBound:
		text := strings.TrimSpace(v.Value)
		prec, ok := schema.PrecisionOf(text)
		if !ok || v.Kind != yaml.ScalarNode {
			sc.addf(v, "%s: %q is not a date: write 2021, 2021-03 or 2021-03-15, as precise as the source, and leave %s out when the source does not give it", f.key, v.Value, f.key)
			sc.markFailed(e, f.key)
			return nil
		}
		return datedValues(v, label, []quad.IRI{f.pred, f.precPred}, []string{text, prec})
	}
	var out []value
	for _, n := range items(v) {
		if f.kind == ref {
			if iri, l, ok := sc.ref(e, f, n, label); ok {
				out = append(out, value{pred: f.pred, obj: iri, node: n, label: l})
			}
			continue
		}
		if f.kind == external {
			if iri, ok := sc.checkExternal(f, n); ok {
				out = append(out, value{pred: f.pred, obj: iri, node: n, label: label})
			} else {
				sc.markFailed(e, f.key)
			}
			continue
		}
		if text, ok := sc.checkLiteral(f, n); ok {
			out = append(out, value{pred: f.pred, obj: quad.String(text), node: n, label: label})
		} else {
			sc.markFailed(e, f.key)
		}
	}
	return out
}

// datedValues are the quads of a date: one key, several predicates.
func datedValues(n *yaml.Node, label quad.IRI, preds []quad.IRI, texts []string) []value {
	var out []value
	for i, p := range preds {
		if texts[i] != "" {
			out = append(out, value{pred: p, obj: quad.String(texts[i]), node: n, label: label})
		}
	}
	return out
}

// checkLiteral holds a value to what its predicate takes.
func (sc *sheetCompiler) checkLiteral(f field, n *yaml.Node) (string, bool) {
	text := strings.TrimSpace(n.Value)
	spec, _ := schema.LookupPredicate(f.pred)
	switch {
	case text == "":
		sc.addf(n, "%s is empty", f.key)
	case spec.Kind == schema.KindNumber && !schema.ValidNumber(text):
		sc.addf(n, "%s: %q is not a plain decimal such as 5.4 or -11000000 (no exponent, no separators)", f.key, text)
	case spec.Kind == schema.KindBool && text != "true" && text != "false":
		sc.addf(n, "%s: %q is neither true nor false", f.key, text)
	case spec.Kind == schema.KindEnum && !slices.Contains(spec.Values, text):
		sc.addf(n, "%s: %q is not one of %s", f.key, text, strings.Join(spec.Values, ", "))
	case spec.Kind == schema.KindDate && !schema.ValidDate(text):
		sc.addf(n, "%s: %q is not a date: write YYYY-MM-DD (or YYYY-MM, YYYY)", f.key, text)
	default:
		return text, true
	}
	return "", false
}

// checkExternal holds a value to what an IRI outside the graph is: an
// http or https address with no spaces, such as
// http://www.wikidata.org/entity/Q123.
func (sc *sheetCompiler) checkExternal(f field, n *yaml.Node) (quad.IRI, bool) {
	text := strings.TrimSpace(n.Value)
	u, err := url.Parse(text)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(text, " \t\n<>\"{}|\\^`") {
		sc.addf(n, "%s: %q is not an address: write the whole IRI, such as http://www.wikidata.org/entity/Q123", f.key, text)
		return "", false
	}
	return quad.IRI(text), true
}

// inference returns the label of the facts inferred for reason, writing
// the inference the first time.
func (sc *sheetCompiler) inference(reason string, n *yaml.Node) quad.IRI {
	reason = strings.TrimSpace(reason)
	if iri, ok := sc.inferences[reason]; ok {
		return iri
	}
	sum := sha256.Sum256([]byte(reason))
	iri := schema.ID("inference/" + tail(sc.source) + "-" + hex.EncodeToString(sum[:4]))
	sc.inferences[reason] = iri
	for _, q := range []quad.Quad{
		{Subject: iri, Predicate: schema.Type, Object: schema.Inference.IRI()},
		{Subject: iri, Predicate: schema.InferredFrom, Object: sc.source},
		{Subject: iri, Predicate: schema.Description, Object: quad.String(reason)},
	} {
		q.Label = sc.source
		sc.add(q, n)
	}
	return iri
}

// recordID is the id of a record: the one the sheet gives, or a new one
// made from what it names.
func (sc *sheetCompiler) recordID(e *entry, vals map[string][]value) quad.IRI {
	if id := e.value(idKey); id != "" {
		return sc.normID(e.vals[idKey], id, e.sec.idBase)
	}
	r := &recordIDs{source: tail(sc.source), refs: map[string]quad.IRI{}, values: map[string]string{}}
	for key, vs := range vals {
		if len(vs) == 0 {
			continue
		}
		switch o := vs[0].obj.(type) {
		case quad.IRI:
			r.refs[key] = o
		case quad.String:
			r.values[key] = string(o)
		}
	}
	if v := e.vals[date.key]; v != nil {
		r.when, _ = parseWhen(v.Value)
	}
	return sc.newID(e.sec.idBase + e.sec.slug(r))
}

// newID hands out base, or base-2, base-3… when it is taken.
func (sc *sheetCompiler) newID(base string) quad.IRI {
	iri := schema.ID(base)
	for n := 2; sc.taken[iri] || len(sc.classesOf(iri)) > 0; n++ {
		iri = schema.ID(fmt.Sprintf("%s-%d", base, n))
	}
	sc.taken[iri] = true
	return iri
}

// classesOf lists the classes the view gives a node; none if it holds no
// such node.
func (sc *sheetCompiler) classesOf(iri quad.IRI) []schema.Class {
	vals, err := sc.view.Linked(sc.ctx, iri, schema.Type, quad.Subject, quad.Object)
	if err != nil {
		sc.fail(err)
		return nil
	}
	var out []schema.Class
	for _, v := range vals {
		if c, ok := v.(quad.IRI); ok && !slices.Contains(out, schema.Class(c)) {
			out = append(out, schema.Class(c))
		}
	}
	return out
}

// kindOf is what a sheet's kind: says of an entity: a place's kind, else
// its class in lower case.
func (sc *sheetCompiler) kindOf(ent graph.Entity) string {
	if ent.Class == schema.Place.Short() {
		vals, err := sc.view.Linked(sc.ctx, schema.ID(ent.ID), schema.PlaceKind, quad.Subject, quad.Object)
		if err != nil {
			sc.fail(err)
		}
		for _, v := range vals {
			if s, ok := schema.Literal(v); ok {
				return s
			}
		}
	}
	return strings.ToLower(ent.Class)
}

func (sc *sheetCompiler) ofKind(ents []graph.Entity, kind string) []graph.Entity {
	var out []graph.Entity
	for _, e := range ents {
		if sc.kindOf(e) == kind {
			out = append(out, e)
		}
	}
	return out
}

// describe lists entities for messages: "2 places: place/jilin (province),
// place/jilin-city (city)".
func (sc *sheetCompiler) describe(ents []graph.Entity) string {
	parts := make([]string, len(ents))
	for i, e := range ents {
		parts[i] = fmt.Sprintf("%s (%s)", e.ID, sc.kindOf(e))
	}
	if len(ents) == 1 {
		return parts[0]
	}
	return fmt.Sprintf("%d entities: %s", len(ents), strings.Join(parts, ", "))
}

// matches is graph's resolver on the view: every entity name fits, of the
// classes given; none when it fits nothing.
func (sc *sheetCompiler) matches(name string, classes ...schema.Class) []graph.Entity {
	ents, err := sc.g.Matches(sc.ctx, name, classes...)
	if fail.CodeOf(err) == fail.NotFound {
		return nil
	}
	if err != nil {
		sc.fail(err)
	}
	return ents
}

// suggestions are the names closest to one that fits nothing.
func (sc *sheetCompiler) suggestions(name string, classes ...schema.Class) []graph.Entity {
	_, err := sc.g.Matches(sc.ctx, name, classes...)
	var fe *fail.Error
	if errors.As(err, &fe) && fe.Code == fail.NotFound {
		return fe.Candidates
	}
	if err != nil {
		sc.fail(err)
	}
	return nil
}

// checkRules holds an entry to what its class needs, naming the keys that
// write it.
func (sc *sheetCompiler) checkRules(e *entry) {
	spec, ok := schema.LookupClass(e.sec.class)
	if !ok {
		return
	}
	has := sc.emitted[e]
	for _, p := range spec.Required {
		key := e.sec.keyOf(p)
		if has[p] || sc.reported(e, key) {
			continue
		}
		hint := ""
		if key == date.key {
			hint = " (write undated if the source gives none)"
		}
		sc.addf(e.node, "%s needs %s%s", e.sec.aLabel(), key, hint)
	}
	sc.checkBoundsInOrder(e)
	if len(spec.OneOf) > 0 {
		var keys []string
		for _, p := range spec.OneOf {
			if has[p] || sc.reported(e, e.sec.keyOf(p)) {
				return
			}
			keys = append(keys, e.sec.keyOf(p))
		}
		sc.addf(e.node, "%s needs %s", e.sec.aLabel(), strings.Join(keys, " or "))
	}
}

// checkBoundsInOrder holds a tenure's end to not before its start, each
// read as the period it names: an end in 2023 may follow a start in
// 2023-10.
func (sc *sheetCompiler) checkBoundsInOrder(e *entry) {
	start, end := strings.TrimSpace(e.value("start")), strings.TrimSpace(e.value("end"))
	if _, ok := e.sec.field("start"); !ok || start == "" || end == "" || sc.reported(e, "start") || sc.reported(e, "end") {
		return
	}
	if end+"~" < start {
		sc.addf(e.vals["end"], "end: %s is before start %s", end, start)
		sc.markFailed(e, "end")
	}
}

// validate holds the quads to the vocabulary as a load would: a last guard
// that a sheet compiles to nothing a load would refuse.
func (sc *sheetCompiler) validate() {
	v := schema.NewValidator(true)
	for i, q := range sc.out {
		v.Check(sc.pos[i], q)
	}
	sc.problems = append(sc.problems, v.Problems()...)
}

// report says what adding the sheet does, against the store before it.
func (sc *sheetCompiler) report(owned []quad.IRI) (Report, error) {
	rep := Report{File: sc.sh.File, Source: graph.Entity{ID: schema.ShortID(sc.source), Name: sc.sh.source.value(sourceSection.name), Class: schema.Source.Short()}}
	old := map[string]bool{}
	if sc.base != nil {
		for _, l := range owned {
			err := sc.base.Quads(sc.ctx, l, quad.Label, func(q quad.Quad) { old[q.NQuad()] = true })
			if err != nil {
				return Report{}, err
			}
		}
	}
	rep.Replaces = len(old) > 0
	seen := map[string]bool{}
	for _, q := range sc.out {
		k := q.NQuad()
		switch {
		case seen[k]:
			continue
		case old[k]:
			rep.Unchanged++
		default:
			rep.Added++
		}
		seen[k] = true
	}
	rep.Removed = len(old) - rep.Unchanged
	before := func(iri quad.IRI) (bool, error) {
		if sc.done.has(iri) {
			return true, nil
		}
		found := false
		var err error
		if sc.base != nil {
			err = sc.base.Quads(sc.ctx, iri, quad.Subject, func(quad.Quad) { found = true })
		}
		return found, err
	}
	for _, iri := range sortedKeys(sc.names) {
		sec := sc.sectionOfEntity(iri)
		if sec == nil {
			continue // a record: counted below
		}
		ent := graph.Entity{ID: schema.ShortID(iri), Name: sc.names[iri], Class: sec.class.Short()}
		existed, err := before(iri)
		if err != nil {
			return Report{}, err
		}
		if existed {
			rep.Linked = append(rep.Linked, Link{Name: sc.names[iri], Entity: ent})
		} else {
			rep.New = append(rep.New, ent)
		}
	}
	for _, sec := range sections {
		if n := len(sc.sh.entries[sec]); n > 0 && isRecord(sec) {
			rep.Records = append(rep.Records, Count{Section: sec.key, N: n})
		}
	}
	return rep, nil
}

// sectionOfEntity is the section of an entity the sheet names, or nil for
// a record.
func (sc *sheetCompiler) sectionOfEntity(iri quad.IRI) *section {
	if e, ok := sc.declared[iri]; ok {
		if isRecord(e.sec) {
			return nil
		}
		return e.sec
	}
	if c, ok := sc.made[iri]; ok {
		return sectionOf(c)
	}
	for _, c := range sc.classesOf(iri) {
		if s := sectionOf(c); s != nil && !isRecord(s) {
			return s
		}
	}
	return nil
}

// isRecord says a section lists records (dated, or figures) rather than
// entities.
func isRecord(sec *section) bool {
	switch sec.class {
	case schema.Appointment, schema.Relocation, schema.Tenure, schema.Policy, schema.Event, schema.Investment, schema.Observation:
		return true
	}
	return false
}

func classNames(classes []schema.Class) string {
	names := make([]string, len(classes))
	for i, c := range classes {
		names[i] = lowerFirst(c.Short())
	}
	return strings.Join(names, " or ")
}

func sortedKeys[V any](m map[quad.IRI]V) []quad.IRI {
	keys := make([]quad.IRI, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
