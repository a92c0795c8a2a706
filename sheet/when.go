package sheet

import (
	"fmt"
	"strings"

	"github.com/rustbelt/rustbelt/schema"
)

// A record's date is written as the commands print it (graph.When's Text),
// so that a sheet entry and a JSON row read alike:
//
//	2023, 2023-10, 2023-10-05   a year, a month or a day, as the source gives it
//	2024-06/2024-08             between two dates ("between June and August 2024")
//	by 2024-12-01               no date given: reported in the article of that day
//	undated                     neither the event nor the article is dated
const (
	undated      = "undated"
	reportedBy   = "by "
	rangeBetween = "/"
)

// dated is a record's date as the vocabulary holds it.
type dated struct {
	date, end, precision string
}

// parseWhen reads a record's date as a sheet writes it.
func parseWhen(s string) (dated, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == undated:
		return dated{precision: schema.PrecisionUnknown}, nil
	case strings.HasPrefix(s, reportedBy):
		d := strings.TrimSpace(strings.TrimPrefix(s, reportedBy))
		if !schema.ValidDate(d) || len(d) != len("2006-01-02") {
			return dated{}, fmt.Errorf("%q: a reported date is the article's own, written by YYYY-MM-DD", s)
		}
		return dated{date: d, precision: schema.PrecisionReported}, nil
	case strings.Contains(s, rangeBetween):
		from, to, _ := strings.Cut(s, rangeBetween)
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !schema.ValidDate(from) || !schema.ValidDate(to) {
			return dated{}, fmt.Errorf("%q: a range is written FROM/TO, each YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		if to+"~" < from {
			return dated{}, fmt.Errorf("%q ends before it starts", s)
		}
		return dated{date: from, end: to, precision: schema.PrecisionRange}, nil
	}
	if prec, ok := schema.PrecisionOf(s); ok {
		return dated{date: s, precision: prec}, nil
	}
	return dated{}, fmt.Errorf("%q is not a date: write 2023, 2023-10, 2023-10-05, 2024-06/2024-08, by 2024-12-01 or undated", s)
}

// text writes the date as a sheet does; ok is false for a combination no
// sheet can write (a range without its end, a reported month).
func (d dated) text() (s string, ok bool) {
	switch d.precision {
	case schema.PrecisionUnknown:
		return undated, d.date == "" && d.end == ""
	case schema.PrecisionReported:
		return reportedBy + d.date, len(d.date) == len("2006-01-02") && d.end == ""
	case schema.PrecisionRange:
		return d.date + rangeBetween + d.end, d.date != "" && d.end != ""
	}
	prec, ok := schema.PrecisionOf(d.date)
	return d.date, ok && prec == d.precision && d.end == ""
}
