package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// FlowFilter selects the appointments a flow matrix counts, and the level
// of place it counts them at: province (the default), region or city.
type FlowFilter struct {
	From  string
	To    string
	Level string
	DateRange
}

// FlowLevel is a level of place that flows count at, and the kinds of
// place at it.
type FlowLevel struct {
	Name  string
	Kinds []string
}

// FlowLevels are the levels flows count at, from the broadest, and the
// kinds of place each rolls up to: a municipality is a province-level
// place and a city.
var FlowLevels = []FlowLevel{
	{"region", []string{"region"}},
	{"province", []string{"province", "municipality", "autonomous region"}},
	{"city", []string{"city", "municipality"}},
}

// Flows is a matrix of moves by origin and destination at one level of
// place: each place rolled up through containment to the place of that
// level that holds it. The moves are the appointments, and the moves that
// careers show and no appointment records: a stated tenure and the
// person's tenure before it.
type Flows struct {
	Level        string     `json:"level"`
	Origins      []Entity   `json:"origins"`
	Destinations []Entity   `json:"destinations"`
	Cells        []FlowCell `json:"cells"`
	Total        int        `json:"total"`
}

// FlowCell is one origin and destination, with the moves it counts: the
// appointments, and the stated tenures a career moves into.
type FlowCell struct {
	From         string   `json:"from"`
	To           string   `json:"to"`
	Count        int      `json:"count"`
	People       []string `json:"people"`
	Appointments []string `json:"appointments"`
	Tenures      []string `json:"tenures"`
	FromID       string   `json:"from_id" table:"-"`
	ToID         string   `json:"to_id" table:"-"`
}

// unknownPlace stands for the origin of an appointment no source gives.
const unknownPlace = "unknown"

// Flows counts the appointments that match f by origin and destination,
// each place rolled up to f.Level. A place in no place of that level (a
// province, at city level; a province no region holds) is counted as
// itself, and a note says so.
func (g *Graph) Flows(ctx context.Context, f FlowFilter) (*Flows, Notes, error) {
	level := cmp.Or(f.Level, "province")
	at := slices.IndexFunc(FlowLevels, func(l FlowLevel) bool { return l.Name == level })
	if at < 0 {
		return nil, nil, fail.Errorf(fail.Invalid, "unknown level %q: expected province, region or city", f.Level)
	}
	if err := f.check(); err != nil {
		return nil, nil, err
	}
	rows, notes, err := g.Appointments(ctx, AppointmentFilter{From: f.From, To: f.To, DateRange: f.DateRange})
	if err != nil {
		return nil, notes, err
	}
	notes = slices.DeleteFunc(notes, func(n string) bool { return n == "no appointments match" })
	r, err := g.read(ctx)
	if err != nil {
		return nil, notes, err
	}
	t, err := g.places(r)
	if err != nil {
		return nil, notes, err
	}
	up := &rollUp{r: r, t: t, level: at, done: map[quad.IRI]quad.IRI{}}
	cells := map[[2]quad.IRI]*FlowCell{}
	var origins, destinations iriSet
	count := func(from, to []quad.IRI, who string, appointment, tenure string) {
		for _, o := range up.all(from) {
			for _, d := range up.all(to) {
				k := [2]quad.IRI{o, d}
				c := cells[k]
				if c == nil {
					c = &FlowCell{FromID: shortOrEmpty(o), ToID: shortOrEmpty(d), People: []string{}, Appointments: []string{}, Tenures: []string{}}
					c.From, c.To = up.name(o), up.name(d)
					cells[k] = c
				}
				c.Count++
				c.People = append(c.People, who)
				if appointment != "" {
					c.Appointments = append(c.Appointments, appointment)
				}
				if tenure != "" {
					c.Tenures = append(c.Tenures, tenure)
				}
				origins.add(o)
				destinations.add(d)
			}
		}
	}
	for _, a := range rows {
		p, err := r.out(schema.ID(a.ID))
		if err != nil {
			return nil, notes, err
		}
		count(p.refs(schema.FromPlace), p.refs(schema.ToPlace), fmt.Sprintf("%s (%s)", a.Person, a.Date), a.ID, "")
	}
	moves, err := g.careerMoves(r, f)
	if err != nil {
		return nil, notes, err
	}
	for _, m := range moves {
		count([]quad.IRI{m.from.place}, []quad.IRI{m.to.place}, fmt.Sprintf("%s (%s, from a career)", r.name(m.to.person), m.to.start.text), "", schema.ShortID(m.to.id))
	}
	out := &Flows{Level: level, Origins: []Entity{}, Destinations: []Entity{}, Cells: []FlowCell{}, Total: len(rows) + len(moves)}
	for _, c := range cells {
		out.Cells = append(out.Cells, *c)
	}
	slices.SortFunc(out.Cells, func(a, b FlowCell) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	out.Origins = up.entities(origins.list)
	out.Destinations = up.entities(destinations.list)
	notes = append(notes, up.notes...)
	notes.noteEmpty(out.Total, "appointments or careers")
	return answer(r, out, notes)
}

// careerMove is a move a career shows: from a person's tenure to their
// stated tenure that may start as it ends.
type careerMove struct {
	from, to *tenure
}

// careerMoves are the moves careers show that no appointment records and
// that match f: for each stated tenure whose start and place are known,
// the person's tenure that may end as it starts (the latest of those), when
// that one's place is known and no appointment records both. Where a
// sheet or import states a career, its moves count as an appointment's do.
func (g *Graph) careerMoves(r *reader, f FlowFilter) ([]careerMove, error) {
	var notes Notes // the appointments' question has noted how it read the places
	var from, to *nodeSet
	var err error
	if f.From != "" {
		if _, from, err = g.placeSet(r, &notes, f.From); err != nil {
			return nil, err
		}
	}
	if f.To != "" {
		if _, to, err = g.placeSet(r, &notes, f.To); err != nil {
			return nil, err
		}
	}
	stated, err := r.all(schema.Tenure)
	if err != nil {
		return nil, err
	}
	var people iriSet
	for _, id := range stated {
		p, err := r.out(id)
		if err != nil {
			return nil, err
		}
		people.add(p.refs(schema.PersonOf)...)
	}
	slices.Sort(people.list)
	ts := newTenures(r)
	var out []careerMove
	for _, person := range people.list {
		list, _, err := ts.career(person)
		if err != nil {
			return nil, err
		}
		for _, b := range list {
			if !b.stated || !dated(b.start) || b.place == "" ||
				to != nil && !to.has(b.place) || !f.matches(b.start.date, b.start.dateEnd) {
				continue
			}
			var a *tenure
			for _, c := range list {
				if c != b && dated(c.end) && c.place != "" && c.end.earliest() <= b.start.latest() && c.start.earliest() <= b.start.earliest() &&
					(a == nil || c.end.earliest() > a.end.earliest()) {
					a = c
				}
			}
			if a == nil || from != nil && !from.has(a.place) || slices.ContainsFunc(a.derivedFrom, func(id quad.IRI) bool { return slices.Contains(b.derivedFrom, id) }) {
				continue
			}
			out = append(out, careerMove{from: a, to: b})
		}
	}
	return out, nil
}

// rollUp takes places up to the places of one level that hold them.
type rollUp struct {
	r     *reader
	t     *placeTree
	level int // in FlowLevels
	done  map[quad.IRI]quad.IRI
	notes Notes
}

// all rolls up places; none is the unknown place.
func (u *rollUp) all(places []quad.IRI) []quad.IRI {
	if len(places) == 0 {
		return []quad.IRI{""}
	}
	var out iriSet
	for _, p := range places {
		out.add(u.one(p))
	}
	return out.list
}

// one is the nearest place of the level that holds p, or is p: by the
// shortest chain of containment, the first id on a tie. A place in none
// (a city of a province no region holds) is taken to the nearest place of
// the levels below that holds it, else counted as itself; a note says so.
func (u *rollUp) one(p quad.IRI) quad.IRI {
	if up, ok := u.done[p]; ok {
		return up
	}
	best := p
	for l := u.level; l < len(FlowLevels); l++ {
		if anc := u.at(p, FlowLevels[l].Kinds); anc != "" {
			best = anc
			break
		}
	}
	switch level := FlowLevels[u.level]; {
	case best != p:
		if !slices.Contains(level.Kinds, u.kind(best)) {
			u.notes = append(u.notes, fmt.Sprintf("%s lies in no %s the store knows: counted as %s (%s)", u.r.name(p), level.Name, u.r.name(best), u.kind(best)))
		}
	case !slices.Contains(level.Kinds, u.kind(p)):
		u.notes = append(u.notes, fmt.Sprintf("%s lies in no %s the store knows: counted as itself", u.r.name(p), level.Name))
	}
	u.done[p] = best
	return best
}

// at is the nearest place of kinds that holds p or is p, or "".
func (u *rollUp) at(p quad.IRI, kinds []string) quad.IRI {
	var best quad.IRI
	bestLen := 0
	for anc, chain := range u.t.Ancestors(p) {
		if !slices.Contains(kinds, u.kind(anc)) {
			continue
		}
		if best == "" || len(chain) < bestLen || len(chain) == bestLen && anc < best {
			best, bestLen = anc, len(chain)
		}
	}
	return best
}

// kind is a place's kind; "" if it cannot be read (the reader keeps the
// error, and no answer is given).
func (u *rollUp) kind(p quad.IRI) string {
	props, err := u.r.out(p)
	if err != nil {
		return ""
	}
	return props.str(schema.PlaceKind)
}

func (u *rollUp) name(p quad.IRI) string {
	if p == "" {
		return unknownPlace
	}
	return u.r.name(p)
}

// entities describes places by name, in name order; the unknown place
// last.
func (u *rollUp) entities(places []quad.IRI) []Entity {
	out := make([]Entity, 0, len(places))
	for _, p := range places {
		if p == "" {
			out = append(out, Entity{Name: unknownPlace})
			continue
		}
		out = append(out, u.r.entity(p))
	}
	slices.SortStableFunc(out, func(a, b Entity) int {
		return cmp.Or(boolInt(a.ID == "")-boolInt(b.ID == ""), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return out
}

func shortOrEmpty(p quad.IRI) string {
	if p == "" {
		return ""
	}
	return schema.ShortID(p)
}
