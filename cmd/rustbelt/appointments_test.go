package main

import (
	"encoding/csv"
	"encoding/json"
	"sort"
	"strings"
	"testing"
)

func TestAppointmentsInEveryFormat(t *testing.T) {
	db := testDB(t)
	r := run(t, "", "--db", db, "appointments", "--to", "Jilin", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	var people []string
	for _, row := range rows {
		people = append(people, row["person"].(string))
		for _, key := range []string{"person", "from_post", "from_place", "to_post", "to_place", "date", "kind", "sources"} {
			if _, ok := row[key]; !ok {
				t.Errorf("row lacks %q: %v", key, row)
			}
		}
	}
	sort.Strings(people)
	if strings.Join(people, ",") != "Cao Lubao,Ruan Ganghui,Zhu Huan" {
		t.Errorf("people into Jilin = %v", people)
	}
	if !strings.Contains(r.stderr, "place/jilin-city") {
		t.Errorf("stderr should say which Jilin was taken: %q", r.stderr)
	}

	r = run(t, "", "--db", db, "appointments", "--from", "Zhejiang", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || r.code != 0 {
		t.Fatalf("CSV: %v, exit %d", err, r.code)
	}
	if len(recs) != 3 || recs[0][0] != "person" || recs[0][len(recs[0])-1] == "" {
		t.Errorf("CSV = %v, want a header and two rows", recs)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, rec := range recs[1:] {
		if rec[col["sources"]] != "source/seed-002" || rec[col["to_place"]] == "" {
			t.Errorf("CSV row %v", rec)
		}
	}

	r = run(t, "", "--db", db, "appointments", "--to", "Liaoning", "--format", "table")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if !strings.HasPrefix(lines[0], "PERSON") || !strings.Contains(r.stdout, "Jiang Bing") || !strings.Contains(r.stdout, "Dandong") {
		t.Errorf("table:\n%s", r.stdout)
	}
	for _, l := range lines {
		if len([]rune(l)) > 100 {
			t.Errorf("line wider than 100 columns: %q", l)
		}
	}
}

func TestAppointmentsReportEmptyAndUnknown(t *testing.T) {
	db := testDB(t)
	r := run(t, "", "--db", db, "appointments", "--to", "Heilongjiang", "--format", "json")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" || !strings.Contains(r.stderr, "no appointments match") {
		t.Errorf("empty result: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "--db", db, "appointments", "--to", "Jilni")
	if r.code != exitNotFound || !strings.Contains(r.stderr, `did you mean "Jilin"`) {
		t.Errorf("unknown place: exit %d, stderr %q", r.code, r.stderr)
	}
}
