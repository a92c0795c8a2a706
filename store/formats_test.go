package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// labJSONLD is a user's own JSON-LD: its own vocabulary, a named graph, a
// typed number, a language-tagged string, and a quad in the default graph.
const labJSONLD = `{
  "@context": {"ex": "http://example.org/", "name": "http://schema.org/name"},
  "@graph": [
    {"@id": "http://example.org/graph/survey", "@graph": [
      {"@id": "ex:lab", "name": {"@value": "Laboratoire", "@language": "fr"},
       "ex:staff": {"@value": "12", "@type": "http://www.w3.org/2001/XMLSchema#integer"},
       "ex:partner": {"@id": "ex:mill"}}
    ]},
    {"@id": "ex:mill", "name": "Old mill"}
  ]
}`

// writeFile writes content to name in a temporary folder, gzipped when the
// name ends in .gz, and returns the path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	data := []byte(content)
	if strings.HasSuffix(name, ".gz") {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		data = buf.Bytes()
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// fileInput opens path as a load input.
func fileInput(t *testing.T, path string) store.Input {
	t.Helper()
	in, cleanup, err := store.FileInput(path)
	t.Cleanup(cleanup)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// gizmo runs a Gizmo query and returns the "id" of every result.
func gizmo(t *testing.T, s *store.Store, text string) []string {
	t.Helper()
	res, err := s.Query(context.Background(), text, store.QueryOptions{})
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	var ids []string
	for _, r := range res.Result {
		m, _ := r.(map[string]any)
		id, _ := m["id"].(string)
		ids = append(ids, id)
	}
	return ids
}

func TestFormatOfReadsTheExtension(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"facts.nq", "nquads"},
		{"facts.nt", "nquads"},
		{"facts.nq.gz", "nquads"},
		{"lab.jsonld", "jsonld"},
		{"LAB.JSONLD", "jsonld"},
		{"lab.jsonld.gz", "jsonld"},
		{"quads.json", "json"},
		{"dump.pq", "pquads"},
		{"notes.txt", "nquads"},
		{"-", "nquads"},
	} {
		if got := store.FormatOf(tc.path); got != tc.want {
			t.Errorf("FormatOf(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
	for _, want := range []string{"json", "jsonld", "nquads", "pquads"} {
		if !strings.Contains(strings.Join(store.InputFormats(), " "), want) {
			t.Errorf("InputFormats() = %v, lacks %s", store.InputFormats(), want)
		}
	}
}

func TestLoadReadsJSONLDNextToTheDataset(t *testing.T) {
	for _, name := range []string{"lab.jsonld", "lab.jsonld.gz"} {
		t.Run(name, func(t *testing.T) {
			s := mustOpen(t, "memory:", store.Options{})
			before := quadCount(t, s)
			rep, err := s.Load(context.Background(), []store.Input{fileInput(t, writeFile(t, name, labJSONLD))}, store.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Added != 4 || quadCount(t, s) != before+4 {
				t.Errorf("load: %+v, store %d quads, want %d", rep, quadCount(t, s), before+4)
			}
			got := gizmo(t, s, `g.V("<http://example.org/lab>").labelContext("<http://example.org/graph/survey>").out("<http://example.org/partner>").labelContext(null).out("<http://schema.org/name>").all()`)
			if strings.Join(got, ",") != "Old mill" {
				t.Errorf("partner's name = %q, want Old mill", got)
			}
			if got := gizmo(t, s, `g.V("<http://example.org/lab>").out("<http://example.org/staff>").all()`); len(got) != 1 {
				t.Errorf("staff = %q, want one number", got)
			}
		})
	}
}

func TestLoadNamesTheFileOfAJSONLDProblem(t *testing.T) {
	badDate := `{"@id": "https://rustbelt.dev/id/event/x",
	  "https://rustbelt.dev/ns/date": "last spring"}`
	for _, tc := range []struct {
		name, content string
		want          []string // in the problem's text
		pos           schema.Pos
	}{
		{"broken.jsonld", `{"@id": "ex:a", `, []string{"broken.jsonld", "jsonld syntax"}, schema.Pos{}},
		// A remote context is refused rather than fetched: the load would hang on the network.
		{"remote.jsonld", `{"@context": "http://schema.org/", "@id": "http://example.org/a", "name": "A"}`, []string{"remote.jsonld", `remote @context "http://schema.org/"`}, schema.Pos{}},
		{"nested.jsonld", `{"@graph": [{"@context": ["http://example.org/ctx.jsonld"], "@id": "http://example.org/a"}]}`, []string{"nested.jsonld", "remote @context"}, schema.Pos{}},
		{"vocab.jsonld", badDate, []string{"vocab.jsonld, quad <https://rustbelt.dev/id/event/x>", "malformed date", "no source label"}, schema.Pos{Quad: `<https://rustbelt.dev/id/event/x> <https://rustbelt.dev/ns/date> "last spring"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.name, tc.content)
			s := mustOpen(t, "memory:", store.Options{NoSeed: true})
			_, err := s.Load(context.Background(), []store.Input{fileInput(t, path)}, store.LoadOptions{})
			var problems schema.Problems
			if !errors.As(err, &problems) || fail.CodeOf(err) != fail.Invalid {
				t.Fatalf("load: %v, want Invalid with problems", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(problems.Error(), w) {
					t.Errorf("problems %q do not say %q", problems.Error(), w)
				}
			}
			tc.pos.File = path
			if problems[0].Pos != tc.pos {
				t.Errorf("position = %+v, want %+v", problems[0].Pos, tc.pos)
			}
			if n := quadCount(t, s); n != 0 {
				t.Errorf("a failed load wrote %d quads", n)
			}
		})
	}
}

func TestLoadRejectsAFormatItCannotRead(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{NoSeed: true})
	in := stringInput("g.graphml", "<graphml/>")
	in.Format = "graphml"
	_, err := s.Load(context.Background(), []store.Input{in}, store.LoadOptions{})
	if fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "jsonld") {
		t.Errorf("load of graphml: %v, want Invalid listing the readable formats", err)
	}
}
