package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// How serious a finding of Check is. Only errors make the graph wrong: two
// sources that disagree, a record without what its class needs. Warnings
// may be right (two people may share a name); infos say what to read with
// care.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// The rules of Check, as its findings name them.
const (
	// RuleConflict: two sources give figures for one place, indicator and
	// period that no one value fits.
	RuleConflict = "conflict"
	// RuleIncomplete: a record or entity lacks what its class needs.
	RuleIncomplete = "incomplete"
	// RuleDuplicate: two entities of one class (and, for places, one kind)
	// have the same or nearly the same name.
	RuleDuplicate = "duplicate"
	// RuleUnreferenced: an indicator no figure measures, a post no record
	// names, an entity linked to nothing at all.
	RuleUnreferenced = "unreferenced"
	// RuleInferred: a fact a curator inferred from a source, which the
	// source does not state.
	RuleInferred = "inferred"
)

var severityRank = map[string]int{SeverityError: 0, SeverityWarning: 1, SeverityInfo: 2}

// Finding is one thing Check found, with the sources behind it.
type Finding struct {
	Severity string      `json:"severity"`
	Rule     string      `json:"rule"`
	Subject  string      `json:"subject"`
	Message  string      `json:"message"`
	Sources  []SourceRef `json:"sources"`
	// IDs are the entities and records the finding is about, the first the
	// one Subject names.
	IDs []string `json:"ids" table:"-"`
}

// Disagreement is a figure that another source gives for the place,
// indicator and period of an Observation, and that no one value fits
// together with the Observation's own (see disagree).
type Disagreement struct {
	Value       json.Number `json:"value,omitempty"`
	ValueText   string      `json:"value_text,omitempty"`
	Bound       string      `json:"bound,omitempty"`
	Approximate bool        `json:"approximate,omitempty"`
	Unit        string      `json:"unit"`
	Sources     []SourceRef `json:"sources"`
	IDs         []string    `json:"ids"`
}

// Text reads the disagreeing figure with its sources: for people "5.4
// percent (Xinhua 2024-02-26)", else "5.4 percent (source/seed-003)".
func (d Disagreement) Text(human bool) string {
	cites := make([]string, len(d.Sources))
	for i, s := range d.Sources {
		cites[i] = s.ID
		if human {
			cites[i] = s.String()
		}
	}
	value := figureText(string(d.Value), d.Bound, d.Approximate, human)
	if value == "" {
		value = d.ValueText
	}
	return fmt.Sprintf("%s %s (%s)", value, d.Unit, strings.Join(cites, "; "))
}

// Check lints the whole graph: figures that disagree, records that lack
// what their class needs, possible duplicate entities, entities nothing
// refers to, and the facts that are inferred rather than stated. Findings
// come errors first, then warnings, then infos, each group in a stable
// order.
func (g *Graph) Check(ctx context.Context) ([]Finding, error) {
	figures, _, err := g.Indicators(ctx, IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	out := conflictFindings(figures)
	r, err := g.read(ctx)
	if err != nil {
		return nil, err
	}
	var typed iriSet
	err = r.quads(schema.Type, quad.Predicate, func(q quad.Quad) {
		if iri, ok := q.Subject.(quad.IRI); ok {
			typed.add(iri)
		}
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(typed.list)
	for _, node := range typed.list {
		p, err := r.out(node)
		if err != nil {
			return nil, err
		}
		out = append(out, r.incomplete(node, p)...)
		f, err := r.unreferenced(node, p)
		if err != nil {
			return nil, err
		}
		out = append(out, f...)
	}
	dups, err := g.duplicates(r)
	if err != nil {
		return nil, err
	}
	out = append(out, dups...)
	inferred, err := r.inferred()
	if err != nil {
		return nil, err
	}
	out = append(out, inferred...)
	slices.SortStableFunc(out, func(a, b Finding) int {
		if d := severityRank[a.Severity] - severityRank[b.Severity]; d != 0 {
			return d
		}
		for _, pair := range [][2]string{{a.Rule, b.Rule}, {a.Subject, b.Subject}, {a.Message, b.Message}} {
			if c := strings.Compare(pair[0], pair[1]); c != 0 {
				return c
			}
		}
		return 0
	})
	if err := r.check(); err != nil {
		return nil, err
	}
	return out, nil
}

// markConflicts fills the Conflict of every figure that disagrees with
// another of the same place, indicator and period from other sources.
func markConflicts(rows []Observation) {
	groups := map[string][]int{}
	for i, o := range rows {
		key := o.PlaceID + "\x00" + o.IndicatorID + "\x00" + o.Period
		groups[key] = append(groups[key], i)
	}
	for _, members := range groups {
		for _, i := range members {
			for _, j := range members {
				if i != j && disagree(rows[i], rows[j]) {
					o := rows[j]
					rows[i].Conflict = append(rows[i].Conflict, Disagreement{
						Value: o.Value, ValueText: o.ValueText, Bound: o.Bound, Approximate: o.Approximate,
						Unit: o.Unit, Sources: o.Sources, IDs: o.IDs,
					})
				}
			}
		}
	}
}

// conflictFindings makes one finding of each pair of disagreeing figures.
func conflictFindings(rows []Observation) []Finding {
	var out []Finding
	for _, o := range rows {
		for _, d := range o.Conflict {
			if d.IDs[0] < o.IDs[0] {
				continue // the pair is reported from the other figure
			}
			mine := Disagreement{Value: o.Value, Bound: o.Bound, Approximate: o.Approximate, Unit: o.Unit, Sources: o.Sources}
			out = append(out, Finding{
				Severity: SeverityError,
				Rule:     RuleConflict,
				Subject:  fmt.Sprintf("%s, %s, %s", o.Indicator, o.Place, o.Period),
				Message:  fmt.Sprintf("the sources disagree: %s, but %s", mine.Text(true), d.Text(true)),
				Sources:  mergeSources(slices.Clone(o.Sources), d.Sources),
				IDs:      append(append([]string{o.PlaceID}, o.IDs...), d.IDs...),
			})
		}
	}
	return out
}

// disagree reports whether two figures for one place, indicator and period
// come from different sources and cannot both be right: no one value fits
// both, each read as precisely as its source gives it (see interval).
// Figures in words, or in different units, are not compared.
func disagree(a, b Observation) bool {
	if a.Value == "" || b.Value == "" || a.Unit != b.Unit || sameSources(a.Sources, b.Sources) {
		return false
	}
	x, ok1 := interval(string(a.Value), a.Bound, a.Approximate)
	y, ok2 := interval(string(b.Value), b.Bound, b.Approximate)
	return ok1 && ok2 && !x.meets(y)
}

func sameSources(a, b []SourceRef) bool {
	return slices.EqualFunc(a, b, func(x, y SourceRef) bool { return x.ID == y.ID })
}

// valueRange is the set of values a figure allows: lo to hi, each end open or
// closed, infinite for a bound's open side.
type valueRange struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

// interval is what a figure allows: an exact figure its value; "about" a
// value anything that rounds to it at the precision written ("about 3.4
// billion" is 3.35 to 3.45 billion, "about 73" 72.5 to 73.5); "more than"
// and the other bounds everything beyond the value.
func interval(value, bound string, approximate bool) (valueRange, bool) {
	v, err := parseDecimal(value)
	if err != nil {
		return valueRange{}, false
	}
	half := 0.0
	if approximate {
		half = halfUnit(value)
	}
	s := valueRange{lo: v - half, hi: v + half}
	switch bound {
	case "more than":
		s.hi, s.loOpen = math.Inf(1), half == 0
	case "at least":
		s.hi = math.Inf(1)
	case "less than":
		s.lo, s.hiOpen = math.Inf(-1), half == 0
	case "at most":
		s.lo = math.Inf(-1)
	}
	return s, true
}

// meets reports whether two spans share a value.
func (s valueRange) meets(t valueRange) bool {
	lo, loOpen := s.lo, s.loOpen
	if t.lo > lo || t.lo == lo && t.loOpen {
		lo, loOpen = t.lo, t.loOpen
	}
	hi, hiOpen := s.hi, s.hiOpen
	if t.hi < hi || t.hi == hi && t.hiOpen {
		hi, hiOpen = t.hi, t.hiOpen
	}
	return lo < hi || lo == hi && !loOpen && !hiOpen
}

func parseDecimal(s string) (float64, error) {
	f, _, err := big.ParseFloat(s, 10, 64, big.ToNearestEven)
	if err != nil {
		return 0, err
	}
	v, _ := f.Float64()
	return v, nil
}

// halfUnit is half the unit of a written figure's last significant digit:
// 0.05 for 3.4, 0.5 for 73, 5e11 for 3000000000000.
func halfUnit(value string) float64 {
	value = strings.TrimPrefix(value, "-")
	if _, frac, ok := strings.Cut(value, "."); ok {
		return 0.5 * math.Pow10(-len(frac))
	}
	zeros := len(value) - len(strings.TrimRight(value, "0"))
	if zeros == len(value) {
		zeros = 0 // 0 itself
	}
	return 0.5 * math.Pow10(zeros)
}

// incomplete holds a node to what each of its vocabulary classes needs.
func (r *reader) incomplete(node quad.IRI, p props) []Finding {
	var out []Finding
	for _, c := range p.refs(schema.Type) {
		spec, ok := schema.LookupClass(schema.Class(c))
		if !ok {
			continue
		}
		var missing []string
		for _, pred := range spec.Required {
			if len(p[pred]) == 0 {
				missing = append(missing, schema.Short(pred))
			}
		}
		if len(spec.OneOf) > 0 && !slices.ContainsFunc(spec.OneOf, func(pred quad.IRI) bool { return len(p[pred]) > 0 }) {
			var names []string
			for _, pred := range spec.OneOf {
				names = append(names, schema.Short(pred))
			}
			missing = append(missing, strings.Join(names, " or "))
		}
		if len(missing) == 0 {
			continue
		}
		out = append(out, Finding{
			Severity: SeverityError,
			Rule:     RuleIncomplete,
			Subject:  r.subjectName(node, p),
			Message:  fmt.Sprintf("lacks what every %s needs: %s", strings.ToLower(spec.Class.Short()), strings.Join(missing, ", ")),
			Sources:  r.citations(p.labels()),
			IDs:      []string{schema.ShortID(node)},
		})
	}
	return out
}

// subjectName names a node in a finding: its name, or a record's summary,
// and its id.
func (r *reader) subjectName(node quad.IRI, p props) string {
	id := schema.ShortID(node)
	name := p.str(schema.Name)
	if e, ok := r.entry(node, p); ok && name == "" {
		name = e.Summary
	}
	if name == "" {
		return id
	}
	return name + " (" + id + ")"
}

// referencedClasses are the entities that exist to be referred to: an
// indicator no figure measures, a post no one held, is a leftover.
var referencedClasses = []schema.Class{schema.Indicator, schema.Post}

// linkedClasses are the entities that must be linked to something, either
// way: a person, place or organization that nothing refers to and that
// refers to nothing is an island.
var linkedClasses = []schema.Class{schema.Person, schema.Place, schema.Organization, schema.Company, schema.Infrastructure}

// unreferenced finds the entities nothing refers to (see referencedClasses
// and linkedClasses).
func (r *reader) unreferenced(node quad.IRI, p props) ([]Finding, error) {
	class := primaryClass(p)
	needsIn := slices.Contains(referencedClasses, class)
	if !needsIn && !slices.Contains(linkedClasses, class) {
		return nil, nil
	}
	in, err := r.in(node, "")
	if err != nil {
		return nil, err
	}
	referred := slices.ContainsFunc(in, func(e edge) bool { return e.node != node })
	if referred {
		return nil, nil
	}
	what := fmt.Sprintf("no record refers to this %s", strings.ToLower(class.Short()))
	if !needsIn {
		for pred, es := range p {
			if pred == schema.Type {
				continue
			}
			if slices.ContainsFunc(es, func(e edge) bool { _, ok := e.node.(quad.IRI); return ok && e.node != node }) {
				return nil, nil
			}
		}
		what = fmt.Sprintf("this %s is linked to nothing: nothing refers to it, and it refers to nothing", strings.ToLower(class.Short()))
	}
	return []Finding{{
		Severity: SeverityWarning,
		Rule:     RuleUnreferenced,
		Subject:  r.subjectName(node, p),
		Message:  what,
		Sources:  r.citations(p.labels()),
		IDs:      []string{schema.ShortID(node)},
	}}, nil
}

// duplicates finds entities of one class (and, for places, of one kind)
// whose names or aliases are the same, or one letter apart, once letter
// case, spaces and punctuation are set aside.
func (g *Graph) duplicates(r *reader) ([]Finding, error) {
	idx, err := g.names(r)
	if err != nil {
		return nil, err
	}
	// byKey holds, for each comparison key, the entities with a name that
	// gives it: the name itself and, for names long enough that one letter
	// is a slip rather than another word, the name less each one letter.
	// Two names one edit apart share a key, so that no pair of names is
	// ever compared but those that may be near.
	type named struct {
		node quad.IRI
		name string
	}
	byKey := map[string][]named{}
	for _, name := range idx.names {
		norm := normalName(name)
		if norm == "" {
			continue
		}
		for _, node := range idx.byName[name] {
			for _, k := range nearKeys(norm) {
				byKey[k] = append(byKey[k], named{node, norm})
			}
		}
	}
	type pair struct{ a, b quad.IRI }
	seen := map[pair]bool{}
	var out []Finding
	for _, k := range stringKeys(byKey) {
		list := byKey[k]
		for i := range list {
			for j := range list {
				a, b := list[i], list[j]
				if a.node >= b.node || seen[pair{a.node, b.node}] || levenshtein(a.name, b.name) > 1 {
					continue
				}
				ok, err := r.sameKind(a.node, b.node)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
				seen[pair{a.node, b.node}] = true
				out = append(out, r.duplicate(a.node, b.node))
			}
		}
	}
	return out, nil
}

// normalName is a name as duplicates compares it: letters and digits, in
// lower case.
func normalName(name string) string {
	return strings.Map(func(c rune) rune {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return unicode.ToLower(c)
		}
		return -1
	}, name)
}

// nearKeys are the comparison keys of a normalized name (see duplicates).
func nearKeys(norm string) []string {
	keys := []string{norm}
	runes := []rune(norm)
	if len(runes) < 5 {
		return keys
	}
	for i := range runes {
		keys = append(keys, string(runes[:i])+string(runes[i+1:]))
	}
	return keys
}

// sameKind reports whether two entities may be one: entities of one
// class, and for places of one kind (Jilin the province is not Jilin the
// city). Sources and inferences are no entities.
func (r *reader) sameKind(a, b quad.IRI) (bool, error) {
	pa, err := r.out(a)
	if err != nil {
		return false, err
	}
	pb, err := r.out(b)
	if err != nil {
		return false, err
	}
	ca, cb := primaryClass(pa), primaryClass(pb)
	if ca != cb || ca == "" || ca == schema.Source || ca == schema.Inference || projectionOf(ca) != nil {
		return false, nil
	}
	if ca == schema.Place {
		ka, kb := pa.str(schema.PlaceKind), pb.str(schema.PlaceKind)
		return ka == "" || kb == "" || ka == kb, nil
	}
	return true, nil
}

func (r *reader) duplicate(a, b quad.IRI) Finding {
	pa, _ := r.out(a) // sameKind has read both
	pb, _ := r.out(b)
	return Finding{
		Severity: SeverityWarning,
		Rule:     RuleDuplicate,
		Subject:  r.subjectName(a, pa),
		Message: fmt.Sprintf("may be the same %s as %s: if it is, give both names to one; if not, tell them apart (a description, an alias)",
			primaryClass(pa).Short(), r.subjectName(b, pb)),
		Sources: mergeSources(r.citations(pa.labels(schema.Name, schema.AlternateName)), r.citations(pb.labels(schema.Name, schema.AlternateName))),
		IDs:     []string{schema.ShortID(a), schema.ShortID(b)},
	}
}

// inferred lists every fact that an inference labels and that no source
// states as well: a person taken to be one the graph has is the same
// person's name from another article too, and that name is stated.
func (r *reader) inferred() ([]Finding, error) {
	infs, err := r.all(schema.Inference)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, inf := range infs {
		var quads []quad.Quad
		if err := r.quads(inf, quad.Label, func(q quad.Quad) { quads = append(quads, q) }); err != nil {
			return nil, err
		}
		slices.SortFunc(quads, func(a, b quad.Quad) int { return strings.Compare(a.NQuad(), b.NQuad()) })
		for _, q := range quads {
			sub, ok := q.Subject.(quad.IRI)
			pred, _ := q.Predicate.(quad.IRI)
			if !ok {
				continue
			}
			p, err := r.out(sub)
			if err != nil {
				return nil, err
			}
			stated, err := r.statedElsewhere(p[pred], q.Object)
			if err != nil {
				return nil, err
			}
			if stated {
				continue
			}
			object := ""
			if iri, ok := q.Object.(quad.IRI); ok {
				object = r.name(iri)
			} else {
				object, _ = schema.Literal(q.Object)
			}
			out = append(out, Finding{
				Severity: SeverityInfo,
				Rule:     RuleInferred,
				Subject:  r.subjectName(sub, p),
				Message:  fmt.Sprintf("%s: %s (inferred, not stated by the source)", predicateWords(pred), object),
				Sources:  []SourceRef{r.source(inf)},
				IDs:      []string{schema.ShortID(sub)},
			})
		}
	}
	return out, nil
}

// statedElsewhere reports whether one of edges says obj under a label that
// is not an inference.
func (r *reader) statedElsewhere(edges []edge, obj quad.Value) (bool, error) {
	for _, e := range edges {
		l, ok := e.label.(quad.IRI)
		if !ok || e.node != obj {
			continue
		}
		p, err := r.out(l)
		if err != nil {
			return false, err
		}
		if !p.has(schema.Inference) {
			return true, nil
		}
	}
	return false, nil
}

func stringKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
