package queries_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/queries"
	"github.com/rustbelt/rustbelt/store"
)

// TestTheTenuresQueryGivesTheRecordsOfCareer runs the named Gizmo query
// for tenures and `rustbelt career` on the same people, stated tenures and
// tenures read from appointments both, and compares the records.
func TestTheTenuresQueryGivesTheRecordsOfCareer(t *testing.T) {
	q, err := queries.Get("tenures")
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		in, cleanup, err := store.FileInput("testdata/tenures.nq")
		if err != nil {
			t.Fatal(err)
		}
		defer cleanup()
		if _, err := s.Load(t.Context(), []store.Input{in}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		g := graph.New(s)
		for _, person := range []string{"Cao Lubao", "Jiang Bing", "Zhu Huan", "Test A"} {
			t.Run(person, func(t *testing.T) {
				c, _, err := g.Career(t.Context(), person)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, tn := range c.Tenures {
					want = append(want, record(tn.ID, tn.Person, tn.Post, tn.Start, tn.End, tn.StartPrecision, tn.EndPrecision, tn.Stated, tn.DerivedFrom))
				}
				res, err := s.Query(t.Context(), q.Text, store.QueryOptions{Params: map[string]string{"person": person}})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range res.Result {
					b, _ := json.Marshal(r)
					var row struct {
						ID, Person, Post, Start, End string
						StartPrecision               string   `json:"start_precision"`
						EndPrecision                 string   `json:"end_precision"`
						Stated                       bool     `json:"stated"`
						DerivedFrom                  []string `json:"derived_from"`
					}
					if err := json.Unmarshal(b, &row); err != nil {
						t.Fatal(err)
					}
					id := strings.TrimSuffix(strings.TrimPrefix(row.ID, "<https://rustbelt.dev/id/"), ">")
					got = append(got, record(id, row.Person, row.Post, row.Start, row.End, row.StartPrecision, row.EndPrecision, row.Stated, row.DerivedFrom))
				}
				slices.Sort(got)
				slices.Sort(want)
				if len(want) == 0 {
					t.Fatal("career finds no tenures, so the comparison proves little")
				}
				if !slices.Equal(got, want) {
					t.Errorf("query:\n%s\ncareer:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		}
	})
}

func record(id, person, post, start, end, startPrec, endPrec string, stated bool, derived []string) string {
	return fmt.Sprintf("%s | %s | %s | %s (%s) .. %s (%s) | stated %v | from %v", id, person, post, start, startPrec, end, endPrec, stated, derived)
}
