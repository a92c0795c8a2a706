package schema_test

import (
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// TestUsersOwnDataMayBorrowRDFAndSchemaOrg: users bring data that types
// and names its own nodes with rdf:type and schema:name, often without a
// label; only quads about rustbelt entities or in rustbelt's namespace are
// held to the vocabulary.
func TestUsersOwnDataMayBorrowRDFAndSchemaOrg(t *testing.T) {
	const (
		rdfType = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
		name    = "<http://schema.org/name>"
	)
	for _, tc := range []struct {
		name   string
		input  string
		strict bool
		want   string // a problem's text; empty for none
	}{
		{"own node named and typed", "<http://example.org/mill> " + name + " \"Old mill\" .\n<http://example.org/mill> " + rdfType + " <http://example.org/Mill> .\n", false, ""},
		{"own node, --strict", "<http://example.org/mill> " + name + " \"Old mill\" .\n", true, "1: subject <http://example.org/mill> is not in the rustbelt vocabulary"},
		{"own node typed as a rustbelt class", "<http://example.org/mill> " + rdfType + " <https://rustbelt.dev/ns/Company> .\n", false, "1: quad has no source label"},
		{"rustbelt predicate on an own node", "<http://example.org/mill> <https://rustbelt.dev/ns/locatedIn> <https://rustbelt.dev/id/place/jilin> .\n", false, "1: quad has no source label"},
		{"rustbelt entity", "<https://rustbelt.dev/id/place/jilin> " + name + " \"Jilin\" .\n", false, "1: quad has no source label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := schema.NewValidator(tc.strict)
			syntax, err := schema.ScanNQuads(strings.NewReader(tc.input), "in.nq", func(p schema.Pos, q quad.Quad) error {
				v.Check(p, q)
				return nil
			})
			if err != nil || len(syntax) > 0 {
				t.Fatal(err, syntax)
			}
			got := v.Problems().Error()
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("problems = %q, want %q", got, tc.want)
			}
		})
	}
}
