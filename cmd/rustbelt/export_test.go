package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	db := testDB(t)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		file string // the -o file, if any
		code int
		want []string // in the output (the file, else stdout)
		err  string   // in stderr
	}{
		{name: "the issue's example", args: []string{"--center", "Jilin", "--depth", "2", "--format", "gexf", "-o", "jilin.gexf"}, file: "jilin.gexf",
			want: []string{`mode="dynamic"`, `timeformat="date"`, `label="Cao Lubao"`, `label="Zhu Huan"`, `label="Ruan Ganghui"`, `start="2023-10-01"`}},
		{name: "format from the extension", args: []string{"--center", "Cao Lubao", "-o", "cao.graphml"}, file: "cao.graphml",
			want: []string{"<graphml", `attr.name="label"`, ">Suzhou<"}},
		{name: "stdout, types and flags after the command", args: []string{"--format", "dot", "--center", "Jilin", "--types", "person,place"},
			want: []string{"digraph rustbelt", `"person/cao-lubao"`, "appointed to"}, err: "names several entities"},
		{name: "nquads", args: []string{"--center", "Meihekou", "--format", "nquads"},
			want: []string{"<https://rustbelt.dev/id/place/meihekou>"}},
		{name: "cytoscape with dates", args: []string{"--center", "Jilin", "--since", "2024", "--format", "cytoscape"},
			want: []string{`"elements"`, `"Zhu Huan"`}},
		{name: "no format", args: []string{"--center", "Jilin"}, code: exitUsage, err: "--format is required"},
		{name: "unknown format", args: []string{"--format", "svg"}, code: exitUsage, err: `unknown --format "svg"`},
		{name: "unknown type", args: []string{"--types", "people", "--format", "dot"}, code: exitUsage, err: "unknown type"},
		{name: "unknown center", args: []string{"--center", "Atlantis", "--format", "dot"}, code: exitNotFound, err: "Atlantis"},
		{name: "bad date", args: []string{"--since", "yesterday", "--format", "dot"}, code: exitUsage, err: "malformed date"},
		{name: "arguments", args: []string{"Jilin", "--format", "dot"}, code: exitUsage, err: "--center"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--db", db, "export"}, tc.args...)
			for i, a := range args {
				if i > 0 && args[i-1] == "-o" {
					args[i] = filepath.Join(dir, a)
				}
			}
			r := run(t, "", args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.err) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, tc.code, tc.err)
			}
			out := r.stdout
			if tc.file != "" {
				b, err := os.ReadFile(filepath.Join(dir, tc.file))
				if err != nil {
					t.Fatal(err)
				}
				out = string(b)
				if r.stdout != "" {
					t.Errorf("stdout %q with -o", r.stdout)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			if tc.code == 0 && (strings.HasSuffix(tc.file, "ml") || strings.HasSuffix(tc.file, ".gexf")) {
				if err := xml.Unmarshal([]byte(out), new(struct{})); err != nil {
					t.Errorf("not XML: %v", err)
				}
			}
		})
	}
}

// TestExportFailureLeavesNoFile checks that a failed export leaves the
// previous file as it was and no temporary file behind.
func TestExportFailureLeavesNoFile(t *testing.T) {
	db := testDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "jilin.dot")
	if r := run(t, "", "--db", db, "export", "--center", "Jilin", "-o", out); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	before, _ := os.ReadFile(out)
	if r := run(t, "", "--db", db, "export", "--center", "Atlantis", "-o", out); r.code != exitNotFound {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "--db", db, "export", "--center", "Jilin", "-o", filepath.Join(dir, "missing", "x.dot")); r.code == 0 {
		t.Errorf("writing into a missing folder succeeded")
	}
	after, _ := os.ReadFile(out)
	entries, _ := os.ReadDir(dir)
	if string(before) != string(after) || len(entries) != 1 {
		t.Errorf("the failed exports changed the folder: %d entries, file changed: %v", len(entries), string(before) != string(after))
	}
}
