package graph

import (
	"time"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// bound is one end of a tenure as its sources give it: a day, a month or a
// year; a range ("between June and August 2024") or a date by which it
// had happened, when it is read from an appointment dated so; or unknown.
// It is never more precise than the source.
type bound struct {
	// text is for people: "2021", "2023-10", "2024-06/2024-08",
	// "by 2024-12-01", or "unknown".
	text string
	// date and dateEnd are for machines: the date, and the end of a range.
	date, dateEnd string
	precision     string
	labels        []quad.IRI // the sources that give it
}

// unknownText is how a bound the sources do not give reads.
const unknownText = "unknown"

// unknownBound is a bound no source gives.
func unknownBound() bound {
	return bound{text: unknownText, precision: schema.PrecisionUnknown}
}

// statedBound is a tenure's start or end as stored: a date whose
// precision says how much of it the source gives; unknown without one.
func statedBound(date, prec string, labels []quad.IRI) bound {
	if date == "" {
		return unknownBound()
	}
	if prec == "" {
		prec, _ = schema.PrecisionOf(date)
	}
	return bound{text: date, date: date, precision: prec, labels: labels}
}

// boundOf is the date of a record (an appointment) taken as a tenure's
// bound.
func boundOf(w When, labels []quad.IRI) bound {
	if w.Precision == schema.PrecisionUnknown || w.Start == "" {
		return unknownBound()
	}
	return bound{text: w.Text, date: w.Start, dateEnd: w.End, precision: w.Precision, labels: labels}
}

// known reports whether any source gives the bound.
func (b bound) known() bool { return b.precision != schema.PrecisionUnknown && b.date != "" }

// Days bounding the unknown: a bound that is not known, or known only as
// "by" a date, reaches as far as these.
const (
	beforeAll = "0000-01-01"
	afterAll  = "9999-12-31"
)

// earliest is the first day the bound may be: "2023-10" may be
// 2023-10-01; a reported date, or an unknown bound, may be any day before.
func (b bound) earliest() string {
	switch {
	case !b.known(), b.precision == schema.PrecisionReported:
		return beforeAll
	}
	return firstDay(b.date)
}

// latest is the last day the bound may be: "2023-10" may be 2023-10-31, a
// range its end's last day, "by 2024-12-01" that day.
func (b bound) latest() string {
	switch {
	case !b.known():
		return afterAll
	case b.precision == schema.PrecisionRange && b.dateEnd != "":
		return lastDay(b.dateEnd)
	}
	return lastDay(b.date)
}

// compatible reports whether two bounds may be the same day: their spans
// meet, or either is unknown.
func compatible(a, b bound) bool {
	return a.earliest() <= b.latest() && b.earliest() <= a.latest()
}

// firstDay is the first day of the period a partial date names.
func firstDay(date string) string {
	switch len(date) {
	case len("2006"):
		return date + "-01-01"
	case len("2006-01"):
		return date + "-01"
	}
	return date
}

// lastDay is the last day of the period a partial date names.
func lastDay(date string) string {
	switch len(date) {
	case len("2006"):
		return date + "-12-31"
	case len("2006-01"):
		m, err := time.Parse("2006-01", date)
		if err != nil {
			return date + "-31"
		}
		return m.AddDate(0, 1, -1).Format(time.DateOnly)
	}
	return date
}

// span is a date given as an argument (holders --on): the days it names.
type span struct{ text, first, last string }

// parseSpan reads a date argument: a day, or a month or a year for every
// day of it.
func parseSpan(date string) (span, error) {
	if !schema.ValidDate(date) {
		return span{}, fail.Errorf(fail.Invalid, "malformed date %q: expected YYYY, YYYY-MM or YYYY-MM-DD", date)
	}
	if err := calendarDay(date); err != nil {
		return span{}, err
	}
	return span{text: date, first: firstDay(date), last: lastDay(date)}, nil
}
