package store_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/queries"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

const nameOut = `g.V().Has("<http://schema.org/name>", params.name).Out("<http://schema.org/jobTitle>").All()`

func TestQueryBindsParamsAsData(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	ctx := context.Background()
	res, err := s.Query(ctx, nameOut, store.QueryOptions{Params: map[string]string{"name": "Cao Lubao"}})
	if err != nil || len(res.Result) != 1 {
		t.Fatalf("result %v, err %v", res, err)
	}
	before := quadCount(t, s)
	for _, evil := range []string{
		`Cao Lubao"); g.Emit("pwned`,
		`") + g.V().All() + ("`,
		"Cao Lubao\n",
		`\"`,
		`<http://schema.org/name>`,
		`<a> <b> <c> .`,
	} {
		res, err := s.Query(ctx, nameOut, store.QueryOptions{Params: map[string]string{"name": evil}})
		if err != nil || len(res.Result) != 0 {
			t.Errorf("param %q: %v, %v; want no results", evil, res, err)
		}
	}
	if quadCount(t, s) != before {
		t.Error("a query changed the store")
	}
}

func TestQueryLimitSaysWhenItCuts(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	ctx := context.Background()
	res, err := s.Query(ctx, `g.V().All()`, store.QueryOptions{Limit: 5})
	if err != nil || len(res.Result) != 5 || !res.Truncated {
		t.Fatalf("limit 5: %d results, truncated %v, err %v", len(res.Result), res.Truncated, err)
	}
	res, err = s.Query(ctx, nameOut, store.QueryOptions{Limit: 1, Params: map[string]string{"name": "Zhu Huan"}})
	if err != nil || len(res.Result) != 1 || res.Truncated {
		t.Errorf("exactly the limit is not truncated: %+v, %v", res, err)
	}
	res, err = s.Query(ctx, `g.V().All()`, store.QueryOptions{})
	if err != nil || res.Truncated || len(res.Result) < 500 {
		t.Errorf("no limit: %d results, truncated %v", len(res.Result), res.Truncated)
	}
}

func TestQueryTimeoutStopsARunawayQuery(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	start := time.Now()
	_, err := s.Query(context.Background(), `while (true) {}`, store.QueryOptions{Timeout: 200 * time.Millisecond})
	if fail.CodeOf(err) != fail.Timeout {
		t.Fatalf("err = %v, want Timeout", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("stopping took %s", elapsed)
	}
	if _, err := s.Query(context.Background(), `g.V().Limit(1).All()`, store.QueryOptions{}); err != nil {
		t.Errorf("store unusable after a timeout: %v", err)
	}
}

func TestQueryErrors(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	for _, q := range []string{`g.V(.All()`, `undefinedThing.All()`} {
		if _, err := s.Query(context.Background(), q, store.QueryOptions{}); fail.CodeOf(err) != fail.Invalid {
			t.Errorf("%s: %v, want Invalid", q, err)
		}
	}
	if _, err := s.Query(context.Background(), `x`, store.QueryOptions{Lang: "sparql"}); fail.CodeOf(err) != fail.Invalid {
		t.Errorf("unknown language: %v", err)
	}
}

func TestSessionKeepsVariablesAcrossQueries(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	se := s.NewSession()
	ctx := context.Background()
	if _, err := se.Query(ctx, `var who = "Zhu Huan"`, store.QueryOptions{}); err != nil {
		t.Fatal(err)
	}
	// A truncated query stops the runtime early; the next must still run.
	if res, err := se.Query(ctx, `g.V().All()`, store.QueryOptions{Limit: 1}); err != nil || !res.Truncated {
		t.Fatalf("%v %v", res, err)
	}
	res, err := se.Query(ctx, `g.V().Has("<http://schema.org/name>", who).Out("<http://schema.org/jobTitle>").All()`, store.QueryOptions{})
	if err != nil || len(res.Result) != 1 {
		t.Fatalf("second query: %v, %v", res, err)
	}
}

// namedQueryCase pairs a named Gizmo query with the library call that
// answers the same question; both give the ids of the records found.
type namedQueryCase struct {
	query   string
	params  map[string]string
	command func(context.Context, *store.Store) ([]string, error)
}

func appointmentIDs(f graph.AppointmentFilter) func(context.Context, *store.Store) ([]string, error) {
	return func(ctx context.Context, s *store.Store) ([]string, error) {
		rows, _, err := graph.New(s).Appointments(ctx, f)
		return ids(rows, func(a graph.Appointment) string { return a.ID }), err
	}
}

func policyIDs(place string) func(context.Context, *store.Store) ([]string, error) {
	return func(ctx context.Context, s *store.Store) ([]string, error) {
		rows, _, err := graph.New(s).Policies(ctx, graph.PolicyFilter{Place: place})
		return ids(rows, func(p graph.PolicyHit) string { return p.ID }), err
	}
}

func investmentIDs(place string) func(context.Context, *store.Store) ([]string, error) {
	return func(ctx context.Context, s *store.Store) ([]string, error) {
		rows, _, err := graph.New(s).Investments(ctx, graph.InvestmentFilter{Place: place})
		return ids(rows, func(i graph.Investment) string { return i.ID }), err
	}
}

func observationIDs(place, indicator string) func(context.Context, *store.Store) ([]string, error) {
	return func(ctx context.Context, s *store.Store) ([]string, error) {
		rows, _, err := graph.New(s).Indicators(ctx, graph.IndicatorFilter{Places: []string{place}, Indicator: indicator})
		var out []string
		for _, o := range rows {
			out = append(out, o.IDs...)
		}
		sort.Strings(out)
		return out, err
	}
}

// TestNamedQueriesAgreeWithCommands runs each named Gizmo query and the task
// command that answers the same question and compares the records found.
func TestNamedQueriesAgreeWithCommands(t *testing.T) {
	var cases []namedQueryCase
	for _, place := range []string{"Jilin", "Liaoning", "Northeast", "Dongbei", "Meihekou"} {
		cases = append(cases, namedQueryCase{"appointments-to", map[string]string{"place": place}, appointmentIDs(graph.AppointmentFilter{To: place})})
	}
	for _, place := range []string{"Jiangsu", "Zhejiang", "Nanjing", "China"} {
		cases = append(cases, namedQueryCase{"appointments-from", map[string]string{"place": place}, appointmentIDs(graph.AppointmentFilter{From: place})})
	}
	for _, place := range []string{"Harbin", "Meihekou", "Liaoning", "Suzhou", "Jilin City"} {
		cases = append(cases, namedQueryCase{"policies-for-place", map[string]string{"place": place}, policyIDs(place)})
	}
	for _, place := range []string{"Shenyang", "Liaoning", "Northeast"} {
		cases = append(cases, namedQueryCase{"investments-in-place", map[string]string{"place": place}, investmentIDs(place)})
	}
	for _, place := range []string{"Liaoning", "Heilongjiang", "Shenyang"} {
		cases = append(cases, namedQueryCase{"indicators-for-place", map[string]string{"place": place}, observationIDs(place, "")})
	}
	cases = append(cases, namedQueryCase{"indicators-for-place", map[string]string{"place": "Jilin", "indicator": "gdp-growth"}, observationIDs("Jilin", "gdp-growth")})

	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		for _, tc := range cases {
			t.Run(tc.query+"/"+tc.params["place"]+tc.params["indicator"], func(t *testing.T) {
				q, err := queries.Get(tc.query)
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.Query(ctx, q.Text, store.QueryOptions{Params: tc.params})
				if err != nil {
					t.Fatal(err)
				}
				var fromQuery []string
				for _, r := range res.Result {
					obj, _ := r.(map[string]any)
					id, _ := obj["id"].(string)
					fromQuery = append(fromQuery, schema.ShortID(quad.IRI(strings.Trim(id, "<>"))))
				}
				sort.Strings(fromQuery)
				want, err := tc.command(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				if len(want) == 0 {
					t.Fatal("the command finds nothing, so the comparison proves little")
				}
				if !sameSet(fromQuery, want) {
					b, _ := json.Marshal(res.Result)
					t.Errorf("query %s = %v\ncommand = %v\n%s", tc.query, fromQuery, want, b)
				}
			})
		}
	})
}

func TestEveryNamedQueryIsDescribedAndRuns(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	list := queries.List()
	if len(list) < 5 {
		t.Fatalf("%d named queries", len(list))
	}
	for _, q := range list {
		if q.Description == "" || strings.HasPrefix(q.Description, "var") {
			t.Errorf("%s: first line must be a // description, got %q", q.Name, q.Description)
		}
		params := map[string]string{"place": "Liaoning", "name": "Cao Lubao"}
		if _, err := s.Query(context.Background(), q.Text, store.QueryOptions{Params: params}); err != nil {
			t.Errorf("%s: %v", q.Name, err)
		}
	}
}
