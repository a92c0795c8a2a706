package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

func TestAppointments(t *testing.T) {
	tests := []struct {
		name   string
		filter graph.AppointmentFilter
		want   []string // people
		code   fail.Code
	}{
		{"into a province", graph.AppointmentFilter{To: "Jilin"}, []string{"Cao Lubao", "Ruan Ganghui", "Zhu Huan"}, 0},
		{"into another", graph.AppointmentFilter{To: "Liaoning"}, []string{"Jiang Bing"}, 0},
		{"into the region by alias", graph.AppointmentFilter{To: "Dongbei"}, []string{"Cao Lubao", "Jiang Bing", "Ruan Ganghui", "Zhu Huan"}, 0},
		{"from a province through a city and a district", graph.AppointmentFilter{From: "Jiangsu"}, []string{"Cao Lubao", "Jiang Bing"}, 0},
		{"from Zhejiang", graph.AppointmentFilter{From: "Zhejiang"}, []string{"Ruan Ganghui", "Zhu Huan"}, 0},
		{"from a district", graph.AppointmentFilter{From: "Gaochun District"}, []string{"Jiang Bing"}, 0},
		{"from and to", graph.AppointmentFilter{From: "Zhejiang", To: "Meihekou"}, []string{"Zhu Huan"}, 0},
		{"by person", graph.AppointmentFilter{Person: "jiang bing"}, []string{"Jiang Bing"}, 0},
		{"a relocation for a company job is no appointment", graph.AppointmentFilter{Person: "Gu Wenhao"}, nil, 0},
		{"into a place nobody went", graph.AppointmentFilter{To: "Heilongjiang"}, nil, 0},
		{"since 2024", graph.AppointmentFilter{To: "Northeast", DateRange: graph.DateRange{Since: "2024"}}, []string{"Jiang Bing", "Ruan Ganghui", "Zhu Huan"}, 0},
		{"until 2024-05", graph.AppointmentFilter{To: "Northeast", DateRange: graph.DateRange{Until: "2024-05"}}, []string{"Cao Lubao"}, 0},
		{"a range overlapping July 2024", graph.AppointmentFilter{DateRange: graph.DateRange{Since: "2024-07", Until: "2024-07"}}, []string{"Ruan Ganghui", "Zhu Huan"}, 0},
		{"unknown place", graph.AppointmentFilter{To: "Jilni"}, nil, fail.NotFound},
		{"a person is not a place", graph.AppointmentFilter{To: "Cao Lubao"}, nil, fail.NotFound},
		{"bad date", graph.AppointmentFilter{DateRange: graph.DateRange{Since: "June"}}, nil, fail.Invalid},
	}
	forEachBackend(t, func(t *testing.T, s *graph.Graph) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, _, err := s.Appointments(context.Background(), tt.filter)
				if tt.code != 0 {
					if fail.CodeOf(err) != tt.code {
						t.Fatalf("err = %v, want code %d", err, tt.code)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(rows, func(a graph.Appointment) string { return a.Person }); !sameSet(got, tt.want) {
					t.Errorf("people = %v, want %v", got, tt.want)
				}
			})
		}
	})
}

func TestAppointmentRowCarriesPostsPlacesDateAndSource(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	rows, notes, err := s.Appointments(context.Background(), graph.AppointmentFilter{Person: "Cao Lubao"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
	a := rows[0]
	if a.FromPost != "Party secretary of Suzhou" || a.FromPlace != "Suzhou" || a.ToPlace != "Jilin" ||
		!strings.Contains(a.ToPost, "publicity department") || a.Date != "2023-10" || a.Kind != "permanent" {
		t.Errorf("row = %+v", a)
	}
	if len(a.Sources) != 1 || a.Sources[0].Publisher != "NewsChina" || a.Sources[0].Title != "Rust to Riches" {
		t.Errorf("sources = %+v", a.Sources)
	}
	if len(notes) != 0 {
		t.Errorf("notes = %v", notes)
	}
	rows, notes, _ = s.Appointments(context.Background(), graph.AppointmentFilter{To: "Jilin"})
	if len(notes) != 1 || !strings.Contains(notes[0], "place/jilin-city") {
		t.Errorf("resolving Jilin should note the city it did not take: %v", notes)
	}
	for _, a := range rows {
		if a.Person == "Jiang Bing" && a.Date != "by 2024-12-01" {
			t.Errorf("undated appointment should read as reported by the article: %q", a.Date)
		}
	}
}

func TestPolicies(t *testing.T) {
	northeast := []string{
		"policy/northeast-government-services-campaign", "policy/northeast-old-industrial-bases-2003",
		"policy/talent-cooperation-agreement-2005", "policy/pairing-assistance-2016",
		"policy/regular-transfer-mechanism-2017", "policy/northeast-breakthrough-guideline-2023",
	}
	national := []string{"policy/no1-document-2024"}
	with := func(lists ...[]string) []string {
		var out []string
		for _, l := range lists {
			out = append(out, l...)
		}
		return out
	}
	tests := []struct {
		name   string
		filter graph.PolicyFilter
		want   []string
	}{
		// Harbin: its own new area, Heilongjiang's city cluster, the region's and the nation's;
		// not Changchun's new area (a sibling) nor Liaoning's free trade zone.
		{"city", graph.PolicyFilter{Place: "Harbin"}, with(northeast, national, []string{"policy/harbin-new-area", "policy/harbin-changchun-city-cluster"})},
		// Meihekou reaches the region through two containment steps.
		{"city two steps down", graph.PolicyFilter{Place: "Meihekou"}, with(northeast, national, []string{"policy/harbin-changchun-city-cluster", "policy/jilin-liaoning-talent-policies"})},
		{"province", graph.PolicyFilter{Place: "Liaoning"}, with(northeast, national, []string{"policy/liaoning-free-trade-zone-2017", "policy/liaoning-work-report-2024", "policy/jilin-liaoning-talent-policies"})},
		{"province and inside", graph.PolicyFilter{Place: "Jilin", Inside: true}, with(northeast, national, []string{"policy/harbin-changchun-city-cluster", "policy/jilin-liaoning-talent-policies", "policy/changchun-new-area"})},
		{"outside the region", graph.PolicyFilter{Place: "Suzhou"}, national},
		{"dated range", graph.PolicyFilter{Place: "Harbin", DateRange: graph.DateRange{Since: "2016", Until: "2017"}}, []string{"policy/pairing-assistance-2016", "policy/regular-transfer-mechanism-2017", "policy/harbin-new-area", "policy/harbin-changchun-city-cluster"}},
	}
	forEachBackend(t, func(t *testing.T, s *graph.Graph) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, _, err := s.Policies(context.Background(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(rows, func(p graph.PolicyHit) string { return p.ID }); !sameSet(got, tt.want) {
					t.Errorf("policies = %v\nwant %v", got, tt.want)
				}
			})
		}
	})
}

func TestPolicyViaShowsTheContainmentChain(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	rows, _, err := s.Policies(context.Background(), graph.PolicyFilter{Place: "Harbin"})
	if err != nil {
		t.Fatal(err)
	}
	via := map[string]string{}
	for _, p := range rows {
		via[p.ID] = p.Via
		if len(p.Sources) == 0 {
			t.Errorf("%s has no source", p.ID)
		}
	}
	want := map[string]string{
		"policy/harbin-new-area":                     "Harbin",
		"policy/harbin-changchun-city-cluster":       "Harbin ⊂ Heilongjiang",
		"policy/northeast-old-industrial-bases-2003": "Harbin ⊂ Heilongjiang ⊂ Northeast",
		"policy/no1-document-2024":                   "Harbin ⊂ Heilongjiang ⊂ Northeast ⊂ China",
	}
	for id, w := range want {
		if via[id] != w {
			t.Errorf("via of %s = %q, want %q", id, via[id], w)
		}
	}
	if _, _, err := s.Policies(context.Background(), graph.PolicyFilter{}); fail.CodeOf(err) != fail.Invalid {
		t.Errorf("policies without a place: %v, want Invalid", err)
	}
}

func TestInvestments(t *testing.T) {
	tests := []struct {
		name   string
		filter graph.InvestmentFilter
		want   []string
	}{
		{"city", graph.InvestmentFilter{Place: "Shenyang"}, []string{"investment/bmw-shenyang"}},
		{"province contains the city", graph.InvestmentFilter{Place: "Liaoning"}, []string{"investment/bmw-shenyang"}},
		{"elsewhere", graph.InvestmentFilter{Place: "Jilin"}, nil},
		{"company", graph.InvestmentFilter{Company: "bmw"}, []string{"investment/bmw-shenyang"}},
		{"another company", graph.InvestmentFilter{Company: "Siasun"}, nil},
		{"all", graph.InvestmentFilter{}, []string{"investment/bmw-shenyang"}},
	}
	forEachBackend(t, func(t *testing.T, s *graph.Graph) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, _, err := s.Investments(context.Background(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(rows, func(i graph.Investment) string { return i.ID }); !sameSet(got, tt.want) {
					t.Errorf("investments = %v, want %v", got, tt.want)
				}
			})
		}
	})
	s := openGraph(t, "memory:", store.Options{})
	rows, _, _ := s.Investments(context.Background(), graph.InvestmentFilter{Place: "Shenyang"})
	bmw := rows[0]
	if bmw.Amount != 3e9 || bmw.Currency != "EUR" || bmw.AmountConverted != 3.4e9 || bmw.ConvertedCurrency != "USD" ||
		len(bmw.People) != 1 || !strings.HasPrefix(bmw.People[0], "Johann Wieland") || bmw.Date != "undated" {
		t.Errorf("BMW row = %+v", bmw)
	}
}

func TestIndicators(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *graph.Graph) {
		rows, _, err := s.Indicators(context.Background(), graph.IndicatorFilter{Places: []string{"Liaoning", "Jilin"}, Indicator: "gdp-growth"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, o := range rows {
			key := o.Place + " " + o.Period
			if _, dup := got[key]; dup {
				t.Errorf("two rows for %s: figures reported alike by several sources must merge", key)
			}
			got[key] = string(o.Value) + o.ValueText
			if o.Indicator != "GDP growth" || o.Unit != "percent" {
				t.Errorf("row %+v", o)
			}
		}
		want := map[string]string{
			"Liaoning 2015": "3", "Jilin 2015": "6.5", "Liaoning 2016": "negative (the economy contracted)",
			"Liaoning 2017-Q1": "2.4", "Liaoning 2023": "5.3", "Jilin 2023": "6.3",
			"Liaoning Q1-Q3": "5.4", "Jilin Q1-Q3": "4",
			"Liaoning until 2012-2013": "double-digit", "Jilin until 2012-2013": "double-digit",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %q, want %q", k, got[k], v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("got %d rows %v, want %d", len(got), got, len(want))
		}
		for _, o := range rows {
			if o.Place == "Liaoning" && o.Period == "2023" && len(o.Sources) != 2 {
				t.Errorf("Liaoning 2023 growth is reported by two sources, row cites %v", o.Sources)
			}
		}
		// Periods that name no year of their own sort after dated ones.
		for _, last := range rows[len(rows)-4:] {
			if last.Period != "Q1-Q3" && last.Period != "until 2012-2013" {
				t.Errorf("row %+v among the last, want the figures of no stated year last", last)
			}
		}
	})
}

func TestIndicatorsCoverCompaniesAndPeriods(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	ctx := context.Background()
	rows, _, err := s.Indicators(ctx, graph.IndicatorFilter{Places: []string{"Shenyang"}})
	if err != nil || len(rows) != 1 || rows[0].PlaceID != "company/siasun" || rows[0].Value != "41" {
		t.Errorf("Shenyang figures = %+v, %v; want Siasun's output growth", rows, err)
	}
	rows, _, _ = s.Indicators(ctx, graph.IndicatorFilter{Places: []string{"Heilongjiang"}, Period: "2023"})
	about := map[string]int{}
	for _, o := range rows {
		if !strings.HasPrefix(o.Period, "2023") {
			t.Errorf("row %+v outside 2023", o)
		}
		about[o.PlaceID]++
	}
	// Heilongjiang's own growth, grain output, share and rank; not the
	// figures of the rail corridor whose ports lie in Heilongjiang and in
	// Inner Mongolia, which are the corridor's, not the province's.
	if about["place/heilongjiang"] < 4 || len(about) != 1 {
		t.Errorf("Heilongjiang 2023 figures by subject: %v", about)
	}
	// A company that lies wholly in the province counts as its.
	rows, _, _ = s.Indicators(ctx, graph.IndicatorFilter{Places: []string{"Heilongjiang"}, Period: "2008"})
	if len(rows) != 1 || rows[0].PlaceID != "company/daqing-petrochemical" {
		t.Errorf("Heilongjiang 2008 figures = %+v, want Daqing Petrochemical's", rows)
	}
	// The corridor's figures are China's, which holds both its provinces.
	for _, place := range []string{"Heilongjiang", "Inner Mongolia", "Northeast", "China"} {
		rows, _, _ = s.Indicators(ctx, graph.IndicatorFilter{Places: []string{place}, Indicator: "freight-trains"})
		if want := map[bool]int{true: 3, false: 0}[place == "China"]; len(rows) != want {
			t.Errorf("%s: %d east-corridor train figures, want %d: %+v", place, len(rows), want, rows)
		}
	}
	if _, _, err := s.Indicators(ctx, graph.IndicatorFilter{Indicator: "gdp-grwth"}); fail.CodeOf(err) != fail.NotFound || !strings.Contains(err.Error(), "gdp-growth") {
		t.Errorf("unknown indicator: %v", err)
	}
	list, err := s.IndicatorList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range list {
		if ind.ID == "gdp-growth" && ind.Observations < 10 {
			t.Errorf("gdp-growth has %d figures", ind.Observations)
		}
		if ind.Name == "" || ind.Unit == "" {
			t.Errorf("indicator %+v lacks a name or unit", ind)
		}
	}
}

func TestTimelineIsInDateOrder(t *testing.T) {
	s := openGraph(t, boltPath(t), store.Options{})
	rows, _, err := s.Timeline(context.Background(), "Jilin")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	seenUndated := false
	prev := ""
	for _, e := range rows {
		kinds[e.Kind] = true
		if e.DateStart == "" {
			seenUndated = true
			continue
		}
		if seenUndated {
			t.Errorf("dated entry %+v after undated ones", e)
		}
		if e.DateStart < prev {
			t.Errorf("%s comes after %s", e.DateStart, prev)
		}
		prev = e.DateStart
		if len(e.Sources) == 0 {
			t.Errorf("entry without source: %+v", e)
		}
	}
	for _, k := range []string{"appointment", "policy", "figure"} {
		if !kinds[k] {
			t.Errorf("Jilin's timeline has no %s", k)
		}
	}
	var found bool
	for _, e := range rows {
		found = found || strings.Contains(e.Summary, "Cao Lubao") && e.Date == "2023-10"
	}
	if !found {
		t.Error("Cao Lubao's appointment is missing from Jilin's timeline")
	}
}

func TestCardListsFactsRecordsAndSources(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	card, _, err := s.Card(context.Background(), "Cao Lubao")
	if err != nil {
		t.Fatal(err)
	}
	if card.ID != "person/cao-lubao" || card.Class != "Person" || len(card.Facts) < 2 {
		t.Errorf("card = %+v", card)
	}
	if len(card.Records) != 1 || !strings.Contains(card.Records[0].Summary, "Suzhou") ||
		!strings.Contains(card.Records[0].Summary, "Jilin") || card.Records[0].Sources[0].Publisher != "NewsChina" {
		t.Errorf("records = %+v", card.Records)
	}
	for _, f := range card.Facts {
		if len(f.Sources) == 0 {
			t.Errorf("fact without source: %+v", f)
		}
	}
	place, _, err := s.Card(context.Background(), "China")
	if err != nil {
		t.Fatal(err)
	}
	contains := 0
	for _, m := range place.Mentions {
		if m.Predicate == "contains" {
			contains++
		}
	}
	if contains < 5 {
		t.Errorf("China's card shows %d contained places", contains)
	}
}
