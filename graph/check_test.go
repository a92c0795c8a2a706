package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// checkSource is the source of the facts the check tests add.
const checkSource = `<https://rustbelt.dev/id/source/check-test> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> <https://rustbelt.dev/id/source/check-test> .
<https://rustbelt.dev/id/source/check-test> <http://schema.org/name> "A check test" <https://rustbelt.dev/id/source/check-test> .
<https://rustbelt.dev/id/source/check-test> <http://schema.org/publisher> "Test Daily" <https://rustbelt.dev/id/source/check-test> .
<https://rustbelt.dev/id/source/check-test> <http://schema.org/datePublished> "2025-01-01" <https://rustbelt.dev/id/source/check-test> .
`

// figure is an observation of the check test's source, for Liaoning, with
// extra quads (a bound, "about") in N-Quads after the value.
func figure(id, indicator, period, value, unit, extra string) string {
	const l = " <https://rustbelt.dev/id/source/check-test> .\n"
	s := "<https://rustbelt.dev/id/obs/" + id + ">"
	out := s + " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Observation>" + l +
		s + " <https://rustbelt.dev/ns/about> <https://rustbelt.dev/id/place/liaoning>" + l +
		s + " <https://rustbelt.dev/ns/indicator> <https://rustbelt.dev/id/indicator/" + indicator + ">" + l +
		s + ` <https://rustbelt.dev/ns/period> "` + period + `"` + l +
		s + ` <https://rustbelt.dev/ns/value> "` + value + `"` + l +
		s + ` <https://rustbelt.dev/ns/unit> "` + unit + `"` + l
	if extra != "" {
		out += s + " " + extra + l
	}
	return out
}

// load adds N-Quads to a store.
func load(t *testing.T, s *store.Store, name, nq string) {
	t.Helper()
	if _, err := s.Load(context.Background(), []store.Input{stringInput(name, nq)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
}

// findings lists the findings of a rule as "severity subject: message".
func findings(list []graph.Finding, rule string) []string {
	var out []string
	for _, f := range list {
		if f.Rule == rule {
			out = append(out, f.Severity+" "+f.Subject+": "+f.Message)
		}
	}
	return out
}

// TestCheckIsCleanOnTheBundledData: the bundled graph has no errors and no
// warnings; its findings are the facts the sheets mark inferred, each
// cited with its inference and the article it is drawn from.
func TestCheckIsCleanOnTheBundledData(t *testing.T) {
	forEachBackend(t, func(t *testing.T, g *graph.Graph) {
		list, err := g.Check(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var subjects []string
		for _, f := range list {
			if f.Severity != graph.SeverityInfo || f.Rule != graph.RuleInferred {
				t.Errorf("finding on the bundled data: %+v", f)
				continue
			}
			if len(f.Sources) != 1 || f.Sources[0].InferredFrom == nil || f.Sources[0].Inference == "" {
				t.Errorf("inferred fact not cited with its inference: %+v", f)
			}
			subjects = append(subjects, f.IDs[0])
		}
		for _, want := range []string{"place/daqing", "place/siping", "place/qiqihar", "person/li-kai", "investment/bmw-shenyang"} {
			if !slices.Contains(subjects, want) {
				t.Errorf("no inferred fact about %s among %v", want, subjects)
			}
		}
	})
}

// TestCheckFindsEachRule adds to the bundled graph one case of each rule,
// and one case of each that must not be found, on every backend.
func TestCheckFindsEachRule(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		load(t, s, "check.nq", checkSource+
			// 5.4 against the 5.3 of two articles: a conflict.
			figure("check-growth", "gdp-growth", "2023", "5.4", "percent", "")+
			// Less than 2 trillion against more than 3 trillion: a conflict.
			figure("check-gdp-low", "gdp", "2023", "2000000000000", "yuan", `<https://rustbelt.dev/ns/bound> "less than"`)+
			// 3.5 trillion fits more than 3 trillion: no conflict.
			figure("check-gdp-fits", "gdp", "2023", "3500000000000", "yuan", "")+
			// About 86 thousand fits 86,000, in other words: no conflict.
			figure("check-inflow", "net-resident-inflow", "2023", "86000", "persons", `<https://rustbelt.dev/ns/approximate> "true"`)+
			// A person of a name the graph has, and one a letter from
			// another's; both linked to nothing.
			strings.ReplaceAll(newFacts, "Test Official", "Li Kai")+
			strings.ReplaceAll(strings.ReplaceAll(newFacts, "Test Official", "Zhu Huang"), "test-official", "zhu-huang")+
			// An indicator no figure measures.
			"<https://rustbelt.dev/id/indicator/check-unused> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Indicator> <https://rustbelt.dev/id/source/check-test> .\n"+
			"<https://rustbelt.dev/id/indicator/check-unused> <http://schema.org/name> \"Unused measure\" <https://rustbelt.dev/id/source/check-test> .\n")
		// A record left without its destination, as a delete may leave it.
		if _, err := s.Delete(ctx, []store.Input{stringInput("cut.nq",
			"<https://rustbelt.dev/id/appointment/cao-lubao-2023> <https://rustbelt.dev/ns/toPlace> <https://rustbelt.dev/id/place/jilin> <https://rustbelt.dev/id/source/seed-002> .\n")}); err != nil {
			t.Fatal(err)
		}
		list, err := graph.New(s).Check(ctx)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			rule string
			want []string
		}{
			{graph.RuleConflict, []string{
				"error GDP growth, Liaoning, 2023: the sources disagree: 5.4 percent (Test Daily 2025-01-01), but 5.3 percent (NewsChina 2024-12-01; Xinhua 2024-02-26)",
				"error GDP, Liaoning, 2023: the sources disagree: less than 2 trillion yuan (Test Daily 2025-01-01), but more than 3 trillion yuan (Xinhua 2024-02-26)",
			}},
			{graph.RuleIncomplete, []string{
				"error Cao Lubao: Party secretary of Suzhou (Suzhou) → Director of Jilin's provincial publicity department (), permanent (appointment/cao-lubao-2023): lacks what every appointment needs: toPlace",
			}},
			{graph.RuleDuplicate, []string{
				"warning Li Kai (person/li-kai): may be the same Person as Li Kai (person/test-official): if it is, give both names to one; if not, tell them apart (a description, an alias)",
				"warning Zhu Huan (person/zhu-huan): may be the same Person as Zhu Huang (person/zhu-huang): if it is, give both names to one; if not, tell them apart (a description, an alias)",
			}},
			{graph.RuleUnreferenced, []string{
				"warning Li Kai (person/test-official): this person is linked to nothing: nothing refers to it, and it refers to nothing",
				"warning Unused measure (indicator/check-unused): no record refers to this indicator",
				"warning Zhu Huang (person/zhu-huang): this person is linked to nothing: nothing refers to it, and it refers to nothing",
			}},
		}
		for _, tt := range tests {
			if got := findings(list, tt.rule); !slices.Equal(got, tt.want) {
				t.Errorf("%s findings:\n%s\nwant:\n%s", tt.rule, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		}
		if got := findings(list, graph.RuleInferred); len(got) == 0 {
			t.Errorf("no inferred facts found")
		}
		// Errors first, then warnings, then infos.
		for i := 1; i < len(list); i++ {
			if rank(list[i].Severity) < rank(list[i-1].Severity) {
				t.Errorf("%s finding after %s: %+v", list[i].Severity, list[i-1].Severity, list[i])
			}
		}
		for _, f := range list {
			if len(f.Sources) == 0 || len(f.IDs) == 0 {
				t.Errorf("finding without sources or ids: %+v", f)
			}
		}
	})
}

func rank(severity string) int {
	return slices.Index([]string{graph.SeverityError, graph.SeverityWarning, graph.SeverityInfo}, severity)
}

// TestIndicatorsMarkDisagreeingFigures: each of two figures that disagree
// lists the other, with its value and sources; figures that fit together
// (a value beyond a bound, one that rounds to an "about") list nothing.
func TestIndicatorsMarkDisagreeingFigures(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		load(t, s, "check.nq", checkSource+
			figure("check-growth", "gdp-growth", "2023", "5.4", "percent", "")+
			figure("check-gdp-fits", "gdp", "2023", "3500000000000", "yuan", "")+
			figure("check-inflow", "net-resident-inflow", "2023", "86000", "persons", `<https://rustbelt.dev/ns/approximate> "true"`))
		rows, _, err := graph.New(s).Indicators(context.Background(), graph.IndicatorFilter{Places: []string{"Liaoning"}, Period: "2023"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, o := range rows {
			var others []string
			for _, d := range o.Conflict {
				others = append(others, d.Text(false))
			}
			value := o.Value.String()
			if o.Bound != "" {
				value = o.Bound + " " + value
			}
			if o.Approximate {
				value = "about " + value
			}
			got[o.IndicatorID+" "+value] = strings.Join(others, " | ")
		}
		want := map[string]string{
			"gdp-growth 5.3":                  "5.4 percent (source/check-test)",
			"gdp-growth 5.4":                  "5.3 percent (source/seed-002; source/seed-003)",
			"gdp more than 3000000000000":     "",
			"gdp 3500000000000":               "",
			"net-resident-inflow 86000":       "",
			"net-resident-inflow about 86000": "",
		}
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				t.Errorf("%s: conflict %q (a row: %v), want %q", k, g, ok, v)
			}
		}
	})
}

// TestInferredFactsAreCitedAsInferred: a fact a sheet marks inferred is
// cited, wherever it shows, with its inference and the article it is drawn
// from, never as the article's statement; an untitled article says so.
func TestInferredFactsAreCitedAsInferred(t *testing.T) {
	forEachBackend(t, func(t *testing.T, g *graph.Graph) {
		ctx := context.Background()
		card, _, err := g.Card(ctx, "Siping")
		if err != nil {
			t.Fatal(err)
		}
		if card.Records == nil {
			t.Errorf("Siping's card has records null, not an empty list")
		}
		found := false
		for _, f := range card.Facts {
			if f.Predicate != "containedIn" {
				continue
			}
			found = true
			if len(f.Sources) != 1 || f.Sources[0].InferredFrom == nil || f.Sources[0].InferredFrom.ID != "source/seed-001" ||
				!strings.HasPrefix(f.Sources[0].String(), "inferred from Xinhua 2016-03-03: ") {
				t.Errorf("Siping in the Northeast is cited %+v", f.Sources)
			}
		}
		if !found {
			t.Errorf("Siping's card has no containment: %+v", card.Facts)
		}
		rows, _, err := g.Investments(ctx, graph.InvestmentFilter{Company: "BMW"})
		if err != nil || len(rows) != 1 {
			t.Fatalf("BMW's investments: %+v, %v", rows, err)
		}
		var cites []string
		for _, s := range rows[0].Sources {
			cites = append(cites, s.String())
		}
		if len(cites) != 2 || !strings.HasPrefix(cites[0], "inferred from seed-000 (untitled; publisher and date unknown): ") ||
			cites[1] != "seed-000 (untitled; publisher and date unknown)" || rows[0].Approximate || !rows[0].ConvertedApproximate {
			t.Errorf("BMW's investment: %+v cited %q", rows[0], cites)
		}
	})
}

// TestExportsShowBoundsAndInferences: an exported figure's label reads its
// bound, its attributes carry it, and an element whose facts are inferred
// carries how, beside its sources; inferences are no nodes of their own.
func TestExportsShowBoundsAndInferences(t *testing.T) {
	forEachBackend(t, func(t *testing.T, g *graph.Graph) {
		sg, _, err := g.Subgraph(context.Background(), graph.SubgraphOptions{Centers: []string{"Liaoning", "Siping"}, Depth: 1})
		if err != nil {
			t.Fatal(err)
		}
		var gdp, siping *graph.Edge
		for i, e := range sg.Edges {
			switch {
			case e.Attrs["record"] == "obs/s003-liaoning-gdp-2023":
				gdp = &sg.Edges[i]
			case e.Source == "place/siping" && e.Type == "containedIn":
				siping = &sg.Edges[i]
			}
		}
		if gdp == nil || gdp.Label != "more than 3000000000000 yuan, 2023" || gdp.Attrs["bound"] != "more than" || gdp.Attrs["convertedApproximate"] != "true" {
			t.Errorf("Liaoning's 2023 GDP edge: %+v", gdp)
		}
		if siping == nil || !strings.HasPrefix(siping.Attrs["inferred"], "inferred from Xinhua 2016-03-03: ") {
			t.Errorf("Siping's containment edge: %+v", siping)
		}
		for _, n := range sg.Nodes {
			if n.Type == "Inference" || n.Type == "Source" {
				t.Errorf("a citation drawn as a node: %+v", n)
			}
		}
	})
}
