package graph_test

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/rustbelt/rustbelt/graph"
)

// question is one of the graph's questions with fixed arguments.
type question struct {
	name string
	ask  func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error)
}

// withNotes and withoutNotes adapt the graph's methods to question.ask.
func withNotes[T any](v T, notes graph.Notes, err error) (any, graph.Notes, error) {
	return v, notes, err
}

func withoutNotes[T any](v T, err error) (any, graph.Notes, error) { return v, nil, err }

// questions asks every task question the commands and the server ask, over
// the bundled dataset: each filter of each, places that share a name
// (Jilin), policies aimed at several places, the whole graph and parts of it.
var questions = []question{
	{"appointments", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Appointments(ctx, graph.AppointmentFilter{}))
	}},
	{"appointments to Jilin", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Appointments(ctx, graph.AppointmentFilter{To: "Jilin"}))
	}},
	{"appointments to Northeast since 2024", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Appointments(ctx, graph.AppointmentFilter{To: "Northeast", DateRange: graph.DateRange{Since: "2024"}}))
	}},
	{"appointments from Jiangsu", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Appointments(ctx, graph.AppointmentFilter{From: "Jiangsu"}))
	}},
	{"appointments of a person", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Appointments(ctx, graph.AppointmentFilter{Person: "Cao Lubao"}))
	}},
	{"policies China inside", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Policies(ctx, graph.PolicyFilter{Place: "China", Inside: true}))
	}},
	{"policies Northeast inside", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Policies(ctx, graph.PolicyFilter{Place: "Northeast", Inside: true}))
	}},
	{"policies Jilin inside", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Policies(ctx, graph.PolicyFilter{Place: "Jilin", Inside: true}))
	}},
	{"policies Meihekou", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Policies(ctx, graph.PolicyFilter{Place: "Meihekou"}))
	}},
	{"policies Daqing", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Policies(ctx, graph.PolicyFilter{Place: "Daqing"}))
	}},
	{"investments", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Investments(ctx, graph.InvestmentFilter{}))
	}},
	{"investments in Liaoning", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Investments(ctx, graph.InvestmentFilter{Place: "Liaoning"}))
	}},
	{"investments of a company", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Investments(ctx, graph.InvestmentFilter{Company: "BMW"}))
	}},
	{"indicators", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Indicators(ctx, graph.IndicatorFilter{}))
	}},
	{"indicators of Northeast", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Indicators(ctx, graph.IndicatorFilter{Places: []string{"Northeast"}}))
	}},
	{"indicators of two provinces", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Indicators(ctx, graph.IndicatorFilter{Places: []string{"Liaoning", "Jilin"}, Indicator: "gdp-growth"}))
	}},
	{"indicator list", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withoutNotes(g.IndicatorList(ctx))
	}},
	{"timeline China", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Timeline(ctx, "China"))
	}},
	{"timeline Jilin", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Timeline(ctx, "Jilin"))
	}},
	{"timeline Heilongjiang", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Timeline(ctx, "Heilongjiang"))
	}},
	{"card of a place", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Card(ctx, "China"))
	}},
	{"card of an ambiguous place name", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Card(ctx, "Jilin"))
	}},
	{"card of a person", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Card(ctx, "person/cao-lubao"))
	}},
	{"card of a policy", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Card(ctx, "policy/jilin-liaoning-talent-policies"))
	}},
	{"card of a source", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Card(ctx, "source/seed-002"))
	}},
	{"subgraph", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Subgraph(ctx, graph.SubgraphOptions{}))
	}},
	{"subgraph of Northeast", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Subgraph(ctx, graph.SubgraphOptions{Centers: []string{"Northeast"}, Depth: 1}))
	}},
	{"subgraph of Jilin reified", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Subgraph(ctx, graph.SubgraphOptions{Centers: []string{"Jilin", "BMW"}, Depth: 2, Reified: true}))
	}},
	{"subgraph quads", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		sg, notes, err := g.Subgraph(ctx, graph.SubgraphOptions{Centers: []string{"Liaoning"}, Depth: 1})
		if err != nil {
			return nil, notes, err
		}
		var b bytes.Buffer
		err = sg.WriteQuads(&b, "nquads")
		return b.String(), notes, err
	}},
	{"career", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Career(ctx, "Jiang Bing"))
	}},
	{"holders on a date", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Holders(ctx, graph.HolderFilter{Post: "Party secretary of Suzhou", On: "2023"}))
	}},
	{"holders of a place", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Holders(ctx, graph.HolderFilter{Place: "Jilin"}))
	}},
	{"flows by province", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Flows(ctx, graph.FlowFilter{}))
	}},
	{"flows by city into the Northeast", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withNotes(g.Flows(ctx, graph.FlowFilter{Level: "city", To: "Northeast"}))
	}},
	{"stats", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withoutNotes(g.Stats(ctx))
	}},
	{"sources", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withoutNotes(g.Sources(ctx))
	}},
	{"within", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withoutNotes(g.Within(ctx, "place/china"))
	}},
	{"resolve", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withoutNotes(g.Resolve(ctx, "jilin"))
	}},
	{"suggest", func(ctx context.Context, g *graph.Graph) (any, graph.Notes, error) {
		return withoutNotes(g.Suggest(ctx, "ji", 20))
	}},
}

// answerBytes is an answer as one string of bytes: the JSON of its value,
// its notes and its error. It is safe to call from any goroutine: an answer
// that cannot be encoded reads as the encoding error, which no answer equals.
func answerBytes(v any, notes graph.Notes, err error) string {
	b, merr := json.Marshal(struct {
		Value any
		Notes graph.Notes
		Err   string
	}{v, notes, errText(err)})
	if merr != nil {
		return "cannot encode the answer: " + merr.Error()
	}
	return string(b)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
