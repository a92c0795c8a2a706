package sheet_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// TestTheDocumentedSheetAdds adds the complete sheet of docs/sheets.md to
// each kind of store, and writes it back.
func TestTheDocumentedSheetAdds(t *testing.T) {
	b, err := os.ReadFile("../docs/sheets.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "```yaml\n")
	example, _, found := strings.Cut(rest, "```")
	if !found {
		t.Fatal("docs/sheets.md has no yaml example")
	}
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		r := mustCompile(t, s, example)
		if len(r.Report.New) == 0 || len(r.Report.Linked) == 0 || len(r.Report.Records) != 7 {
			t.Errorf("report %+v: want new entities, links and seven kinds of record", r.Report)
		}
		if _, err := s.Replace(t.Context(), r.Labels, r.Quads); err != nil {
			t.Fatal(err)
		}
		text := writeSheet(t, s, "source/coastal-officials-head-north")
		if d := diff(nquads(r.Quads), nquads(mustCompile(t, s, text).Quads)); d != "" {
			t.Errorf("written back, the sheet differs:\n%s\n%s", d, text)
		}
	})
}
