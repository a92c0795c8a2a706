package graph

import (
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
)

// FuzzDateRange checks the --since/--until rules: a range that check
// accepts matches records dated on its own ends, its days are days of the
// calendar, and one it rejects says why.
func FuzzDateRange(f *testing.F) {
	for _, s := range [][2]string{{"2024", "2024"}, {"2023-10", "2023-10-15"}, {"2024-02-30", ""}, {"", "2024-13"}, {"2025", "2024"}, {"2024-1", "x"},
		{"2019-02-29", ""}, {"2024-02-29", "2024-04-31"}, {"", "2100-02-29"}, {"2000-02-29", "2000-12-31"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, since, until string) {
		d := DateRange{Since: since, Until: until}
		if err := d.check(); err != nil {
			if fail.CodeOf(err) != fail.Invalid || err.Error() == "" {
				t.Fatalf("check(%q, %q): %v is not an Invalid error", since, until, err)
			}
			return
		}
		for _, v := range []string{since, until} {
			if v != "" && !schema.ValidDate(v) {
				t.Fatalf("check accepted the malformed date %q", v)
			}
			if _, err := time.Parse(time.DateOnly, v); len(v) == len(time.DateOnly) && err != nil {
				t.Fatalf("check accepted %q, which is not a day of the calendar: %v", v, err)
			}
			if v != "" && !d.matches(v, "") {
				t.Fatalf("range %q..%q does not match a record dated %q, one of its ends", since, until, v)
			}
		}
		if !d.empty() && d.matches("", "") {
			t.Fatalf("range %q..%q matches an undated record", since, until)
		}
	})
}

// FuzzPeriodKey checks that a period's sort key is a date of the period's
// own year, or empty.
func FuzzPeriodKey(f *testing.F) {
	for _, s := range []string{"2023", "2017-Q1", "2024-H2", "2010-2020", "Q1-Q3", "2024-12", "2024-13", "2024-Q5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, period string) {
		key := periodKey(period)
		if key == "" {
			return
		}
		if !schema.ValidDate(key) || !strings.HasPrefix(period, key[:4]) {
			t.Fatalf("periodKey(%q) = %q, not a date in the period's year", period, key)
		}
	})
}
