package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStatsAndSources(t *testing.T) {
	db := testDB(t)
	r := run(t, "", "--db", db, "stats", "--format", "json")
	var st struct {
		Quads     int            `json:"quads"`
		Nodes     int            `json:"nodes"`
		Classes   map[string]int `json:"classes"`
		Unsourced int            `json:"unsourced"`
		Sources   []struct {
			ID           string `json:"id"`
			Quads        int    `json:"quads"`
			InferredFrom string `json:"inferred_from"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	// The five articles, and the inferences drawn from them, each its own
	// label.
	articles := 0
	for _, s := range st.Sources {
		if s.InferredFrom == "" {
			articles++
		} else if !strings.HasPrefix(s.ID, "inference/") || !strings.HasPrefix(s.InferredFrom, "source/") {
			t.Errorf("inference %+v", s)
		}
	}
	if st.Quads == 0 || st.Nodes == 0 || st.Classes["Appointment"] != 4 || st.Classes["Source"] != 5 || st.Unsourced != 0 || articles != 5 || len(st.Sources) != 5+st.Classes["Inference"] {
		t.Errorf("stats = %+v", st)
	}
	r = run(t, "", "--db", db, "stats", "--format", "table")
	for _, want := range []string{"quads", "Appointment", "Rust to Riches"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stats table lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, "", "--db", db, "sources", "--format", "table")
	for _, want := range []string{"Xinhua", "2016-03-03", "NewsChina", "Signs of recovery appear", "(untitled)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sources lack %q:\n%s", want, r.stdout)
		}
	}
}
