package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func decodeResult(t *testing.T, s string) (result []any, truncated bool) {
	t.Helper()
	var out struct {
		Result    []any `json:"result"`
		Truncated bool  `json:"truncated"`
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("not Cayley's JSON shape: %v\n%s", err, s)
	}
	return out.Result, out.Truncated
}

func TestQuery(t *testing.T) {
	db := testDB(t)
	r := run(t, "", "--db", db, "query", "-e", `g.V().Has("<http://schema.org/name>", "Cao Lubao").Out().All()`)
	if res, _ := decodeResult(t, r.stdout); r.code != 0 || len(res) < 3 {
		t.Errorf("inline query: exit %d, %d results; %s", r.code, len(res), r.stderr)
	}

	r = run(t, "", "--db", db, "query", "appointments-to", "--param", "place=Liaoning")
	res, _ := decodeResult(t, r.stdout)
	if len(res) != 1 || res[0].(map[string]any)["person"] != "Jiang Bing" {
		t.Errorf("named query: %v; %s", res, r.stderr)
	}

	file := filepath.Join(t.TempDir(), "q.js")
	os.WriteFile(file, []byte(`g.V().Has("<http://schema.org/name>", params.who).All()`), 0o644)
	r = run(t, "", "--db", db, "query", file, "--param", "who=Zhu Huan")
	if res, _ := decodeResult(t, r.stdout); len(res) != 1 {
		t.Errorf("query file: %v; %s", res, r.stderr)
	}

	r = run(t, `g.V().All()`, "--db", db, "query", "-", "--limit", "3")
	if res, truncated := decodeResult(t, r.stdout); len(res) != 3 || !truncated || !strings.Contains(r.stderr, "cut at 3") {
		t.Errorf("stdin query with limit: %d results, truncated %v, stderr %q", len(res), truncated, r.stderr)
	}

	r = run(t, "", "--db", db, "query", "--list", "--format", "json")
	var list []map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) < 5 {
		t.Errorf("query --list: %v %s", err, r.stdout)
	}
}

func TestQueryFailures(t *testing.T) {
	db := testDB(t)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"query", "--timeout", "200ms", "-e", "while(true){}"}, exitTimeout, "time limit"},
		{[]string{"query", "-e", "g.V(.All()"}, exitUsage, "query"},
		{[]string{"query", "no-such-query"}, exitNotFound, "no named query"},
		{[]string{"query", "-e", "x", "--param", "novalue"}, exitUsage, "KEY=VALUE"},
	}
	for _, tt := range tests {
		r := run(t, "", append([]string{"--db", db}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q", tt.args, r.code, tt.code, r.stderr)
		}
	}
}
