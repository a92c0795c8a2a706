package graph

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Entry is one dated record in a timeline or an entity card: an
// appointment, relocation, policy, investment, event or figure.
type Entry struct {
	Date      string      `json:"date"`
	Kind      string      `json:"kind"`
	Summary   string      `json:"summary"`
	Sources   []SourceRef `json:"sources"`
	ID        string      `json:"id" table:"-"`
	DateStart string      `json:"date_start" table:"-"`
}

// recordClasses are the classes whose nodes are records rather than
// entities: they read as one line each.
var recordClasses = []schema.Class{schema.Appointment, schema.Relocation, schema.Tenure, schema.Policy, schema.Investment, schema.Event, schema.Observation}

func isRecord(p props) bool {
	for _, c := range recordClasses {
		if p.has(c) {
			return true
		}
	}
	return false
}

// entry renders a record node as one line; ok is false for non-records.
func (r *reader) entry(id quad.IRI, p props) (e Entry, ok bool) {
	w := whenOf(p)
	e = Entry{ID: schema.ShortID(id), Date: w.Text, DateStart: w.Start, Sources: r.citations(p.labels())}
	switch {
	case p.has(schema.Appointment):
		a := r.appointment(id, p, w)
		e.Kind = "appointment"
		e.Summary = fmt.Sprintf("%s: %s (%s) → %s (%s)", a.Person, orUnknown(a.FromPost), orUnknown(a.FromPlace), a.ToPost, a.ToPlace)
		if a.Kind != "" {
			e.Summary += ", " + a.Kind
		}
	case p.has(schema.Tenure):
		r.tenureEntry(id, p, &e)
	case p.has(schema.Relocation):
		e.Kind = "relocation"
		e.Summary = fmt.Sprintf("%s moves from %s to %s", r.name(p.ref(schema.PersonOf)), orUnknown(r.name(p.ref(schema.FromPlace))), r.name(p.ref(schema.ToPlace)))
		if emp := p.ref(schema.Employer); emp != "" {
			e.Summary += " to work at " + r.name(emp)
		}
	case p.has(schema.Policy):
		e.Kind = "policy"
		e.Summary = p.str(schema.Name)
		if iss := r.names(p.refs(schema.Issuer)); len(iss) > 0 {
			e.Summary += " (" + strings.Join(iss, ", ") + ")"
		}
		e.Summary += "; targets " + strings.Join(r.names(p.refs(schema.Targets)), ", ")
	case p.has(schema.Investment):
		inv := r.investment(id, p, w)
		e.Kind = "investment"
		amount, _ := inv.TableCell("amount")
		e.Summary = fmt.Sprintf("%s invests %s %s in %s", inv.Company, amount, inv.Currency, inv.Place)
		if conv, _ := inv.TableCell("amount_converted"); conv != "" {
			e.Summary += fmt.Sprintf(" (%s %s)", conv, inv.ConvertedCurrency)
		}
	case p.has(schema.Event):
		e.Kind = "event"
		e.Summary = p.str(schema.Name)
		if concerns := r.names(p.refs(schema.Concerns)); len(concerns) > 0 {
			// What the event did to the record it concerns, as the source
			// says it: a meeting reviewed a guideline, it did not issue it.
			e.Summary += ": " + cmp.Or(p.str(schema.Action), "concerns") + " " + strings.Join(concerns, ", ")
		}
	case p.has(schema.Observation):
		o := r.observation(id, p)
		e.Kind = "figure"
		e.Date = o.Period
		e.DateStart = periodKey(o.Period)
		value, _ := o.TableCell("value")
		if value == "" {
			value = o.ValueText
		} else {
			value += " " + o.Unit
		}
		e.Summary = fmt.Sprintf("%s, %s: %s", o.Indicator, o.Place, value)
	default:
		return Entry{}, false
	}
	return e, true
}

// entries renders record nodes, merging lines that say the same thing (one
// figure from two sources) and sorting by date, undated last.
func (r *reader) entries(ids []quad.IRI) ([]Entry, error) {
	var out []Entry
	index := map[string]int{}
	for _, id := range ids {
		p, err := r.out(id)
		if err != nil {
			return nil, err
		}
		e, ok := r.entry(id, p)
		if !ok {
			continue
		}
		key := e.Date + "\x00" + e.Kind + "\x00" + e.Summary
		if i, seen := index[key]; seen {
			out[i].Sources = mergeSources(out[i].Sources, e.Sources)
			continue
		}
		index[key] = len(out)
		out = append(out, e)
	}
	// By date, then summary, then id: two records that read alike (a
	// policy and an event of one name and date) keep one order.
	slices.SortFunc(out, func(a, b Entry) int { return entryOrder.compare(&a, &b) })
	return out, nil
}

// HumanNumber writes a figure for people: 3000000000 as "3 billion",
// 86000 as "86,000", 5.4 as "5.4".
func HumanNumber(f float64) string {
	abs := f
	if abs < 0 {
		abs = -abs
	}
	for _, u := range []struct {
		n    float64
		name string
	}{{1e12, "trillion"}, {1e9, "billion"}, {1e6, "million"}} {
		if abs >= u.n {
			return strconv.FormatFloat(f/u.n, 'f', -1, 64) + " " + u.name
		}
	}
	if f == float64(int64(f)) {
		s := strconv.FormatInt(int64(abs), 10)
		for i := len(s) - 3; i > 0; i -= 3 {
			s = s[:i] + "," + s[i:]
		}
		if f < 0 {
			s = "-" + s
		}
		return s
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
