package sheet_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
)

// compile parses and compiles sheets (file name → YAML, in order) against
// base, failing the test on a store error; it returns the results and the
// text of every problem.
func compile(t *testing.T, base graph.Storage, files ...string) ([]*sheet.Result, []string) {
	t.Helper()
	var sheets []*sheet.Sheet
	var problems schema.Problems
	for i := 0; i+1 < len(files); i += 2 {
		sh, ps := sheet.Parse(files[i], []byte(files[i+1]))
		problems = append(problems, ps...)
		if sh != nil {
			sheets = append(sheets, sh)
		}
	}
	results, more, err := sheet.Compile(context.Background(), base, sheets)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range append(problems, more...) {
		texts = append(texts, p.Error())
	}
	return results, texts
}

// mustCompile compiles one sheet that must have no problems.
func mustCompile(t *testing.T, base graph.Storage, yaml string) *sheet.Result {
	t.Helper()
	results, problems := compile(t, base, "new.yaml", yaml)
	if len(problems) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(problems, "\n"))
	}
	return results[0]
}

// objects lists what a result says of subject with pred, as short ids or
// literal text, sorted.
func objects(r *sheet.Result, subject string, pred quad.IRI) []string {
	var out []string
	for _, q := range r.Quads {
		if q.Subject == schema.ID(subject) && q.Predicate == pred {
			if iri, ok := q.Object.(quad.IRI); ok {
				out = append(out, schema.ShortID(iri))
			} else {
				s, _ := schema.Literal(q.Object)
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// nquads is the sorted N-Quads text of quads, without duplicates.
func nquads(quads []quad.Quad) []string {
	var out []string
	for _, q := range quads {
		out = append(out, q.NQuad())
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// diff lists the lines only one side has.
func diff(want, got []string) string {
	var lines []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			lines = append(lines, "lacks "+w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			lines = append(lines, "adds  "+g)
		}
	}
	return strings.Join(lines, "\n")
}

// source is the source part of a test sheet.
const source = `source:
  title: A test article
  publisher: Test Daily
  date: 2025-01-15
`
