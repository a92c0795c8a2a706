package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// HolderFilter asks who held a post, or the posts of a place (and of the
// places inside it); On, a date, keeps the tenures that held it then.
type HolderFilter struct {
	Post  string
	Place string
	On    string
}

// What holders --on says of a tenure.
const (
	// StatusHeld is a tenure whose bounds surely cover the date.
	StatusHeld = "held"
	// StatusPossibly is a tenure whose bounds may cover the date: a bound
	// is unknown, or less precise than the date.
	StatusPossibly = "possibly"
)

// Holders lists the tenures of a post, or of every post of a place, in
// order. With On, only those that may cover that date are kept: "held"
// when their bounds surely cover all of it, "possibly" when they may, with
// why. A date is a day, or a month or a year taken whole.
func (g *Graph) Holders(ctx context.Context, f HolderFilter) ([]Tenure, Notes, error) {
	if (f.Post == "") == (f.Place == "") {
		return nil, nil, fail.Errorf(fail.Invalid, "name a post or a place (one of them)")
	}
	var on *span
	if f.On != "" {
		d, err := parseSpan(f.On)
		if err != nil {
			return nil, nil, err
		}
		on = &d
	}
	r, err := g.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	var notes Notes
	var posts []quad.IRI
	if f.Post != "" {
		post, err := g.resolveArg(r, &notes, f.Post, schema.Post)
		if err != nil {
			return nil, notes, err
		}
		posts = []quad.IRI{post}
	} else {
		_, within, err := g.placeSet(r, &notes, f.Place)
		if err != nil {
			return nil, notes, err
		}
		if posts, err = r.recordsAt(within, schema.PostPlace, schema.Post); err != nil {
			return nil, notes, err
		}
		slices.SortStableFunc(posts, func(a, b quad.IRI) int { return strings.Compare(r.name(a), r.name(b)) })
	}
	ts := newTenures(r)
	out := []Tenure{}
	for _, post := range posts {
		list, err := ts.ofPost(post)
		if err != nil {
			return nil, notes, err
		}
		for _, t := range list {
			row := r.tenureRow(t)
			if on != nil {
				if row.Status, row.Why = t.on(*on); row.Status == "" {
					continue
				}
			}
			out = append(out, row)
		}
	}
	what := "tenures"
	if on != nil {
		what = "tenures on " + on.text
	}
	notes.noteEmpty(len(out), what)
	return answer(r, out, notes)
}

// on says whether a tenure covers every day of d: held when its bounds
// surely do, possibly when they may (why says which bound leaves it
// open), "" when they surely do not. A tenure is held on the days of its
// start and its end.
func (t *tenure) on(d span) (status, why string) {
	if t.start.earliest() > d.last || t.end.latest() < d.first {
		return "", ""
	}
	var open []string
	switch {
	case !t.start.known():
		open = append(open, "start unknown")
	case t.start.latest() > d.first:
		open = append(open, fmt.Sprintf("started %s, which may be after %s began", t.start.text, d.text))
	}
	switch {
	case !t.end.known():
		open = append(open, "end unknown")
	case t.end.earliest() < d.last:
		open = append(open, fmt.Sprintf("ended %s, which may be before %s ended", t.end.text, d.text))
	}
	if len(open) == 0 {
		return StatusHeld, ""
	}
	return StatusPossibly, strings.Join(open, "; ")
}
