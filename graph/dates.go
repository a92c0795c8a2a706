package graph

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// DateRange filters records by date. Since and Until are dates as the
// vocabulary writes them (YYYY, YYYY-MM, YYYY-MM-DD); either may be empty. A
// record matches when its own span overlaps the range; a record without a
// date never matches a non-empty range.
type DateRange struct {
	Since string
	Until string
}

func (d DateRange) check() error {
	for _, v := range []string{d.Since, d.Until} {
		if v != "" && !schema.ValidDate(v) {
			return fail.Errorf(fail.Invalid, "malformed date %q: expected YYYY, YYYY-MM or YYYY-MM-DD", v)
		}
		if err := calendarDay(v); err != nil {
			return err
		}
	}
	if d.Since != "" && d.Until != "" && d.Until+"~" < d.Since {
		return fail.Errorf(fail.Invalid, "until %s is before since %s", d.Until, d.Since)
	}
	return nil
}

// calendarDay checks that a YYYY-MM-DD date, which ValidDate checked the
// shape of, is a day of the calendar: a range from 2019-02-29 is a typo
// that would otherwise be read as from March.
func calendarDay(date string) error {
	if len(date) != len("2006-01-02") {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, date); err == nil {
		return nil
	}
	month, _ := time.Parse("2006-01", date[:7])
	days := month.AddDate(0, 1, -1).Day()
	return fail.Errorf(fail.Invalid, "no such day %q: %s has %d days", date, month.Format("January 2006"), days)
}

func (d DateRange) empty() bool { return d.Since == "" && d.Until == "" }

// matches reports whether the span [start, end] overlaps the range. Partial
// dates compare as the whole period they name: "2023-10" ends after
// "2023-10-15", because '~' sorts after every digit and '-'.
func (d DateRange) matches(start, end string) bool {
	if d.empty() {
		return true
	}
	if start == "" {
		return false
	}
	if end == "" {
		end = start
	}
	if d.Since != "" && end+"~" < d.Since {
		return false
	}
	if d.Until != "" && start > d.Until+"~" {
		return false
	}
	return true
}

// When is a record's date as the source gives it.
type When struct {
	// Text is for people: "2023-10", "2024-06/2024-08", "by 2024-12-01", "undated".
	Text string
	// Start and End are for machines: sortable partial dates; End is empty
	// unless the source gives a range.
	Start, End string
	Precision  string
}

func whenOf(p props) When {
	w := When{Start: p.str(schema.Date), End: p.str(schema.DateEnd), Precision: p.str(schema.DatePrec)}
	switch {
	case w.Precision == schema.PrecisionUnknown || w.Start == "":
		w.Text = "undated"
	case w.Precision == schema.PrecisionRange && w.End != "":
		w.Text = w.Start + "/" + w.End
	case w.Precision == schema.PrecisionReported:
		w.Text = "by " + w.Start
	default:
		w.Text = w.Start
	}
	return w
}

var periodRE = regexp.MustCompile(`^(\d{4})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2])(?:[^0-9]|$))?`)

// periodKey turns a period ("2023", "2017-Q1", "2024-H1", "2010-2020") into a
// sortable date, or "" when the period names no year.
func periodKey(period string) string {
	m := periodRE.FindStringSubmatch(period)
	if m == nil {
		return ""
	}
	switch sub := m[2]; {
	case sub == "":
		return m[1]
	case sub[0] == 'Q':
		q, _ := strconv.Atoi(sub[1:])
		return fmt.Sprintf("%s-%02d", m[1], q*3-2)
	case sub == "H1":
		return m[1] + "-01"
	case sub == "H2":
		return m[1] + "-07"
	default:
		return m[1] + "-" + sub
	}
}

// dateLess orders sortable dates with undated ("") last; ok is false when
// the two are equal and another key must decide.
func dateLess(a, b string) (less, ok bool) {
	switch {
	case a == b:
		return false, false
	case a == "":
		return false, true
	case b == "":
		return true, true
	}
	return a < b, true
}
