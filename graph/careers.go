package graph

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// Tenure is a spell in a post as the sources give it: who held it, where,
// from when to when, each bound as precise as its source and "unknown"
// when no source gives it. A tenure is stated (a sheet or an import says
// it), read from appointments (a move from post A to post B on a date ends
// a tenure of A and starts one of B on that date), or both: a stated
// tenure takes in the bounds it lacks from the appointments of its person
// and post that fit it. Its predecessor and successor are the people a
// source names, or else the holders of the post's tenures just before and
// after it, marked so.
type Tenure struct {
	Person      string      `json:"person"`
	Post        string      `json:"post"`
	Place       string      `json:"place" table:"-"` // the post's name says it, mostly
	Start       string      `json:"start"`
	End         string      `json:"end"`
	Status      string      `json:"status,omitempty"` // holders --on: held or possibly
	Why         string      `json:"why,omitempty"`    // why possibly
	Predecessor string      `json:"predecessor"`
	Successor   string      `json:"successor"`
	Sources     []SourceRef `json:"sources"`
	// ID is the stored tenure's; a tenure read from appointments only has
	// none, and names them in DerivedFrom.
	ID             string   `json:"id" table:"-"`
	PersonID       string   `json:"person_id" table:"-"`
	PostID         string   `json:"post_id" table:"-"`
	PlaceID        string   `json:"place_id" table:"-"`
	Kind           string   `json:"kind" table:"-"`
	Stated         bool     `json:"stated" table:"-"`
	DerivedFrom    []string `json:"derived_from" table:"-"`
	StartDate      string   `json:"start_date" table:"-"`
	StartDateEnd   string   `json:"start_date_end" table:"-"`
	StartPrecision string   `json:"start_precision" table:"-"`
	EndDate        string   `json:"end_date" table:"-"`
	EndDateEnd     string   `json:"end_date_end" table:"-"`
	EndPrecision   string   `json:"end_precision" table:"-"`
	PredecessorID  string   `json:"predecessor_id" table:"-"`
	PredecessorHow string   `json:"predecessor_how" table:"-"` // stated, or derived from the post's tenures
	SuccessorID    string   `json:"successor_id" table:"-"`
	SuccessorHow   string   `json:"successor_how" table:"-"`
}

// How a predecessor or successor is known.
const (
	howStated  = "stated"
	howDerived = "derived"
)

// tenure is one tenure as the domain works with it.
type tenure struct {
	id          quad.IRI // the stored record; "" for one read from appointments only
	person      quad.IRI
	post        quad.IRI
	place       quad.IRI
	start, end  bound
	kind        string
	stated      bool
	derivedFrom []quad.IRI
	labels      []quad.IRI
	// What the sources state of the holders before and after.
	statedPred, statedSucc []edge
	pred, succ             neighbour
}

// neighbour is the holder of a post before or after a tenure.
type neighbour struct {
	person quad.IRI
	how    string
	labels []quad.IRI
}

// tenures reads tenures post by post: every tenure of a post, stated or
// read from appointments, is needed to tell a tenure's neighbours.
type tenures struct {
	r      *reader
	byPost map[quad.IRI][]*tenure
}

func newTenures(r *reader) *tenures {
	return &tenures{r: r, byPost: map[quad.IRI][]*tenure{}}
}

// ofPost returns the tenures of a post in order: by start, then end, then
// holder.
func (ts *tenures) ofPost(post quad.IRI) ([]*tenure, error) {
	if list, ok := ts.byPost[post]; ok {
		return list, nil
	}
	r := ts.r
	var list []*tenure
	stated, err := ts.records(post, schema.PostOf, schema.Tenure)
	if err != nil {
		return nil, err
	}
	for _, id := range stated {
		p, err := r.out(id)
		if err != nil {
			return nil, err
		}
		list = append(list, r.statedTenure(id, p))
	}
	derived, err := ts.derived(post)
	if err != nil {
		return nil, err
	}
	for _, d := range derived {
		if s := fitting(list, d); s != nil {
			s.takeIn(d)
			continue
		}
		list = append(list, d)
	}
	for _, t := range list {
		if t.place == "" {
			t.place, err = ts.placeOf(post)
			if err != nil {
				return nil, err
			}
		}
	}
	slices.SortStableFunc(list, compareTenures)
	neighbours(list)
	ts.byPost[post] = list
	return list, nil
}

// records are the records of class that point at node with pred.
func (ts *tenures) records(node quad.IRI, pred quad.IRI, class schema.Class) ([]quad.IRI, error) {
	subs, err := ts.r.subjects(node, pred)
	if err != nil {
		return nil, err
	}
	var out []quad.IRI
	for _, s := range subs {
		p, err := ts.r.out(s)
		if err != nil {
			return nil, err
		}
		if p.has(class) {
			out = append(out, s)
		}
	}
	return out, nil
}

// placeOf is where a post sits.
func (ts *tenures) placeOf(post quad.IRI) (quad.IRI, error) {
	p, err := ts.r.out(post)
	if err != nil {
		return "", err
	}
	return p.ref(schema.PostPlace), nil
}

// statedTenure reads a stored tenure.
func (r *reader) statedTenure(id quad.IRI, p props) *tenure {
	return &tenure{
		id:         id,
		person:     p.ref(schema.PersonOf),
		post:       p.ref(schema.PostOf),
		place:      p.ref(schema.EventPlace),
		start:      statedBound(p.str(schema.Start), p.str(schema.StartPrec), p.labels(schema.Start)),
		end:        statedBound(p.str(schema.End), p.str(schema.EndPrec), p.labels(schema.End)),
		kind:       p.str(schema.AppointKind),
		stated:     true,
		labels:     p.labels(),
		statedPred: p[schema.Predecessor],
		statedSucc: p[schema.Successor],
	}
}

// move is one appointment as it bears on the tenures of one post: it
// starts one (the post is its toPost), ends one (its fromPost), or both.
type move struct {
	id            quad.IRI
	person        quad.IRI
	when          bound
	starts, ends  bool
	place, labels []quad.IRI
	kind          string
}

// derived reads the tenures of a post from the appointments into and out
// of it: for each person, in date order, a move into the post starts a
// tenure and the next move out of it ends that tenure. A move out with no
// move in before it ends a tenure whose start is unknown; a move in with
// none out after it starts one whose end is unknown.
func (ts *tenures) derived(post quad.IRI) ([]*tenure, error) {
	r := ts.r
	var moves []move
	for _, pred := range []quad.IRI{schema.ToPost, schema.FromPost} {
		ids, err := ts.records(post, pred, schema.Appointment)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			p, err := r.out(id)
			if err != nil {
				return nil, err
			}
			labels := p.labels()
			for _, person := range p.refs(schema.PersonOf) {
				m := move{id: id, person: person, when: boundOf(whenOf(p), labels), labels: labels, kind: p.str(schema.AppointKind)}
				if pred == schema.ToPost {
					m.starts, m.place = true, p.refs(schema.ToPlace)
				} else {
					m.ends, m.place = true, p.refs(schema.FromPlace)
				}
				moves = append(moves, m)
			}
		}
	}
	slices.SortStableFunc(moves, func(a, b move) int {
		return cmp.Or(
			strings.Compare(string(a.person), string(b.person)),
			strings.Compare(a.when.earliest(), b.when.earliest()),
			strings.Compare(a.when.latest(), b.when.latest()),
			boolInt(a.starts)-boolInt(b.starts), // out of the post before into it again
			strings.Compare(string(a.id), string(b.id)),
		)
	})
	var out []*tenure
	for first := 0; first < len(moves); {
		next := first
		for next < len(moves) && moves[next].person == moves[first].person {
			next++
		}
		out = append(out, pairMoves(post, moves[first:next])...)
		first = next
	}
	return out, nil
}

// pairMoves reads the tenures of one person in one post from their moves
// into and out of it, in date order.
func pairMoves(post quad.IRI, moves []move) []*tenure {
	var out []*tenure
	var open *tenure
	for _, m := range moves {
		switch {
		case m.starts:
			if open != nil {
				out = append(out, open)
			}
			open = &tenure{person: m.person, post: post, start: m.when, end: unknownBound(), kind: m.kind}
			open.from(m)
		case open != nil:
			open.end = m.when
			open.from(m)
			out, open = append(out, open), nil
		default:
			t := &tenure{person: m.person, post: post, start: unknownBound(), end: m.when}
			t.from(m)
			out = append(out, t)
		}
	}
	if open != nil {
		out = append(out, open)
	}
	return out
}

// from notes that a tenure is read from move m.
func (t *tenure) from(m move) {
	t.derivedFrom = append(t.derivedFrom, m.id)
	t.labels = mergeLabels(t.labels, m.labels)
	if t.place == "" && len(m.place) == 1 {
		t.place = m.place[0]
	}
}

// fitting is the first stated tenure of list that a tenure read from
// appointments may be: the same person, and bounds that may be the same
// days (either unknown, or spans that meet).
func fitting(list []*tenure, d *tenure) *tenure {
	for _, s := range list {
		if s.stated && s.person == d.person && compatible(s.start, d.start) && compatible(s.end, d.end) {
			return s
		}
	}
	return nil
}

// takeIn adds to a stated tenure what the appointments give of it: the
// bounds it does not state (a stated bound stands as the source gives it),
// and their sources.
func (t *tenure) takeIn(d *tenure) {
	if !t.start.known() {
		t.start = d.start
	}
	if !t.end.known() {
		t.end = d.end
	}
	t.derivedFrom = append(t.derivedFrom, d.derivedFrom...)
	t.labels = mergeLabels(t.labels, d.labels)
	if t.kind == "" {
		t.kind = d.kind
	}
}

// compareTenures orders a post's tenures: by the first day each may have
// started (unknown starts by their end), then by holder.
func compareTenures(a, b *tenure) int {
	return cmp.Or(
		strings.Compare(a.sortKey(), b.sortKey()),
		boolInt(a.start.known())-boolInt(b.start.known()), // one that ends on a day before one that starts
		strings.Compare(a.end.earliest(), b.end.earliest()),
		strings.Compare(string(a.person), string(b.person)),
		strings.Compare(string(a.id), string(b.id)),
	)
}

// sortKey places a tenure in time: its start, or, when only its end is
// known, that end; a tenure with neither comes last.
func (t *tenure) sortKey() string {
	switch {
	case t.start.known():
		return t.start.earliest()
	case t.end.known():
		return t.end.earliest()
	}
	return afterAll
}

// neighbours sets each tenure's predecessor and successor: the people its
// sources name, or else the holders of the post's tenures that may end as
// it starts (or before) and may start as it ends (or after), the nearest
// each way. A tenure whose bound is unknown, or known only as "by" a day,
// has no derived neighbour on that side: who came before a start nobody
// dates cannot be told.
func neighbours(list []*tenure) {
	for _, t := range list {
		t.pred = statedNeighbour(t.statedPred)
		t.succ = statedNeighbour(t.statedSucc)
		var before, after *tenure
		for _, u := range list {
			if u.person == t.person {
				continue
			}
			if dated(t.start) && dated(u.end) && u.end.earliest() <= t.start.latest() && u.start.earliest() <= t.start.latest() &&
				(before == nil || u.end.earliest() > before.end.earliest()) {
				before = u
			}
			if dated(t.end) && dated(u.start) && u.start.latest() >= t.end.earliest() && u.end.latest() >= t.end.earliest() &&
				(after == nil || u.start.latest() < after.start.latest()) {
				after = u
			}
		}
		if t.pred.person == "" && before != nil {
			t.pred = neighbour{person: before.person, how: howDerived, labels: before.labels}
		}
		if t.succ.person == "" && after != nil {
			t.succ = neighbour{person: after.person, how: howDerived, labels: after.labels}
		}
	}
}

// dated reports whether a bound is a date or a range of dates: a bound
// known only as "by" the day of an article may lie years before it, and
// places no tenure next to another.
func dated(b bound) bool {
	return b.known() && b.precision != schema.PrecisionReported
}

func statedNeighbour(edges []edge) neighbour {
	for _, e := range edges {
		if iri, ok := e.node.(quad.IRI); ok {
			n := neighbour{person: iri, how: howStated}
			if l, ok := e.label.(quad.IRI); ok {
				n.labels = []quad.IRI{l}
			}
			return n
		}
	}
	return neighbour{}
}

// row is the tenure as the commands and the server give it.
func (r *reader) tenureRow(t *tenure) Tenure {
	row := Tenure{
		Person:         r.name(t.person),
		Post:           r.name(t.post),
		Place:          r.name(t.place),
		Start:          t.start.text,
		End:            t.end.text,
		Sources:        r.citations(t.labels),
		ID:             schema.ShortID(t.id),
		PersonID:       schema.ShortID(t.person),
		PostID:         schema.ShortID(t.post),
		PlaceID:        schema.ShortID(t.place),
		Kind:           t.kind,
		Stated:         t.stated,
		DerivedFrom:    []string{},
		StartDate:      t.start.date,
		StartDateEnd:   t.start.dateEnd,
		StartPrecision: t.start.precision,
		EndDate:        t.end.date,
		EndDateEnd:     t.end.dateEnd,
		EndPrecision:   t.end.precision,
	}
	for _, d := range t.derivedFrom {
		row.DerivedFrom = append(row.DerivedFrom, schema.ShortID(d))
	}
	if t.pred.person != "" {
		row.Predecessor = fmt.Sprintf("%s (%s)", r.name(t.pred.person), t.pred.how)
		row.PredecessorID, row.PredecessorHow = schema.ShortID(t.pred.person), t.pred.how
	}
	if t.succ.person != "" {
		row.Successor = fmt.Sprintf("%s (%s)", r.name(t.succ.person), t.succ.how)
		row.SuccessorID, row.SuccessorHow = schema.ShortID(t.succ.person), t.succ.how
	}
	return row
}

// Career is a person's tenures and moves, and a timeline of both in date
// order with the gaps and overlaps between the tenures.
type Career struct {
	Person   Entity        `json:"person"`
	Timeline []CareerLine  `json:"timeline"`
	Tenures  []Tenure      `json:"tenures"`
	Moves    []Appointment `json:"moves"`
}

// CareerLine is one line of a career's timeline: a tenure, a move, or a
// gap or overlap between tenures that the bounds make certain.
type CareerLine struct {
	Start   string      `json:"start"`
	End     string      `json:"end"`
	What    string      `json:"what"` // tenure, move, gap or overlap
	Summary string      `json:"summary"`
	Note    string      `json:"note"`
	Sources []SourceRef `json:"sources"`
	// ID is the stored tenure's or the appointment's, if any.
	ID string `json:"id" table:"-"`
	// Tenure is the index of the line's tenure in Career.Tenures, or -1.
	Tenure int `json:"tenure" table:"-"`
}

// What a career line is.
const (
	lineTenure  = "tenure"
	lineMove    = "move"
	lineGap     = "gap"
	lineOverlap = "overlap"
)

// Career resolves a person and gathers the tenures and moves of their
// career.
func (g *Graph) Career(ctx context.Context, person string) (*Career, Notes, error) {
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	who, err := g.resolveArg(r, &notes, person, schema.Person)
	if err != nil {
		return nil, notes, err
	}
	ts := newTenures(r)
	list, moves, err := ts.career(who)
	if err != nil {
		return nil, notes, err
	}
	c := &Career{Person: r.entity(who), Timeline: []CareerLine{}, Tenures: []Tenure{}, Moves: []Appointment{}}
	for _, t := range list {
		c.Tenures = append(c.Tenures, r.tenureRow(t))
	}
	for _, id := range moves {
		e, err := r.appointmentEntry(id)
		if err != nil {
			return nil, notes, err
		}
		row := e.row
		row.Sources = slices.Clone(row.Sources) // the entry is shared
		c.Moves = append(c.Moves, row)
	}
	c.Timeline = careerTimeline(list, c)
	if len(list) == 0 && len(moves) == 0 {
		notes = append(notes, "no tenures or moves of "+c.Person.Name+" are known")
	}
	return answer(r, c, notes)
}

// career returns a person's tenures, in order, and their appointments.
func (ts *tenures) career(person quad.IRI) ([]*tenure, []quad.IRI, error) {
	stated, err := ts.records(person, schema.PersonOf, schema.Tenure)
	if err != nil {
		return nil, nil, err
	}
	moves, err := ts.records(person, schema.PersonOf, schema.Appointment)
	if err != nil {
		return nil, nil, err
	}
	var posts iriSet
	for _, id := range stated {
		p, err := ts.r.out(id)
		if err != nil {
			return nil, nil, err
		}
		posts.add(p.refs(schema.PostOf)...)
	}
	for _, id := range moves {
		p, err := ts.r.out(id)
		if err != nil {
			return nil, nil, err
		}
		posts.add(p.refs(schema.FromPost)...)
		posts.add(p.refs(schema.ToPost)...)
	}
	var list []*tenure
	for _, post := range posts.list {
		all, err := ts.ofPost(post)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range all {
			if t.person == person {
				list = append(list, t)
			}
		}
	}
	slices.SortStableFunc(list, compareTenures)
	slices.SortStableFunc(moves, func(a, b quad.IRI) int { return strings.Compare(string(a), string(b)) })
	return list, moves, nil
}

// careerTimeline puts a career's tenures and moves in date order, and
// marks the gaps and overlaps its bounds make certain: a gap when one
// tenure surely ends before the next surely starts and no other may fill
// the days between; an overlap when two surely share a day.
func careerTimeline(list []*tenure, c *Career) []CareerLine {
	type keyed struct {
		line  CareerLine
		key   string
		order int // on one day: a tenure that ends, the move, a tenure that starts
	}
	var lines []keyed
	for i, t := range list {
		row := c.Tenures[i]
		line := CareerLine{Start: row.Start, End: row.End, What: lineTenure, Summary: placed(row.Post, row.Place), Sources: row.Sources, ID: row.ID, Tenure: i}
		line.Note = tenureNote(row)
		order := 2
		if !t.start.known() {
			order = 0
		}
		lines = append(lines, keyed{line, t.sortKey(), order})
	}
	for _, m := range c.Moves {
		key := afterAll
		if m.DatePrecision != schema.PrecisionUnknown && m.DateStart != "" {
			key = firstDay(m.DateStart)
			if m.DatePrecision == schema.PrecisionReported {
				key = m.DateStart // a day, and the move was on it or before
			}
		}
		summary := fmt.Sprintf("%s → %s", placed(orUnknown(m.FromPost), m.FromPlace), placed(m.ToPost, m.ToPlace))
		if m.Kind != "" {
			summary += ", " + m.Kind
		}
		lines = append(lines, keyed{CareerLine{Start: m.Date, What: lineMove, Summary: summary, Sources: m.Sources, ID: m.ID, Tenure: -1}, key, 1})
	}
	for _, gap := range gapsAndOverlaps(list, c.Tenures) {
		lines = append(lines, keyed{gap.line, gap.key, 3})
	}
	slices.SortStableFunc(lines, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.key, b.key), a.order-b.order)
	})
	out := make([]CareerLine, len(lines))
	for i, l := range lines {
		out[i] = l.line
	}
	return out
}

// placed writes a post with its place: "Party secretary of Suzhou (Suzhou)".
func placed(post, place string) string {
	if place == "" {
		return post
	}
	return post + " (" + place + ")"
}

// tenureNote says where a tenure comes from and who held the post before
// and after.
func tenureNote(t Tenure) string {
	var parts []string
	switch {
	case t.Stated && len(t.DerivedFrom) > 0:
		parts = append(parts, "stated; bounds also from "+strings.Join(t.DerivedFrom, ", "))
	case len(t.DerivedFrom) > 0:
		parts = append(parts, "read from "+strings.Join(t.DerivedFrom, ", "))
	}
	if t.Predecessor != "" {
		parts = append(parts, "after "+t.Predecessor)
	}
	if t.Successor != "" {
		parts = append(parts, "before "+t.Successor)
	}
	if t.Kind != "" {
		parts = append(parts, t.Kind)
	}
	return strings.Join(parts, "; ")
}

// gapLine is a gap or overlap with the day it sorts by.
type gapLine struct {
	line CareerLine
	key  string
}

// gapsAndOverlaps finds the gaps and overlaps between a person's tenures
// that their bounds make certain.
func gapsAndOverlaps(list []*tenure, rows []Tenure) []gapLine {
	var out []gapLine
	for i, a := range list {
		for j := i + 1; j < len(list); j++ {
			b := list[j]
			first := max(a.start.latest(), b.start.latest())
			last := min(a.end.earliest(), b.end.earliest())
			if a.start.known() && b.start.known() && a.end.known() && b.end.known() && first <= last {
				out = append(out, gapLine{CareerLine{
					Start: first, End: last, What: lineOverlap,
					Summary: rows[i].Post + " and " + rows[j].Post,
					Note:    fmt.Sprintf("both held from %s to %s at least", first, last),
					Sources: mergeSources(slices.Clone(rows[i].Sources), rows[j].Sources), Tenure: -1,
				}, first})
			}
		}
	}
	// Gaps: in order of the first day each may have started, the latest
	// day any tenure so far may have lasted to; a next tenure that surely
	// starts after it leaves the days between without a tenure.
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		return strings.Compare(list[i].start.earliest(), list[j].start.earliest())
	})
	reach, last := "", -1
	for _, j := range order {
		b := list[j]
		if last >= 0 && reach < b.start.earliest() {
			a := list[last]
			out = append(out, gapLine{CareerLine{
				Start: a.end.text, End: b.start.text, What: lineGap,
				Summary: "no tenure known",
				Note:    fmt.Sprintf("between %s (ends %s) and %s (starts %s)", rows[last].Post, a.end.text, rows[j].Post, b.start.text),
				Sources: []SourceRef{}, Tenure: -1,
			}, a.end.latest()})
		}
		if end := b.end.latest(); last < 0 || end > reach {
			reach, last = end, j
		}
	}
	return out
}

// mergeLabels is the sorted union of two label lists.
func mergeLabels(a, b []quad.IRI) []quad.IRI {
	out := slices.Clone(a)
	for _, l := range b {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// tenureEntry writes a stored tenure as a line of a card: its holder, post
// and place, its bounds, and who held the post before and after, as the
// post's tenures tell.
func (r *reader) tenureEntry(id quad.IRI, p props, e *Entry) {
	t := r.statedTenure(id, p)
	if list, err := newTenures(r).ofPost(t.post); err == nil { // else check reports it
		for _, u := range list {
			if u.id == id {
				t = u
			}
		}
	}
	row := r.tenureRow(t)
	e.Kind = "tenure"
	e.Date = row.Start + " to " + row.End
	e.DateStart = cmp.Or(row.StartDate, row.EndDate)
	e.Summary = fmt.Sprintf("%s: %s", row.Person, placed(row.Post, row.Place))
	if row.Predecessor != "" {
		e.Summary += "; after " + row.Predecessor
	}
	if row.Successor != "" {
		e.Summary += "; before " + row.Successor
	}
	e.Sources = row.Sources
}
