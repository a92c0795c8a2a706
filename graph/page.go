package graph

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/rustbelt/rustbelt/fail"
)

// Page asks for one part of a list. The zero Page asks for all of it: a list
// is never cut unless a limit is asked for.
type Page struct {
	// Limit is the most rows to return; 0 returns every row.
	Limit int
	// After is the Next of the page before, or "" for the first page.
	After string
}

// Paged is one page of a list.
type Paged[T any] struct {
	Rows []T
	// Next is the cursor of the page after this one: pass it as Page.After
	// for the rows that follow. It is "" when no rows follow.
	Next string
	// Total is how many rows the whole list has.
	Total int
}

// A cursor names the last row of a page by that row's whole sort key, ending
// with the record id that makes every row's key its own, rather than by a
// position: a page asked for after the store changed resumes after the same
// row (or where it was) instead of skipping or repeating rows. Encoded as
// base64url of a JSON array, it is opaque to users but holds nothing that
// the rows do not show, and the list's name in it keeps a cursor of one list
// from being read as one of another.

// order is how one list is sorted and how its cursors read.
type order[T any] struct {
	// name names the list in its cursors.
	name string
	// compare is the list's order, the one its question sorts by; rows
	// whose keys are equal compare 0, and no two rows of a list have equal
	// keys.
	compare func(a, b *T) int
	// key returns the fields compare reads, the record's id last; setKey
	// sets them on a zero row, which then compares as the row it came from.
	key    func(*T) []string
	setKey func(*T, []string)
}

// cursor encodes the key of row.
func (o order[T]) cursor(row *T) string {
	b, err := json.Marshal(append([]string{o.name}, o.key(row)...))
	if err != nil { // strings always encode
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// probe decodes a cursor into a row that compares as the row it was made
// from; a cursor that is not one of this list's is Invalid.
func (o order[T]) probe(cursor string) (T, error) {
	var zero, probe T
	malformed := fail.Errorf(fail.Invalid, "malformed cursor %q: pass the next cursor of a page of this list as it was given", clipCursor(cursor))
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return zero, malformed
	}
	var fields []string
	if err := json.Unmarshal(b, &fields); err != nil || len(fields) != len(o.key(&zero))+1 || fields[0] != o.name {
		return zero, malformed
	}
	o.setKey(&probe, fields[1:])
	return probe, nil
}

// clipCursor keeps an error message short when a cursor is long.
func clipCursor(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// check reports a page that cannot be asked for.
func (p Page) check() error {
	if p.Limit < 0 {
		return fail.Errorf(fail.Invalid, "limit %d: expected 1 or more (or none, for every row)", p.Limit)
	}
	return nil
}

// page cuts a page out of rows, which are sorted by o: at most limit rows
// (every row for 0) after the row that after (decoded from a cursor, or nil
// for the first page) compares as, copied, since callers may change what
// they get.
func page[T any](rows []T, o order[T], limit int, after *T) Paged[T] {
	start := 0
	if after != nil {
		start = sort.Search(len(rows), func(i int) bool { return o.compare(&rows[i], after) > 0 })
	}
	end := len(rows)
	if limit > 0 && start+limit < end {
		end = start + limit
	}
	out := Paged[T]{Rows: make([]T, 0, end-start), Total: len(rows)}
	for i := start; i < end; i++ {
		out.Rows = append(out.Rows, cloneRow(rows[i])) // cached rows are shared
	}
	if end < len(rows) {
		out.Next = o.cursor(&rows[end-1])
	}
	return out
}

// list answers one page of a listing question. build answers the whole
// list, sorted by o, in a new slice; where the store allows (see
// reader.records) the list is kept for its generation of the store, so
// that asking for the next page, or the same page again, costs a lookup
// and the copy of one page, not the question.
func list[T any](ctx context.Context, g *Graph, o order[T], filter any, p Page, build func() ([]T, Notes, error)) (Paged[T], Notes, error) {
	// A page that cannot be asked for is refused before the question runs.
	if err := p.check(); err != nil {
		return Paged[T]{}, nil, err
	}
	var after *T
	if p.After != "" {
		probe, err := o.probe(p.After)
		if err != nil {
			return Paged[T]{}, nil, err
		}
		after = &probe
	}
	gen, sole, err := g.storage.Generation(ctx)
	if err != nil {
		return Paged[T]{}, nil, fmt.Errorf("read the store's generation: %w", err)
	}
	var rows []T
	var notes Notes
	if sole {
		key, err := json.Marshal(filter)
		if err != nil {
			return Paged[T]{}, nil, err
		}
		v, err := g.cache.at(gen).lists.get(ctx, o.name+"\x00"+string(key), func() (any, int, Notes, error) {
			rows, notes, err := build()
			return rows, len(rows), notes, err
		})
		if err != nil {
			return Paged[T]{}, v.notes, err
		}
		rows, notes = v.rows.([]T), slices.Clone(v.notes)
	} else {
		if rows, notes, err = build(); err != nil {
			return Paged[T]{}, notes, err
		}
	}
	return page(rows, o, p.Limit, after), notes, nil
}

// compareDates orders sortable dates as dateLess does: undated ("") last.
func compareDates(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}

// The orders of the lists. Each is the order its question sorts by, and
// TestOrders holds them to it.
var (
	appointmentOrder = order[Appointment]{
		name: "appointments",
		compare: func(a, b *Appointment) int {
			return cmp.Or(compareDates(a.DateStart, b.DateStart), strings.Compare(a.Person, b.Person), strings.Compare(a.ID, b.ID))
		},
		key:    func(a *Appointment) []string { return []string{a.DateStart, a.Person, a.ID} },
		setKey: func(a *Appointment, k []string) { a.DateStart, a.Person, a.ID = k[0], k[1], k[2] },
	}
	policyOrder = order[PolicyHit]{
		name: "policies",
		compare: func(a, b *PolicyHit) int {
			return cmp.Or(compareDates(a.DateStart, b.DateStart), strings.Compare(a.ID, b.ID))
		},
		key:    func(h *PolicyHit) []string { return []string{h.DateStart, h.ID} },
		setKey: func(h *PolicyHit, k []string) { h.DateStart, h.ID = k[0], k[1] },
	}
	investmentOrder = order[Investment]{
		name:    "investments",
		compare: func(a, b *Investment) int { return strings.Compare(a.ID, b.ID) },
		key:     func(i *Investment) []string { return []string{i.ID} },
		setKey:  func(i *Investment, k []string) { i.ID = k[0] },
	}
	observationOrder = order[Observation]{
		name: "indicators",
		compare: func(a, b *Observation) int {
			return cmp.Or(
				strings.Compare(a.Indicator, b.Indicator),
				compareDates(periodKey(a.Period), periodKey(b.Period)),
				strings.Compare(a.Period, b.Period),
				strings.Compare(a.Place, b.Place),
				strings.Compare(firstID(a.IDs), firstID(b.IDs)),
			)
		},
		key: func(o *Observation) []string { return []string{o.Indicator, o.Period, o.Place, firstID(o.IDs)} },
		setKey: func(o *Observation, k []string) {
			o.Indicator, o.Period, o.Place, o.IDs = k[0], k[1], k[2], []string{k[3]}
		},
	}
	entryOrder = order[Entry]{
		name: "timeline",
		compare: func(a, b *Entry) int {
			return cmp.Or(compareDates(a.DateStart, b.DateStart), strings.Compare(a.Summary, b.Summary), strings.Compare(a.ID, b.ID))
		},
		key:    func(e *Entry) []string { return []string{e.DateStart, e.Summary, e.ID} },
		setKey: func(e *Entry, k []string) { e.DateStart, e.Summary, e.ID = k[0], k[1], k[2] },
	}
	sourceOrder = order[SourceInfo]{
		name:    "sources",
		compare: func(a, b *SourceInfo) int { return strings.Compare(a.ID, b.ID) },
		key:     func(s *SourceInfo) []string { return []string{s.ID} },
		setKey:  func(s *SourceInfo, k []string) { s.ID = k[0] },
	}
	indicatorInfoOrder = order[IndicatorInfo]{
		name:    "indicator-list",
		compare: func(a, b *IndicatorInfo) int { return strings.Compare(a.ID, b.ID) },
		key:     func(i *IndicatorInfo) []string { return []string{i.ID} },
		setKey:  func(i *IndicatorInfo, k []string) { i.ID = k[0] },
	}
)

func firstID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// AppointmentsPage is one page of Appointments.
func (g *Graph) AppointmentsPage(ctx context.Context, f AppointmentFilter, p Page) (Paged[Appointment], Notes, error) {
	return list(ctx, g, appointmentOrder, f, p, func() ([]Appointment, Notes, error) { return g.Appointments(ctx, f) })
}

// PoliciesPage is one page of Policies.
func (g *Graph) PoliciesPage(ctx context.Context, f PolicyFilter, p Page) (Paged[PolicyHit], Notes, error) {
	return list(ctx, g, policyOrder, f, p, func() ([]PolicyHit, Notes, error) { return g.Policies(ctx, f) })
}

// InvestmentsPage is one page of Investments.
func (g *Graph) InvestmentsPage(ctx context.Context, f InvestmentFilter, p Page) (Paged[Investment], Notes, error) {
	return list(ctx, g, investmentOrder, f, p, func() ([]Investment, Notes, error) { return g.Investments(ctx, f) })
}

// IndicatorsPage is one page of Indicators.
func (g *Graph) IndicatorsPage(ctx context.Context, f IndicatorFilter, p Page) (Paged[Observation], Notes, error) {
	return list(ctx, g, observationOrder, f, p, func() ([]Observation, Notes, error) { return g.Indicators(ctx, f) })
}

// TimelinePage is one page of Timeline.
func (g *Graph) TimelinePage(ctx context.Context, place string, p Page) (Paged[Entry], Notes, error) {
	return list(ctx, g, entryOrder, place, p, func() ([]Entry, Notes, error) { return g.Timeline(ctx, place) })
}

// SourcesPage is one page of Sources.
func (g *Graph) SourcesPage(ctx context.Context, p Page) (Paged[SourceInfo], error) {
	out, _, err := list(ctx, g, sourceOrder, nil, p, func() ([]SourceInfo, Notes, error) {
		rows, err := g.Sources(ctx)
		return rows, nil, err
	})
	return out, err
}

// IndicatorListPage is one page of IndicatorList.
func (g *Graph) IndicatorListPage(ctx context.Context, p Page) (Paged[IndicatorInfo], error) {
	out, _, err := list(ctx, g, indicatorInfoOrder, nil, p, func() ([]IndicatorInfo, Notes, error) {
		rows, err := g.IndicatorList(ctx)
		return rows, nil, err
	})
	return out, err
}
