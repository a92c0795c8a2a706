package graph

import (
	"context"
	"slices"
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
func (g *Graph) Appointments(ctx context.Context, f AppointmentFilter) ([]Appointment, Notes, error) {
	if err := f.check(); err != nil {
		return nil, nil, err
	}
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	var from, to *nodeSet
	var person quad.IRI
	if f.From != "" {
		if _, from, err = g.placeSet(r, &notes, f.From); err != nil {
			return nil, notes, err
		}
	}
	if f.To != "" {
		if _, to, err = g.placeSet(r, &notes, f.To); err != nil {
			return nil, notes, err
		}
	}
	if f.Person != "" {
		if person, err = g.resolveArg(r, &notes, f.Person, schema.Person); err != nil {
			return nil, notes, err
		}
	}
	var candidates []quad.IRI
	switch {
	case person != "":
		candidates, err = r.subjects(person, schema.PersonOf)
	case to != nil: // appointmentEntry checks the class
		candidates, err = r.subjectsAt(to, schema.ToPlace)
	case from != nil:
		candidates, err = r.subjectsAt(from, schema.FromPlace)
	default:
		candidates, err = r.all(schema.Appointment)
	}
	if err != nil {
		return nil, notes, err
	}
	if err := r.outWithRefs(r.unkeptAppointments(candidates)); err != nil {
		return nil, notes, err
	}
	var found []*appointmentEntry
	for _, id := range candidates {
		e, err := r.appointmentEntry(id)
		if err != nil {
			return nil, notes, err
		}
		if e == nil ||
			(from != nil && !from.hasAny(e.from)) ||
			(to != nil && !to.hasAny(e.to)) ||
			(person != "" && !slices.Contains(e.persons, person)) ||
			!f.matches(e.row.DateStart, e.row.DateEnd) {
			continue
		}
		found = append(found, e)
	}
	// Sorting pointers, not rows: a row is twenty strings wide. The order
	// is the one pages are cut by (see page.go).
	slices.SortFunc(found, func(a, b *appointmentEntry) int { return appointmentOrder.compare(&a.row, &b.row) })
	out := make([]Appointment, len(found))
	for i, e := range found {
		out[i] = e.row
		out[i].Sources = slices.Clone(e.row.Sources) // the entry is shared
	}
	notes.noteEmpty(len(out), "appointments")
	return answer(r, out, notes)
}

// appointmentEntry is one appointment record as Appointments filters and
// returns it. Entries are kept per store like props (see propsCache): a
// region's thousands of rows are then built once, not on every request.
type appointmentEntry struct {
	row               Appointment
	from, to, persons []quad.IRI
}

// unkeptAppointments returns the ids whose entries are not kept from an
// earlier request: those that appointmentEntry will build.
func (r *reader) unkeptAppointments(ids []quad.IRI) []quad.IRI {
	if !r.records {
		return ids
	}
	var out []quad.IRI
	for _, id := range ids {
		if _, ok := r.shared.kept.appointments.get(id); !ok {
			out = append(out, id)
		}
	}
	return out
}

// appointmentEntry returns the entry of record id, or nil if id is not an
// appointment.
func (r *reader) appointmentEntry(id quad.IRI) (*appointmentEntry, error) {
	if r.records {
		if e, ok := r.shared.kept.appointments.get(id); ok {
			return e, nil
		}
	}
	p, err := r.out(id)
	if err != nil {
		return nil, err
	}
	var e *appointmentEntry
	if p.has(schema.Appointment) {
		e = &appointmentEntry{
			row:     r.appointment(id, p, whenOf(p)),
			from:    p.refs(schema.FromPlace),
			to:      p.refs(schema.ToPlace),
			persons: p.refs(schema.PersonOf),
		}
	}
	if r.records && r.ok() { // a row built after a failed read has ids for names
		r.shared.kept.appointments.put(id, e)
	}
	return e, nil
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
