package schema_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/schema"
)

// TestREADMEListsTheWholeVocabulary keeps schema/README.md in step with the
// Go vocabulary: every class and predicate has its line.
func TestREADMEListsTheWholeVocabulary(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, c := range schema.Classes {
		if !strings.Contains(doc, "| `"+c.Class.Short()+"` | "+c.Doc+" |") {
			t.Errorf("README.md lacks class %s with its description", c.Class.Short())
		}
	}
	for _, p := range schema.Predicates {
		if !strings.Contains(doc, "| `"+schema.Short(p.IRI)+"` | `"+string(p.IRI)+"` |") || !strings.Contains(doc, p.Doc) {
			t.Errorf("README.md lacks predicate %s with its IRI and meaning", p.IRI)
		}
	}
}
