package sheet

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"go.yaml.in/yaml/v3"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
)

// Write writes the sheet of a source the store holds: every quad labelled
// with the source or with an inference drawn from it, an entry per entity
// and record, names where the quads have IRIs. Names are plain where that
// is enough for the resolver, and say the kind or the id where it is not;
// ids are written where a new entry's would differ. What it writes
// compiles back, against the same store, to the same quads: it checks so,
// and refuses a source holding facts no sheet can say (predicates outside
// the vocabulary, a record with two dates), naming them.
func Write(ctx context.Context, w io.Writer, base graph.Storage, source quad.IRI) error {
	c := &compiler{ctx: ctx, base: base}
	labels, err := c.ownedLabels(source)
	if err != nil {
		return err
	}
	var quads []quad.Quad
	for _, l := range labels {
		if err := base.Quads(ctx, l, quad.Label, func(q quad.Quad) { quads = append(quads, q) }); err != nil {
			return err
		}
	}
	if !slices.ContainsFunc(quads, func(q quad.Quad) bool { return q.Label == source }) {
		return fail.Errorf(fail.NotFound, "the store holds no facts of source %s", schema.ShortID(source))
	}
	sw := &sheetWriter{ctx: ctx, base: base, source: source}
	if err := sw.read(quads); err != nil {
		return err
	}
	data, err := sw.settle(quads)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// sheetWriter turns a source's quads into a sheet.
type sheetWriter struct {
	ctx     context.Context
	base    graph.Storage
	source  quad.IRI
	reasons map[quad.IRI]string // inference → its reasoning
	entries []*wEntry
	byIRI   map[quad.IRI]*wEntry
	// what the quads say of each entity: names and kinds, for references
	names map[quad.IRI][]string
	kinds map[quad.IRI]string
}

// wEntry is one entry as the writer builds it.
type wEntry struct {
	sec    *section
	iri    quad.IRI
	name   string
	reason string // the inference all of the entry's facts carry
	vals   map[string][]*wValue
	withID bool
	node   *yaml.Node // the mapping last built
}

// wValue is one value of a key: a literal, or a reference and the form it
// is written in.
type wValue struct {
	lit    string
	target quad.IRI
	reason string // the inference the link carries
	form   refForm
	node   *yaml.Node // last built
}

// refForm is how a reference is written, from plain to certain.
type refForm int

const (
	byName refForm = iota
	byNameAndKind
	byNameAndID
)

// read sorts a source's quads into entries, refusing what no sheet can say.
func (sw *sheetWriter) read(quads []quad.Quad) error {
	sw.reasons, sw.byIRI = map[quad.IRI]string{}, map[quad.IRI]*wEntry{}
	sw.names, sw.kinds = map[quad.IRI][]string{}, map[quad.IRI]string{}
	var cannot []string
	refuse := func(q quad.Quad, why string) { cannot = append(cannot, fmt.Sprintf("%s (%s)", q.NQuad(), why)) }
	bySubject := map[quad.IRI][]quad.Quad{}
	var subjects []quad.IRI
	for _, q := range quads {
		s, ok := q.Subject.(quad.IRI)
		if !ok {
			refuse(q, "its subject is not an IRI")
			continue
		}
		if _, seen := bySubject[s]; !seen {
			subjects = append(subjects, s)
		}
		bySubject[s] = append(bySubject[s], q)
		switch q.Predicate {
		case schema.Name, schema.AlternateName:
			if name, ok := schema.Literal(q.Object); ok {
				sw.names[s] = append(sw.names[s], name)
			}
		case schema.PlaceKind:
			sw.kinds[s], _ = schema.Literal(q.Object)
		}
	}
	for _, s := range subjects {
		if slices.ContainsFunc(bySubject[s], func(q quad.Quad) bool { return q.Predicate == schema.Type && q.Object == schema.Inference.IRI() }) {
			sw.reasons[s] = literalOf(bySubject[s], schema.Description)
		}
	}
	for _, s := range subjects {
		if _, ok := sw.reasons[s]; ok {
			for _, q := range bySubject[s] {
				if q.Label != sw.source || !slices.Contains([]quad.IRI{schema.Type, schema.InferredFrom, schema.Description}, q.Predicate.(quad.IRI)) {
					refuse(q, "an inference holds only its class, source and description")
				}
			}
			continue
		}
		if err := sw.entry(s, bySubject[s], refuse); err != nil {
			return err
		}
	}
	if len(cannot) > 0 {
		if len(cannot) > 10 {
			cannot = append(cannot[:10], fmt.Sprintf("and %d more", len(cannot)-10))
		}
		return fail.Errorf(fail.Invalid, "source %s holds facts a sheet cannot say:\n  %s", schema.ShortID(sw.source), strings.Join(cannot, "\n  "))
	}
	sw.sortEntries()
	return nil
}

// entry makes the entry of one subject.
func (sw *sheetWriter) entry(s quad.IRI, quads []quad.Quad, refuse func(quad.Quad, string)) error {
	var secs []*section
	for _, q := range quads {
		if q.Predicate == schema.Type {
			if c, ok := q.Object.(quad.IRI); ok {
				if sec := sectionOf(schema.Class(c)); sec != nil && (sec != sourceSection || s == sw.source) {
					secs = append(secs, sec)
					continue
				}
			}
			refuse(q, "no section of a sheet holds that class")
		}
	}
	if len(secs) != 1 {
		refuse(quads[0], fmt.Sprintf("the source gives %s %d classes of the vocabulary; an entry has one", schema.ShortID(s), len(secs)))
		return nil
	}
	e := &wEntry{sec: secs[0], iri: s, vals: map[string][]*wValue{}}
	if labels := distinctLabels(quads); len(labels) == 1 && labels[0] != sw.source {
		e.reason = sw.reasons[labels[0].(quad.IRI)]
	}
	dates := map[quad.IRI]string{}
	for _, q := range quads {
		reason := ""
		if q.Label != sw.source && e.reason == "" {
			reason = sw.reasons[q.Label.(quad.IRI)]
		}
		pred, _ := q.Predicate.(quad.IRI)
		switch {
		case pred == schema.Type:
		case pred == schema.Name && e.sec.name != "":
			if e.name != "" || reason != "" {
				refuse(q, "an entry has one name, stated")
			}
			e.name, _ = schema.Literal(q.Object)
		case pred == schema.Date || pred == schema.DateEnd || pred == schema.DatePrec || pred == schema.DatePublished:
			if _, twice := dates[pred]; twice || reason != "" {
				refuse(q, "an entry has one date, stated")
			}
			dates[pred], _ = schema.Literal(q.Object)
		default:
			sw.value(e, q, reason, refuse)
		}
	}
	if len(dates) > 0 {
		sw.date(e, dates, quads[0], refuse)
	}
	sw.entries = append(sw.entries, e)
	sw.byIRI[s] = e
	return nil
}

// value adds one quad's object to the key that writes its predicate.
func (sw *sheetWriter) value(e *wEntry, q quad.Quad, reason string, refuse func(quad.Quad, string)) {
	pred, _ := q.Predicate.(quad.IRI)
	var f field
	found := false
	for _, ff := range e.sec.fields {
		if ff.pred == pred {
			f, found = ff, true
			break
		}
	}
	switch {
	case !found && slices.ContainsFunc(e.sec.fields, func(ff field) bool { return ff.kind == tenureBound && ff.precPred == pred }):
		return // a bound's precision is its date's length, which compiling checks
	case !found:
		refuse(q, fmt.Sprintf("no key of %s writes %s", e.sec.key, schema.Short(pred)))
		return
	case len(e.vals[f.key]) > 0 && !f.many:
		refuse(q, fmt.Sprintf("%s takes one value", f.key))
		return
	}
	v := &wValue{reason: reason}
	if iri, ok := q.Object.(quad.IRI); ok && f.kind == external {
		v.lit = string(iri)
	} else if f.kind == ref {
		iri, ok := q.Object.(quad.IRI)
		if !ok {
			refuse(q, fmt.Sprintf("%s names an entity", f.key))
			return
		}
		v.target = iri
	} else {
		s, ok := q.Object.(quad.String)
		if !ok {
			refuse(q, fmt.Sprintf("%s is a plain literal in a sheet", f.key))
			return
		}
		if reason != "" {
			refuse(q, "only a reference, or a whole entry, can be inferred")
			return
		}
		v.lit = string(s)
	}
	e.vals[f.key] = append(e.vals[f.key], v)
}

// date writes a record's or the source's date as the commands print it.
func (sw *sheetWriter) date(e *wEntry, dates map[quad.IRI]string, at quad.Quad, refuse func(quad.Quad, string)) {
	var text string
	ok := false
	switch f, has := e.sec.field(date.key); {
	case !has:
	case f.kind == published && dates[schema.Date] == "" && dates[schema.DateEnd] == "":
		d := dated{date: dates[schema.DatePublished], precision: dates[schema.DatePrec]}
		if d.date == "" {
			text, ok = undated, d.precision == schema.PrecisionUnknown
		} else {
			text, ok = d.text()
		}
	case f.kind == when && dates[schema.DatePublished] == "":
		text, ok = dated{date: dates[schema.Date], end: dates[schema.DateEnd], precision: dates[schema.DatePrec]}.text()
	}
	if !ok {
		refuse(at, fmt.Sprintf("a sheet cannot write the date %v", dates))
		return
	}
	e.vals[date.key] = []*wValue{{lit: text}}
}

// sortEntries puts entries in an order a reader follows: places from the
// broadest kind down, entities by name, records by date, figures by
// indicator, period and place.
func (sw *sheetWriter) sortEntries() {
	kindRank := func(e *wEntry) int {
		spec, _ := schema.LookupPredicate(schema.PlaceKind)
		if i := slices.Index(spec.Values, sw.kinds[e.iri]); i >= 0 {
			return i
		}
		return len(spec.Values)
	}
	first := func(e *wEntry, key string) string {
		if vs := e.vals[key]; len(vs) > 0 {
			return sortText(vs[0])
		}
		return ""
	}
	key := func(e *wEntry) []string {
		switch {
		case e.sec.class == schema.Place:
			return []string{fmt.Sprintf("%02d", kindRank(e)), strings.ToLower(e.name)}
		case e.sec.class == schema.Observation:
			return []string{first(e, "indicator"), first(e, "period"), first(e, "place")}
		case e.sec.class == schema.Tenure:
			return []string{cmp.Or(first(e, "start"), "~"), first(e, "post"), first(e, "person")}
		case isRecord(e.sec):
			d := first(e, date.key)
			if d == undated || d == "" {
				d = "~"
			}
			return []string{strings.TrimPrefix(d, reportedBy), strings.ToLower(e.name)}
		}
		return []string{strings.ToLower(e.name)}
	}
	sort.SliceStable(sw.entries, func(i, j int) bool {
		a, b := sw.entries[i], sw.entries[j]
		if a.sec != b.sec {
			return slices.Index(sections, a.sec) < slices.Index(sections, b.sec)
		}
		if c := slices.Compare(key(a), key(b)); c != 0 {
			return c < 0
		}
		return a.iri < b.iri
	})
}

// sortText is what a value sorts by: its entity's id or its text.
func sortText(v *wValue) string {
	if v.target != "" {
		return string(v.target)
	}
	return v.lit
}

// settle writes the sheet, compiles it, and where an entry's id or a
// reference's entity comes out other than the store's, writes that id or
// a fuller reference, until the sheet compiles to the source's quads.
func (sw *sheetWriter) settle(want []quad.Quad) ([]byte, error) {
	for _, e := range sw.entries {
		e.withID = e.iri != sw.newID(e)
	}
	for pass := 0; ; pass++ {
		root := sw.build()
		p := parser{file: "sheet of " + schema.ShortID(sw.source)}
		sh := p.sheet(root)
		results, problems, err := Compile(sw.ctx, sw.base, []*Sheet{sh})
		if err != nil {
			return nil, err
		}
		problems = append(p.problems, problems...)
		res := results[0]
		changed := false
		for _, e := range sw.entries {
			if res.ids[e.node] != e.iri && !e.withID {
				e.withID, changed = true, true
			}
			for _, vs := range e.vals {
				for _, v := range vs {
					if v.target != "" && res.resolved[v.node] != v.target && v.form < byNameAndID {
						v.form++
						changed = true
					}
				}
			}
		}
		if changed && pass < 4 {
			continue
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
			return nil, fmt.Errorf("write the sheet: %w", err)
		}
		if err := sw.check(buf.Bytes(), want, problems); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
}

// check compiles the sheet's text and compares its quads with the source's.
func (sw *sheetWriter) check(data []byte, want []quad.Quad, problems schema.Problems) error {
	if len(problems) == 0 {
		sh, ps := Parse("sheet of "+schema.ShortID(sw.source), data)
		problems = ps
		if sh != nil {
			results, more, err := Compile(sw.ctx, sw.base, []*Sheet{sh})
			if err != nil {
				return err
			}
			if problems = append(problems, more...); len(problems) == 0 {
				if diff := quadDiff(want, results[0].Quads); diff != "" {
					return fmt.Errorf("the sheet of %s would not compile back to its quads:\n%s", schema.ShortID(sw.source), diff)
				}
				return nil
			}
		}
	}
	return fmt.Errorf("the sheet of %s would not compile: %w", schema.ShortID(sw.source), problems)
}

// quadDiff lists the quads only one side has, or "" when they are the same.
func quadDiff(want, got []quad.Quad) string {
	w, g := nquadSet(want), nquadSet(got)
	var lines []string
	for k := range w {
		if !g[k] {
			lines = append(lines, "  lacks "+k)
		}
	}
	for k := range g {
		if !w[k] {
			lines = append(lines, "  adds  "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func nquadSet(quads []quad.Quad) map[string]bool {
	set := map[string]bool{}
	for _, q := range quads {
		set[q.NQuad()] = true
	}
	return set
}

// newID is the id the entry would get without one: the slug of its name,
// or of what a record names.
func (sw *sheetWriter) newID(e *wEntry) quad.IRI {
	if e.sec.slug == nil {
		return schema.ID(e.sec.idBase + slug(e.name))
	}
	r := &recordIDs{source: tail(sw.source), refs: map[string]quad.IRI{}, values: map[string]string{}}
	for key, vs := range e.vals {
		if len(vs) > 0 {
			r.refs[key], r.values[key] = vs[0].target, vs[0].lit
		}
	}
	if vs := e.vals[date.key]; len(vs) > 0 {
		r.when, _ = parseWhen(vs[0].lit)
	}
	return schema.ID(e.sec.idBase + e.sec.slug(r))
}

// build writes the YAML of the entries as they stand.
func (sw *sheetWriter) build() *yaml.Node {
	root := &yaml.Node{Kind: yaml.MappingNode}
	lists := map[*section]*yaml.Node{}
	for _, e := range sw.entries {
		e.node = sw.buildEntry(e)
		if e.sec == sourceSection {
			root.Content = append(root.Content, scalar(sourceSection.key), e.node)
			continue
		}
		if lists[e.sec] == nil {
			lists[e.sec] = &yaml.Node{Kind: yaml.SequenceNode}
		}
		lists[e.sec].Content = append(lists[e.sec].Content, e.node)
	}
	for _, sec := range sections {
		if l := lists[sec]; l != nil {
			root.Content = append(root.Content, scalar(sec.key), l)
		}
	}
	return root
}

func (sw *sheetWriter) buildEntry(e *wEntry) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) { m.Content = append(m.Content, scalar(key), v) }
	if e.name != "" {
		add(e.sec.name, scalar(e.name))
	}
	if e.withID {
		add(idKey, scalar(schema.ShortID(e.iri)))
	}
	for _, f := range e.sec.fields {
		vs := e.vals[f.key]
		if len(vs) == 0 {
			continue
		}
		nodes := make([]*yaml.Node, len(vs))
		for i, v := range vs {
			v.node = sw.buildValue(v)
			nodes[i] = v.node
		}
		if len(nodes) == 1 {
			add(f.key, nodes[0])
			continue
		}
		list := &yaml.Node{Kind: yaml.SequenceNode, Content: nodes}
		if f.kind == ref || f.key == aliases.key {
			list.Style = yaml.FlowStyle
		}
		add(f.key, list)
	}
	if e.reason != "" {
		add(inferredKey, scalar(e.reason))
	}
	return m
}

// buildValue writes one value: a literal, or a reference in its form.
func (sw *sheetWriter) buildValue(v *wValue) *yaml.Node {
	if v.target == "" {
		return scalar(v.lit)
	}
	name := sw.nameOf(v.target)
	if v.form == byName && v.reason == "" && name != "" {
		return scalar(name)
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	if name != "" {
		m.Content = append(m.Content, scalar("name"), scalar(name))
	}
	switch {
	case v.form == byNameAndKind:
		m.Content = append(m.Content, scalar("kind"), scalar(sw.kindOf(v.target)))
	case v.form == byNameAndID || name == "":
		m.Content = append(m.Content, scalar(idKey), scalar(schema.ShortID(v.target)))
	}
	if v.reason != "" {
		m.Content = append(m.Content, scalar(inferredKey), scalar(v.reason))
	}
	return m
}

// nameOf is the name a reference to iri writes: the one the sheet gives
// it, else the store's first.
func (sw *sheetWriter) nameOf(iri quad.IRI) string {
	if e := sw.byIRI[iri]; e != nil && e.name != "" {
		return e.name
	}
	if names := sw.names[iri]; len(names) > 0 {
		return names[0]
	}
	vals, err := sw.base.Linked(sw.ctx, iri, schema.Name, quad.Subject, quad.Object)
	if err != nil {
		return ""
	}
	var names []string
	for _, v := range vals {
		if s, ok := schema.Literal(v); ok {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return ""
	}
	sw.names[iri] = names
	return names[0]
}

// kindOf is what {kind: …} says of iri: a place's kind, else its class.
func (sw *sheetWriter) kindOf(iri quad.IRI) string {
	if k := sw.kinds[iri]; k != "" {
		return k
	}
	if e := sw.byIRI[iri]; e != nil {
		return e.sec.label()
	}
	for _, pred := range []quad.IRI{schema.PlaceKind, schema.Type} {
		vals, _ := sw.base.Linked(sw.ctx, iri, pred, quad.Subject, quad.Object)
		for _, v := range vals {
			switch v := v.(type) {
			case quad.IRI:
				return lowerFirst(schema.Class(v).Short())
			default:
				if s, ok := schema.Literal(v); ok {
					return s
				}
			}
		}
	}
	return ""
}

// scalar is a YAML scalar that reads back as the same text.
func scalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	switch s {
	case "", "~", "null", "Null", "NULL":
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func literalOf(quads []quad.Quad, pred quad.IRI) string {
	for _, q := range quads {
		if q.Predicate == pred {
			s, _ := schema.Literal(q.Object)
			return s
		}
	}
	return ""
}

func distinctLabels(quads []quad.Quad) []quad.Value {
	var out []quad.Value
	for _, q := range quads {
		if !slices.Contains(out, q.Label) {
			out = append(out, q.Label)
		}
	}
	return out
}
