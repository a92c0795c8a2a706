package graph_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// pagingFacts is a source with appointments whose sort keys are equal but
// for their ids: one official, one date, one destination, so that only the
// id decides their order; and undated ones, which sort last. Every
// appointment id is appointment/paging-ID for an id of ids.
func pagingFacts(dated, undated []string) string {
	const (
		src    = "<https://rustbelt.dev/id/source/paging> ."
		person = "<https://rustbelt.dev/id/person/paging-official>"
		post   = "<https://rustbelt.dev/id/post/paging-post>"
		ns     = "https://rustbelt.dev/ns/"
	)
	var b strings.Builder
	fmt.Fprintf(&b, "<https://rustbelt.dev/id/source/paging> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%sSource> %s\n", ns, src)
	fmt.Fprintf(&b, "<https://rustbelt.dev/id/source/paging> <http://schema.org/name> \"Paging test\" %s\n", src)
	fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%sPerson> %s\n", person, ns, src)
	fmt.Fprintf(&b, "%s <http://schema.org/name> \"Paging Official\" %s\n", person, src)
	fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%sPost> %s\n", post, ns, src)
	fmt.Fprintf(&b, "%s <http://schema.org/name> \"Paging post\" %s\n", post, src)
	fmt.Fprintf(&b, "%s <%spostPlace> <https://rustbelt.dev/id/place/jilin> %s\n", post, ns, src)
	appointment := func(id, date string) {
		a := "<https://rustbelt.dev/id/appointment/paging-" + id + ">"
		fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%sAppointment> %s\n", a, ns, src)
		fmt.Fprintf(&b, "%s <%sperson> %s %s\n", a, ns, person, src)
		fmt.Fprintf(&b, "%s <%stoPlace> <https://rustbelt.dev/id/place/jilin> %s\n", a, ns, src)
		fmt.Fprintf(&b, "%s <%stoPost> %s %s\n", a, ns, post, src)
		if date == "" {
			fmt.Fprintf(&b, "%s <%sdatePrecision> \"unknown\" %s\n", a, ns, src)
			return
		}
		fmt.Fprintf(&b, "%s <%sdate> %q %s\n", a, ns, date, src)
		fmt.Fprintf(&b, "%s <%sdatePrecision> \"month\" %s\n", a, ns, src)
	}
	for _, id := range dated {
		appointment(id, "2024-05")
	}
	for _, id := range undated {
		appointment(id, "")
	}
	return b.String()
}

var (
	pagingDated   = []string{"00", "01", "02", "03", "04", "05", "06", "07", "08", "09"}
	pagingUndated = []string{"u0", "u1", "u2"}
)

// pagingGraph is a seeded store of backend b with pagingFacts loaded.
func pagingGraph(t *testing.T, b storetest.Backend) (*store.Store, *graph.Graph) {
	t.Helper()
	s := mustOpen(t, b.Addr(t), store.Options{})
	if _, err := s.Load(context.Background(), []store.Input{stringInput("paging.nq", pagingFacts(pagingDated, pagingUndated))}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return s, graph.New(s)
}

// listCase is one list question: its whole answer, and its pages.
type listCase struct {
	name string
	walk func(t *testing.T, g *graph.Graph, limit int)
}

// pagedList makes the listCase of a question that answers whole and by
// page: walking its pages from the first with a limit gives the whole
// answer, in order, each row once, and says how many rows there are.
func pagedList[T any](name string, whole func(context.Context, *graph.Graph) ([]T, error), paged func(context.Context, *graph.Graph, graph.Page) (graph.Paged[T], error)) listCase {
	return listCase{name, func(t *testing.T, g *graph.Graph, limit int) {
		t.Helper()
		ctx := context.Background()
		want, err := whole(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		var got []T
		p := graph.Page{Limit: limit}
		for pages := 0; ; pages++ {
			if pages > len(want)+1 {
				t.Fatalf("%s, limit %d: more pages than rows", name, limit)
			}
			page, err := paged(ctx, g, p)
			if err != nil {
				t.Fatalf("%s, limit %d, after %q: %v", name, limit, p.After, err)
			}
			if page.Total != len(want) {
				t.Errorf("%s, limit %d: Total %d, want %d", name, limit, page.Total, len(want))
			}
			if len(page.Rows) > limit || (page.Next != "" && len(page.Rows) != limit) {
				t.Fatalf("%s, limit %d: a page of %d rows with next %q", name, limit, len(page.Rows), page.Next)
			}
			got = append(got, page.Rows...)
			if page.Next == "" {
				break
			}
			p.After = page.Next
		}
		if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
			t.Errorf("%s, limit %d: the pages differ from the whole list\n got: %.1500s\nwant: %.1500s", name, limit, g, w)
		}
		all, err := paged(ctx, g, graph.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if all.Next != "" || mustJSON(t, all.Rows) != mustJSON(t, want) {
			t.Errorf("%s: without a limit, a page is not the whole list (next %q)", name, all.Next)
		}
	}}
}

// dropNotes drops the notes of a question's answer.
func dropNotes[T any](rows T, _ graph.Notes, err error) (T, error) { return rows, err }

var listCases = []listCase{
	pagedList("appointments of the paging official",
		func(ctx context.Context, g *graph.Graph) ([]graph.Appointment, error) {
			return dropNotes(g.Appointments(ctx, graph.AppointmentFilter{Person: "Paging Official"}))
		},
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.Appointment], error) {
			return dropNotes(g.AppointmentsPage(ctx, graph.AppointmentFilter{Person: "Paging Official"}, p))
		}),
	pagedList("appointments to Northeast",
		func(ctx context.Context, g *graph.Graph) ([]graph.Appointment, error) {
			return dropNotes(g.Appointments(ctx, graph.AppointmentFilter{To: "Northeast"}))
		},
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.Appointment], error) {
			return dropNotes(g.AppointmentsPage(ctx, graph.AppointmentFilter{To: "Northeast"}, p))
		}),
	pagedList("policies Northeast inside",
		func(ctx context.Context, g *graph.Graph) ([]graph.PolicyHit, error) {
			return dropNotes(g.Policies(ctx, graph.PolicyFilter{Place: "Northeast", Inside: true}))
		},
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.PolicyHit], error) {
			return dropNotes(g.PoliciesPage(ctx, graph.PolicyFilter{Place: "Northeast", Inside: true}, p))
		}),
	pagedList("investments",
		func(ctx context.Context, g *graph.Graph) ([]graph.Investment, error) {
			return dropNotes(g.Investments(ctx, graph.InvestmentFilter{}))
		},
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.Investment], error) {
			return dropNotes(g.InvestmentsPage(ctx, graph.InvestmentFilter{}, p))
		}),
	pagedList("indicators",
		func(ctx context.Context, g *graph.Graph) ([]graph.Observation, error) {
			return dropNotes(g.Indicators(ctx, graph.IndicatorFilter{}))
		},
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.Observation], error) {
			return dropNotes(g.IndicatorsPage(ctx, graph.IndicatorFilter{}, p))
		}),
	pagedList("timeline of Jilin",
		func(ctx context.Context, g *graph.Graph) ([]graph.Entry, error) {
			return dropNotes(g.Timeline(ctx, "Jilin"))
		},
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.Entry], error) {
			return dropNotes(g.TimelinePage(ctx, "Jilin", p))
		}),
	pagedList("sources",
		func(ctx context.Context, g *graph.Graph) ([]graph.SourceInfo, error) { return g.Sources(ctx) },
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.SourceInfo], error) {
			return g.SourcesPage(ctx, p)
		}),
	pagedList("indicator list",
		func(ctx context.Context, g *graph.Graph) ([]graph.IndicatorInfo, error) { return g.IndicatorList(ctx) },
		func(ctx context.Context, g *graph.Graph, p graph.Page) (graph.Paged[graph.IndicatorInfo], error) {
			return g.IndicatorListPage(ctx, p)
		}),
}

// TestPagesWalkTheWholeList walks every list page by page, with several
// limits, on every backend, over rows whose sort keys are equal but for
// their ids: the pages put together are the whole list, in its order, each
// row once.
func TestPagesWalkTheWholeList(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			_, g := pagingGraph(t, b)
			for _, c := range listCases {
				for _, limit := range []int{1, 2, 3, 7, 1000} {
					c.walk(t, g, limit)
				}
			}
		})
	}
}

// TestCursorOutlivesWrites takes a page, then changes the store: the row
// the cursor names is removed, one is added before it and one after. The
// next pages go on after where the cursor's row was: no row is repeated,
// the one added before is not shown, the one added after is.
func TestCursorOutlivesWrites(t *testing.T) {
	ctx := context.Background()
	filter := graph.AppointmentFilter{Person: "Paging Official"}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, g := pagingGraph(t, b)
			first, _, err := g.AppointmentsPage(ctx, filter, graph.Page{Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if got := appointmentIDs(first.Rows); got != "00 01 02" {
				t.Fatalf("first page %s, want 00 01 02", got)
			}
			// 02 goes; 01a sorts before the cursor, 02a after it.
			dated := []string{"00", "01", "01a", "02a", "03", "04", "05", "06", "07", "08", "09"}
			replaceSource(t, s, pagingFacts(dated, pagingUndated))
			var rest []graph.Appointment
			for p := (graph.Page{Limit: 4, After: first.Next}); ; {
				page, _, err := g.AppointmentsPage(ctx, filter, p)
				if err != nil {
					t.Fatal(err)
				}
				rest = append(rest, page.Rows...)
				if page.Next == "" {
					break
				}
				p.After = page.Next
			}
			if got, want := appointmentIDs(rest), "02a 03 04 05 06 07 08 09 u0 u1 u2"; got != want {
				t.Errorf("after the writes, the pages go on with %s, want %s", got, want)
			}
		})
	}
}

// replaceSource makes nquads the whole of source/paging.
func replaceSource(t *testing.T, s *store.Store, text string) {
	t.Helper()
	quads, err := quad.ReadAll(nquads.NewReader(strings.NewReader(text), false))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Replace(context.Background(), []quad.IRI{"https://rustbelt.dev/id/source/paging"}, quads); err != nil {
		t.Fatal(err)
	}
}

func appointmentIDs(rows []graph.Appointment) string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.TrimPrefix(r.ID, "appointment/paging-"))
	}
	return strings.Join(out, " ")
}

// TestMalformedPages: a cursor that is not one this list gave, or a
// negative limit, is the caller's error (Invalid: a 400, a usage error),
// never a silent first page.
func TestMalformedPages(t *testing.T) {
	ctx := context.Background()
	g := openGraph(t, "memory:", store.Options{})
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	policies, _, err := g.PoliciesPage(ctx, graph.PolicyFilter{Place: "Harbin"}, graph.Page{Limit: 1})
	if err != nil || policies.Next == "" {
		t.Fatalf("a first page of policies with a next cursor: %v, %q", err, policies.Next)
	}
	for _, c := range []struct {
		name string
		page graph.Page
	}{
		{"not base64", graph.Page{After: "not a cursor!"}},
		{"padded base64", graph.Page{After: base64.URLEncoding.EncodeToString([]byte(`["appointments","","",""]`))}},
		{"not JSON", graph.Page{After: base64.RawURLEncoding.EncodeToString([]byte("appointments"))}},
		{"too few fields", graph.Page{After: enc([]string{"appointments", "2024"})}},
		{"too many fields", graph.Page{After: enc([]string{"appointments", "2024", "A", "appointment/a", "x"})}},
		{"not strings", graph.Page{After: enc([]any{"appointments", 2024, "A", "appointment/a"})}},
		{"another list's", graph.Page{After: policies.Next}},
		{"negative limit", graph.Page{Limit: -1}},
	} {
		_, _, err := g.AppointmentsPage(ctx, graph.AppointmentFilter{To: "Jilin"}, c.page)
		if fail.CodeOf(err) != fail.Invalid {
			t.Errorf("%s: got %v, want an Invalid error", c.name, err)
		}
	}
}

// TestPagesUnderConcurrency asks for pages of one list from many
// goroutines while the store is written: every page is one of a whole list
// as some generation of the store had it (run it with -race).
func TestPagesUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s, g := pagingGraph(t, b)
			filter := graph.AppointmentFilter{Person: "Paging Official"}
			before, _, _ := g.Appointments(ctx, filter)
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for w := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 20 {
						page, _, err := g.AppointmentsPage(ctx, filter, graph.Page{Limit: 1 + (w+i)%5})
						if err != nil {
							errs <- err
							return
						}
						page.Rows[0].Sources = nil // a page is the caller's to change
					}
				}()
			}
			replaceSource(t, s, pagingFacts(append(pagingDated, "10"), pagingUndated))
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			after, _, err := g.AppointmentsPage(ctx, filter, graph.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if after.Total != len(before)+1 {
				t.Errorf("after a write, the list has %d rows, want %d: a page came from the cache of an older store", after.Total, len(before)+1)
			}
			for _, r := range after.Rows {
				if len(r.Sources) == 0 {
					t.Fatalf("row %s lost its sources: a caller's change reached the cache", r.ID)
				}
			}
		})
	}
}
