package schema

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// Pos is where a quad was read: a file name and a 1-based line. Formats
// without lines (JSON-LD, JSON) leave Line zero and name the quad instead;
// formats whose lines hold more than one fact (a sheet's YAML) give the
// 1-based column too.
type Pos struct {
	File string
	Line int
	Col  int
	Quad string // the quad in N-Quads notation, when Line is zero
}

func (p Pos) String() string {
	switch {
	case p.Line > 0 && p.Col > 0:
		return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	case p.Quad != "":
		return p.File + ", quad " + p.Quad
	}
	return p.File
}

// Problem is one thing wrong with the input, at a position.
type Problem struct {
	Pos Pos
	Msg string
}

func (p Problem) Error() string { return p.Pos.String() + ": " + p.Msg }

// Problems is every problem found in an input. It is an error when not empty.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Validator checks quads against the vocabulary. Quads are fed one at a time
// with Check; record rules that span several quads (an appointment needs a
// person) are checked by Problems once everything has been fed.
//
// Quads outside the vocabulary's namespaces are accepted as they are, unless
// Strict is set.
type Validator struct {
	// Strict rejects predicates and classes outside the vocabulary.
	Strict bool

	problems Problems
	records  map[string]*record
}

// record is what the validator remembers of one subject for record rules.
// It is kept for every subject until the end, so it is small: sets of
// vocabulary predicates and classes as bits (see predicateBit, classBit).
type record struct {
	pos     Pos     // where its first rdf:type quad was read
	typed   bool    // it has an rdf:type, of the vocabulary or not
	classes uint64  // the vocabulary classes it has, by classBit
	has     predSet // the vocabulary predicates it has, by predicateBit
	date    string
	dateEnd string
	prec    string
	// bounds are a tenure's start and end, kept apart so that the records
	// that have none (nearly all) pay one pointer for them.
	bounds *bounds
}

// bounds are the start and end of a tenure and their precisions.
type bounds struct {
	start, startPrec, end, endPrec string
}

var dateRE = regexp.MustCompile(`^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$`)

// ValidDate reports whether s is a date as the vocabulary writes them:
// YYYY, YYYY-MM or YYYY-MM-DD.
func ValidDate(s string) bool { return dateRE.MatchString(s) }

// PrecisionOf is the precision a date states by its length (PrecisionYear,
// PrecisionMonth or PrecisionDay), and false for what is not a date.
func PrecisionOf(date string) (string, bool) {
	if !ValidDate(date) {
		return "", false
	}
	switch len(date) {
	case len("2006"):
		return PrecisionYear, true
	case len("2006-01"):
		return PrecisionMonth, true
	}
	return PrecisionDay, true
}

// ValidNumber reports whether s is a plain decimal number such as -11000000
// or 5.4 (no exponent, no thousands separators).
func ValidNumber(s string) bool {
	if strings.Trim(s, "0123456789.+-") != "" { // no exponent, hex, NaN, Inf or separators
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// NewValidator returns a validator; strict rejects anything outside the vocabulary.
func NewValidator(strict bool) *Validator {
	return &Validator{Strict: strict, records: map[string]*record{}}
}

func (v *Validator) addf(pos Pos, format string, args ...any) {
	v.problems = append(v.problems, Problem{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Check validates one quad and remembers what the record rules need.
func (v *Validator) Check(pos Pos, q quad.Quad) {
	pred, ok := q.Predicate.(quad.IRI)
	if !ok {
		v.addf(pos, "predicate must be an IRI, got %s", q.Predicate)
		return
	}
	spec, known := LookupPredicate(pred)
	subj, _ := q.Subject.(quad.IRI)
	if !ours(pred, subj, q.Object) {
		switch {
		case !v.Strict:
		case known:
			v.addf(pos, "subject %s is not in the rustbelt vocabulary (strict mode)", q.Subject)
		default:
			v.addf(pos, "predicate %s is not in the rustbelt vocabulary (strict mode)", pred)
		}
		return
	}
	if q.Label == nil {
		v.addf(pos, "quad has no source label: every rustbelt fact needs the IRI of its source as the fourth term")
	} else if _, ok := q.Label.(quad.IRI); !ok {
		v.addf(pos, "source label must be an IRI, got %s", q.Label)
	}
	if !known {
		v.addf(pos, "unknown predicate %s (see schema/README.md for the vocabulary)", pred)
		return
	}
	if subj == "" {
		v.addf(pos, "subject must be an IRI, got %s", q.Subject)
		return
	}
	if !v.checkObject(pos, spec, q.Object) {
		return
	}
	v.remember(pos, string(subj), pred, q.Object)
}

// ours reports whether a quad speaks the rustbelt vocabulary: a rustbelt
// predicate, a rustbelt entity as subject, or a node typed with a rustbelt
// class. The predicates borrowed from RDF and schema.org make a quad ours only
// on rustbelt entities, so that users' own data can use them freely.
func ours(pred, subj quad.IRI, obj quad.Value) bool {
	class, _ := obj.(quad.IRI)
	return InVocabulary(pred) || InVocabulary(subj) || pred == Type && InVocabulary(class)
}

// checkObject applies the predicate's kind to the object and reports whether it fits.
func (v *Validator) checkObject(pos Pos, spec PredicateSpec, obj quad.Value) bool {
	name := Short(spec.IRI)
	if spec.Kind == KindRef || spec.Kind == KindClass {
		iri, ok := obj.(quad.IRI)
		if !ok {
			v.addf(pos, "%s expects an IRI, got %s", name, obj)
			return false
		}
		if spec.Kind == KindClass && strings.HasPrefix(string(iri), NS) {
			if _, ok := LookupClass(Class(iri)); !ok {
				v.addf(pos, "unknown class %s (see schema/README.md for the classes)", iri)
				return false
			}
		} else if spec.Kind == KindClass && v.Strict {
			v.addf(pos, "class %s is not in the rustbelt vocabulary (strict mode)", iri)
			return false
		}
		return true
	}
	lit, ok := Literal(obj)
	if !ok {
		v.addf(pos, "%s expects a literal, got %s", name, obj)
		return false
	}
	switch spec.Kind {
	case KindDate:
		if !ValidDate(lit) {
			v.addf(pos, "%s: malformed date %q: expected YYYY, YYYY-MM or YYYY-MM-DD", name, lit)
			return false
		}
	case KindNumber:
		if !ValidNumber(lit) {
			v.addf(pos, "%s: malformed number %q: expected a plain decimal such as 5.4 or -11000000", name, lit)
			return false
		}
	case KindBool:
		if lit != "true" && lit != "false" {
			v.addf(pos, "%s: expected \"true\" or \"false\", got %q", name, lit)
			return false
		}
	case KindEnum:
		if !slices.Contains(spec.Values, lit) {
			v.addf(pos, "%s: %q is not one of %s", name, lit, strings.Join(spec.Values, ", "))
			return false
		}
	}
	return true
}

func (v *Validator) remember(pos Pos, subj string, pred quad.IRI, obj quad.Value) {
	r := v.records[subj]
	if r == nil {
		r = &record{}
		v.records[subj] = r
	}
	r.has = r.has.union(predicateBit[pred])
	lit, _ := Literal(obj)
	switch pred {
	case Type:
		if !r.typed {
			r.pos = pos
		}
		r.typed = true
		r.classes |= classBit[Class(obj.(quad.IRI))]
	case Date, DatePublished:
		r.date = lit
	case DateEnd:
		r.dateEnd = lit
	case DatePrec:
		r.prec = lit
	case Start, StartPrec, End, EndPrec:
		if r.bounds == nil {
			r.bounds = &bounds{}
		}
		r.bounds.set(pred, lit)
	}
}

// set keeps the value of one of a tenure's bound predicates.
func (b *bounds) set(pred quad.IRI, lit string) {
	switch pred {
	case Start:
		b.start = lit
	case StartPrec:
		b.startPrec = lit
	case End:
		b.end = lit
	case EndPrec:
		b.endPrec = lit
	}
}

// Problems finishes the record rules and returns every problem found, in
// input order.
func (v *Validator) Problems() Problems {
	for subj, r := range v.records {
		if !r.typed {
			continue // described here, typed elsewhere (an earlier load)
		}
		for _, spec := range Classes {
			if r.classes&classBit[spec.Class] == 0 {
				continue
			}
			c := spec.Class
			for _, p := range spec.Required {
				if !r.has.meets(predicateBit[p]) {
					v.addf(r.pos, "%s <%s> has no %s", c.Short(), subj, Short(p))
				}
			}
			if len(spec.OneOf) > 0 && !r.has.meets(bitsOf(spec.OneOf)) {
				names := make([]string, len(spec.OneOf))
				for i, p := range spec.OneOf {
					names[i] = Short(p)
				}
				v.addf(r.pos, "%s <%s> needs one of %s", c.Short(), subj, strings.Join(names, ", "))
			}
		}
		v.checkDates(subj, r)
		v.checkBounds(subj, r)
	}
	sort.SliceStable(v.problems, func(i, j int) bool {
		a, b := v.problems[i].Pos, v.problems[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Quad < b.Quad // JSON-LD yields its graphs in no fixed order
	})
	return v.problems
}

// checkDates holds a record's date to its stated precision.
func (v *Validator) checkDates(subj string, r *record) {
	if r.prec == "" {
		return
	}
	want := map[string]int{PrecisionYear: 4, PrecisionMonth: 7, PrecisionDay: 10, PrecisionReported: 10}
	switch {
	case r.prec == PrecisionUnknown:
		if r.date != "" {
			v.addf(r.pos, "<%s> has datePrecision unknown but a date %q", subj, r.date)
		}
	case r.date == "":
		v.addf(r.pos, "<%s> has datePrecision %s but no date", subj, r.prec)
	case r.prec == PrecisionRange:
		if r.dateEnd == "" {
			v.addf(r.pos, "<%s> has datePrecision range but no dateEnd", subj)
		} else if r.dateEnd < r.date {
			v.addf(r.pos, "<%s> ends (%s) before it starts (%s)", subj, r.dateEnd, r.date)
		}
	case len(r.date) != want[r.prec]:
		v.addf(r.pos, "<%s> has datePrecision %s but date %q", subj, r.prec, r.date)
	}
	if r.dateEnd != "" && r.prec != PrecisionRange {
		v.addf(r.pos, "<%s> has dateEnd but datePrecision %s (expected range)", subj, r.prec)
	}
}

// checkBounds holds a tenure's start and end each to its precision, and
// the end to not before the start. A bound left out is unknown, which is
// no problem: but a precision needs its date and a date its precision.
func (v *Validator) checkBounds(subj string, r *record) {
	b := r.bounds
	if b == nil {
		return
	}
	want := map[string]int{PrecisionYear: 4, PrecisionMonth: 7, PrecisionDay: 10}
	for _, bd := range []struct{ name, date, prec string }{{"start", b.start, b.startPrec}, {"end", b.end, b.endPrec}} {
		switch {
		case bd.date == "" && bd.prec != "":
			v.addf(r.pos, "<%s> has %sPrecision %s but no %s", subj, bd.name, bd.prec, bd.name)
		case bd.date != "" && bd.prec == "":
			v.addf(r.pos, "<%s> has %s %q but no %sPrecision", subj, bd.name, bd.date, bd.name)
		case bd.date != "" && len(bd.date) != want[bd.prec]:
			v.addf(r.pos, "<%s> has %sPrecision %s but %s %q", subj, bd.name, bd.prec, bd.name, bd.date)
		}
	}
	// Partial dates compare as the periods they name: an end in 2023 may
	// follow a start in 2023-10.
	if b.start != "" && b.end != "" && b.end+"~" < b.start {
		v.addf(r.pos, "<%s> ends (%s) before it starts (%s)", subj, b.end, b.start)
	}
}

// Literal returns the text of a literal value (plain, typed or
// language-tagged); ok is false for IRIs, blank nodes and nil.
func Literal(v quad.Value) (text string, ok bool) {
	switch v := v.(type) {
	case quad.String:
		return string(v), true
	case quad.TypedString:
		return string(v.Value), true
	case quad.LangString:
		return string(v.Value), true
	case quad.IRI, quad.BNode, nil:
		return "", false
	default:
		return quad.StringOf(v), true
	}
}

// bitsOf is the set of predicates ps.
func bitsOf(ps []quad.IRI) predSet {
	var bits predSet
	for _, p := range ps {
		bits = bits.union(predicateBit[p])
	}
	return bits
}
