package main

import (
	"strings"
	"testing"
)

// TestFiguresReadAsTheirSourcesGiveThem: a bound reads "more than" in a
// table and stays a number with its bound beside it in JSON and CSV; only
// a conversion the source gives as "about" reads "about"; an inferred fact
// and an untitled article are cited as such.
func TestFiguresReadAsTheirSourcesGiveThem(t *testing.T) {
	t.Setenv("COLUMNS", "400") // table cells on one line each
	db := testDB(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"indicators", "--place", "Liaoning", "--indicator", "gdp", "--format", "table"},
			[]string{"more than 3 trillion  yuan", "converted: about 422 billion USD"}},
		{[]string{"indicators", "--place", "Liaoning", "--indicator", "gdp", "--format", "json"},
			[]string{`"value": 3000000000000`, `"bound": "more than"`, `"value_converted": 422000000000`, `"converted_approximate": true`}},
		{[]string{"indicators", "--place", "Liaoning", "--indicator", "gdp", "--format", "csv"},
			[]string{"Liaoning,GDP,2023,3000000000000,,more than,false,yuan,422000000000,USD,true,"}},
		{[]string{"investments", "--company", "BMW", "--format", "table"},
			[]string{"3 billion  EUR       about 3.4 billion", "inferred from seed-000 (untitled; publisher and date unknown): The article does not say where the money goes"}},
		{[]string{"investments", "--company", "BMW", "--format", "json"},
			[]string{`"amount": 3000000000`, `"approximate": false`, `"converted_approximate": true`, `"inferred_from": {`, `"untitled": true`}},
		{[]string{"sources", "--format", "table"},
			[]string{"source/seed-000  (unknown)  (unknown)   (untitled)"}},
		{[]string{"policies", "--place", "Harbin", "--format", "csv"},
			[]string{"Harbin New Area approval,2016-01/2016-03,State Council,"}},
	}
	for _, tt := range tests {
		r := run(t, "", append([]string{"--db", db}, tt.args...)...)
		for _, want := range tt.want {
			if r.code != 0 || !strings.Contains(r.stdout, want) {
				t.Errorf("%v: exit %d, output lacks %q:\n%s%s", tt.args, r.code, want, r.stdout, r.stderr)
			}
		}
	}
}
