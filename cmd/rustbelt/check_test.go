package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// conflicting is a sheet whose figure disagrees with the 5.3 percent two
// bundled articles give for Liaoning's growth in 2023.
const conflicting = `source:
  title: A different count
  publisher: Example Daily
  date: 2025-02-01
observations:
  - place: Liaoning
    indicator: GDP growth
    period: 2023
    value: 5.0
    unit: percent
`

// TestCheckExitsOneOnADisagreement: check is clean on the bundled data and
// exits 0; a sheet whose figure disagrees makes it exit 1, naming both
// figures and their sources, and indicators marks both rows.
func TestCheckExitsOneOnADisagreement(t *testing.T) {
	t.Setenv("COLUMNS", "300") // table cells on one line each
	for name, db := range addStores(t) {
		t.Run(name, func(t *testing.T) {
			r := run(t, "", "--db", db, "check", "--format", "csv")
			if r.code != 0 || !strings.Contains(r.stdout, `info,inferred,Daqing (place/daqing),"contained in: Northeast`) || !strings.Contains(r.stderr, "rustbelt: check: 0 errors, 0 warnings, ") {
				t.Fatalf("check on the bundled data: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			file := filepath.Join(t.TempDir(), "count.yaml")
			if err := os.WriteFile(file, []byte(conflicting), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, "", "--db", db, "add", file); r.code != 0 {
				t.Fatalf("add: exit %d\n%s", r.code, r.stderr)
			}
			r = run(t, "", "--db", db, "check", "--format", "json")
			var findings []struct {
				Severity, Rule, Subject, Message string
			}
			if err := json.Unmarshal([]byte(r.stdout), &findings); err != nil {
				t.Fatalf("%v: %s", err, r.stdout)
			}
			if r.code != exitFailure || !strings.Contains(r.stderr, "rustbelt: check: 1 error, 0 warnings, ") ||
				findings[0].Rule != "conflict" || findings[0].Subject != "GDP growth, Liaoning, 2023" ||
				!strings.Contains(findings[0].Message, "5 percent (Example Daily 2025-02-01)") || !strings.Contains(findings[0].Message, "5.3 percent (NewsChina 2024-12-01; Xinhua 2024-02-26)") {
				t.Errorf("check with a disagreeing figure: exit %d, %+v\n%s", r.code, findings, r.stderr)
			}
			r = run(t, "", "--db", db, "indicators", "--place", "Liaoning", "--indicator", "gdp-growth", "--period", "2023", "--format", "json")
			var rows []struct {
				Value    json.Number
				Conflict []struct {
					Value   json.Number
					Sources []struct{ ID string }
				}
			}
			if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 2 {
				t.Fatalf("%v: %s", err, r.stdout)
			}
			for _, row := range rows {
				if len(row.Conflict) != 1 || row.Conflict[0].Value == row.Value || len(row.Conflict[0].Sources) == 0 {
					t.Errorf("row %+v does not name the figure it disagrees with", row)
				}
			}
			r = run(t, "", "--db", db, "indicators", "--place", "Liaoning", "--indicator", "gdp-growth", "--period", "2023", "--format", "table")
			if !strings.Contains(r.stdout, "CONFLICT: other sources give 5 percent (Example Daily 2025-02-01)") {
				t.Errorf("the table does not mark the disagreement:\n%s", r.stdout)
			}
		})
	}
}
