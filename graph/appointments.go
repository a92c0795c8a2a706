package graph

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// AppointmentFilter selects appointments. Places match themselves and every
// place inside them; all fields are optional.
type AppointmentFilter struct {
	From   string
	To     string
	Person string
	DateRange
}

// Appointment is an official's move from one post and place to another.
type Appointment struct {
	Person        string      `json:"person"`
	FromPost      string      `json:"from_post"`
	FromPlace     string      `json:"from_place"`
	ToPost        string      `json:"to_post"`
	ToPlace       string      `json:"to_place"`
	Date          string      `json:"date"`
	Kind          string      `json:"kind"`
	Sources       []SourceRef `json:"sources"`
	ID            string      `json:"id" table:"-"`
	PersonID      string      `json:"person_id" table:"-"`
	FromPlaceID   string      `json:"from_place_id" table:"-"`
	ToPlaceID     string      `json:"to_place_id" table:"-"`
	DateStart     string      `json:"date_start" table:"-"`
	DateEnd       string      `json:"date_end" table:"-"`
	DatePrecision string      `json:"date_precision" table:"-"`
}

// Appointments lists the cross-regional appointments that match f, by date.
// Moves for a job at a company (rb:Relocation) are not appointments.
func (s *Store) Appointments(ctx context.Context, f AppointmentFilter) ([]Appointment, Notes, error) {
	if err := f.check(); err != nil {
		return nil, nil, err
	}
	r, done := s.read(ctx)
	defer done()
	var notes Notes
	var from, to map[quad.IRI]bool
	var person quad.IRI
	var err error
	if f.From != "" {
		if _, from, err = s.placeSet(r, &notes, f.From); err != nil {
			return nil, notes, err
		}
	}
	if f.To != "" {
		if _, to, err = s.placeSet(r, &notes, f.To); err != nil {
			return nil, notes, err
		}
	}
	if f.Person != "" {
		if person, err = s.resolveArg(r, &notes, f.Person, schema.Person); err != nil {
			return nil, notes, err
		}
	}
	var candidates []quad.IRI
	switch {
	case person != "":
		candidates, err = r.subjects(person, schema.PersonOf)
	case to != nil:
		candidates, err = r.recordsAt(to, schema.ToPlace, schema.Appointment)
	case from != nil:
		candidates, err = r.recordsAt(from, schema.FromPlace, schema.Appointment)
	default:
		candidates, err = r.all(schema.Appointment)
	}
	if err != nil {
		return nil, notes, err
	}
	var out []Appointment
	for _, id := range candidates {
		p, err := r.out(id)
		if err != nil {
			return nil, notes, err
		}
		if !p.has(schema.Appointment) ||
			(from != nil && !anyIn(p.refs(schema.FromPlace), from)) ||
			(to != nil && !anyIn(p.refs(schema.ToPlace), to)) ||
			(person != "" && !slices.Contains(p.refs(schema.PersonOf), person)) {
			continue
		}
		w := whenOf(p)
		if !f.matches(w.Start, w.End) {
			continue
		}
		out = append(out, r.appointment(id, p, w))
	}
	sort.SliceStable(out, func(i, j int) bool {
		if less, ok := dateLess(out[i].DateStart, out[j].DateStart); ok {
			return less
		}
		return out[i].Person < out[j].Person
	})
	notes.noteEmpty(len(out), "appointments")
	return out, notes, nil
}

func (r *reader) appointment(id quad.IRI, p props, w When) Appointment {
	return Appointment{
		ID:            schema.ShortID(id),
		Person:        strings.Join(r.names(p.refs(schema.PersonOf)), "; "),
		PersonID:      schema.ShortID(p.ref(schema.PersonOf)),
		FromPost:      strings.Join(r.names(p.refs(schema.FromPost)), "; "),
		FromPlace:     strings.Join(r.names(p.refs(schema.FromPlace)), "; "),
		FromPlaceID:   schema.ShortID(p.ref(schema.FromPlace)),
		ToPost:        strings.Join(r.names(p.refs(schema.ToPost)), "; "),
		ToPlace:       strings.Join(r.names(p.refs(schema.ToPlace)), "; "),
		ToPlaceID:     schema.ShortID(p.ref(schema.ToPlace)),
		Date:          w.Text,
		DateStart:     w.Start,
		DateEnd:       w.End,
		DatePrecision: w.Precision,
		Kind:          p.str(schema.AppointKind),
		Sources:       r.citations(p.labels()),
	}
}

func anyIn(nodes []quad.IRI, set map[quad.IRI]bool) bool {
	for _, n := range nodes {
		if set[n] {
			return true
		}
	}
	return false
}
