package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// careerFacts are made-up tenures under a made-up source, in a made-up
// city of Jilin, and one the bundled article states: that Cao Lubao was
// Party secretary of Suzhou (it gives no start, and dates his move out).
var careerFacts = strings.Join([]string{
	fact("source/test-careers", "type", "<https://rustbelt.dev/ns/Source>", "test-careers"),
	fact("source/test-careers", "http://schema.org/name", `"Test careers"`, "test-careers"),
	fact("place/testville", "type", "<https://rustbelt.dev/ns/Place>", "test-careers"),
	fact("place/testville", "http://schema.org/name", `"Testville"`, "test-careers"),
	fact("place/testville", "placeKind", `"city"`, "test-careers"),
	fact("place/testville", "containedIn", "<https://rustbelt.dev/id/place/jilin>", "test-careers"),
	fact("post/testville-secretary", "type", "<https://rustbelt.dev/ns/Post>", "test-careers"),
	fact("post/testville-secretary", "http://schema.org/name", `"Party secretary of Testville"`, "test-careers"),
	fact("post/testville-secretary", "postPlace", "<https://rustbelt.dev/id/place/testville>", "test-careers"),
	fact("post/testville-mayor", "type", "<https://rustbelt.dev/ns/Post>", "test-careers"),
	fact("post/testville-mayor", "http://schema.org/name", `"Mayor of Testville"`, "test-careers"),
	fact("post/testville-mayor", "postPlace", "<https://rustbelt.dev/id/place/testville>", "test-careers"),
	person("person/test-a", "Test A"), person("person/test-b", "Test B"), person("person/test-c", "Test C"),
	// Test A, secretary 2010-03 to 2016; then mayor 2018 to 2020-06-30,
	// after a gap; Test B, secretary from 2016-05 on, after Test A (the
	// source says); Test C, secretary for some of 2015 too: an overlap.
	tenure("tenure/a-secretary", "person/test-a", "post/testville-secretary", "2010-03", "month", "2016", "year", ""),
	tenure("tenure/a-mayor", "person/test-a", "post/testville-mayor", "2018", "year", "2020-06-30", "day", ""),
	tenure("tenure/b-secretary", "person/test-b", "post/testville-secretary", "2016-05", "month", "", "", "person/test-a"),
	tenure("tenure/c-secretary", "person/test-c", "post/testville-secretary", "", "", "", "", ""),
	tenure("tenure/a-deputy", "person/test-a", "post/testville-mayor", "2014", "year", "2015", "year", ""),
	// The bundled article's own: Cao Lubao was Party secretary of Suzhou.
	fact("tenure/cao-lubao-suzhou", "type", "<https://rustbelt.dev/ns/Tenure>", "seed-002"),
	fact("tenure/cao-lubao-suzhou", "person", "<https://rustbelt.dev/id/person/cao-lubao>", "seed-002"),
	fact("tenure/cao-lubao-suzhou", "post", "<https://rustbelt.dev/id/post/suzhou-party-secretary>", "seed-002"),
}, "")

// fact is one quad: subject and label as short ids, the predicate as an
// rb: name, "type" or a full IRI, the object as N-Quads.
func fact(subject, pred, object, label string) string {
	switch {
	case pred == "type":
		pred = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	case !strings.Contains(pred, "://"):
		pred = "https://rustbelt.dev/ns/" + pred
	}
	return fmt.Sprintf("<https://rustbelt.dev/id/%s> <%s> %s <https://rustbelt.dev/id/source/%s> .\n", subject, pred, object, label)
}

func person(id, name string) string {
	return fact(id, "type", "<https://rustbelt.dev/ns/Person>", "test-careers") + fact(id, "http://schema.org/name", `"`+name+`"`, "test-careers")
}

func tenure(id, who, post, start, startPrec, end, endPrec, predecessor string) string {
	out := fact(id, "type", "<https://rustbelt.dev/ns/Tenure>", "test-careers") +
		fact(id, "person", "<https://rustbelt.dev/id/"+who+">", "test-careers") +
		fact(id, "post", "<https://rustbelt.dev/id/"+post+">", "test-careers")
	if start != "" {
		out += fact(id, "start", `"`+start+`"`, "test-careers") + fact(id, "startPrecision", `"`+startPrec+`"`, "test-careers")
	}
	if end != "" {
		out += fact(id, "end", `"`+end+`"`, "test-careers") + fact(id, "endPrecision", `"`+endPrec+`"`, "test-careers")
	}
	if predecessor != "" {
		out += fact(id, "predecessor", "<https://rustbelt.dev/id/"+predecessor+">", "test-careers")
	}
	return out
}

// withCareers runs fn on the graph of a seeded store of every backend,
// with careerFacts loaded.
func withCareers(t *testing.T, fn func(t *testing.T, g *graph.Graph)) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		if _, err := s.Load(t.Context(), []store.Input{stringInput("careers.nq", careerFacts)}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		fn(t, graph.New(s))
	})
}

// tenureText is a tenure in one line, for comparisons.
func tenureText(t graph.Tenure) string {
	s := fmt.Sprintf("%s | %s | %s..%s", t.Person, t.Post, t.Start, t.End)
	if len(t.DerivedFrom) > 0 {
		s += " | from " + strings.Join(t.DerivedFrom, ",")
	}
	if t.Stated {
		s += " | stated"
	}
	if t.Predecessor != "" {
		s += " | after " + t.Predecessor
	}
	if t.Successor != "" {
		s += " | before " + t.Successor
	}
	if t.Status != "" {
		s += " | " + t.Status
	}
	if t.Why != "" {
		s += " (" + t.Why + ")"
	}
	return s
}

func TestCareersReadTenuresFromAppointmentsAndSources(t *testing.T) {
	tests := []struct {
		person   string
		tenures  []string
		timeline []string // what and summary
	}{
		{
			// The bundled article dates Cao Lubao's move, not his start in
			// Suzhou: the stated tenure takes its end from the move.
			person: "Cao Lubao",
			tenures: []string{
				"Cao Lubao | Party secretary of Suzhou | unknown..2023-10 | from appointment/cao-lubao-2023 | stated",
				"Cao Lubao | Director of Jilin's provincial publicity department | 2023-10..unknown | from appointment/cao-lubao-2023",
			},
			timeline: []string{
				"tenure Party secretary of Suzhou (Suzhou)",
				"move Party secretary of Suzhou (Suzhou) → Director of Jilin's provincial publicity department (Jilin), permanent",
				"tenure Director of Jilin's provincial publicity department (Jilin)",
			},
		},
		{
			// Moved by the day of the article, in two posts at once.
			person: "Jiang Bing",
			tenures: []string{
				"Jiang Bing | Director of Gaochun District | unknown..by 2024-12-01 | from appointment/jiang-bing",
				"Jiang Bing | Acting mayor of Dandong | by 2024-12-01..unknown | from appointment/jiang-bing",
				"Jiang Bing | Deputy Party secretary of Dandong | by 2024-12-01..unknown | from appointment/jiang-bing",
			},
		},
		{
			person: "Test A",
			tenures: []string{
				"Test A | Party secretary of Testville | 2010-03..2016 | stated | before Test B (derived)",
				"Test A | Mayor of Testville | 2014..2015 | stated",
				"Test A | Mayor of Testville | 2018..2020-06-30 | stated",
			},
			timeline: []string{
				"tenure Party secretary of Testville (Testville)",
				"tenure Mayor of Testville (Testville)",
				"overlap Party secretary of Testville and Mayor of Testville",
				"gap no tenure known",
				"tenure Mayor of Testville (Testville)",
			},
		},
	}
	withCareers(t, func(t *testing.T, g *graph.Graph) {
		for _, tt := range tests {
			t.Run(tt.person, func(t *testing.T) {
				c, _, err := g.Career(t.Context(), tt.person)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, tn := range c.Tenures {
					got = append(got, tenureText(tn))
				}
				if !slices.Equal(got, tt.tenures) {
					t.Errorf("tenures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.tenures, "\n"))
				}
				if tt.timeline == nil {
					return
				}
				got = nil
				for _, l := range c.Timeline {
					got = append(got, l.What+" "+l.Summary)
				}
				if !slices.Equal(got, tt.timeline) {
					t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.timeline, "\n"))
				}
			})
		}
	})
}

func TestHoldersOnADateSayHeldOrPossiblyAndWhy(t *testing.T) {
	tests := []struct {
		filter graph.HolderFilter
		want   []string
	}{
		{graph.HolderFilter{Post: "Party secretary of Testville"}, []string{
			"Test A | Party secretary of Testville | 2010-03..2016 | stated | before Test B (derived)",
			"Test B | Party secretary of Testville | 2016-05..unknown | stated | after Test A (stated)",
			"Test C | Party secretary of Testville | unknown..unknown | stated",
		}},
		{graph.HolderFilter{Post: "Party secretary of Testville", On: "2012-07-01"}, []string{
			"Test A | Party secretary of Testville | 2010-03..2016 | stated | before Test B (derived) | held",
			"Test C | Party secretary of Testville | unknown..unknown | stated | possibly (start unknown; end unknown)",
		}},
		{graph.HolderFilter{Post: "Party secretary of Testville", On: "2016-03"}, []string{
			"Test A | Party secretary of Testville | 2010-03..2016 | stated | before Test B (derived) | possibly (ended 2016, which may be before 2016-03 ended)",
			"Test C | Party secretary of Testville | unknown..unknown | stated | possibly (start unknown; end unknown)",
		}},
		{graph.HolderFilter{Post: "Party secretary of Testville", On: "2017"}, []string{
			"Test B | Party secretary of Testville | 2016-05..unknown | stated | after Test A (stated) | possibly (end unknown)",
			"Test C | Party secretary of Testville | unknown..unknown | stated | possibly (start unknown; end unknown)",
		}},
		{graph.HolderFilter{Post: "Acting mayor of Dandong", On: "2024-06"}, []string{
			"Jiang Bing | Acting mayor of Dandong | by 2024-12-01..unknown | from appointment/jiang-bing | possibly (started by 2024-12-01, which may be after 2024-06 began; end unknown)",
		}},
		{graph.HolderFilter{Post: "Executive deputy mayor of Baicheng", On: "2024-07"}, []string{
			"Ruan Ganghui | Executive deputy mayor of Baicheng | 2024-06/2024-08..unknown | from appointment/ruan-ganghui-2024 | possibly (started 2024-06/2024-08, which may be after 2024-07 began; end unknown)",
		}},
		{graph.HolderFilter{Post: "Executive deputy mayor of Baicheng", On: "2024-05"}, nil},
		{graph.HolderFilter{Place: "Testville", On: "2019"}, []string{
			"Test A | Mayor of Testville | 2018..2020-06-30 | stated | held",
			"Test B | Party secretary of Testville | 2016-05..unknown | stated | after Test A (stated) | possibly (end unknown)",
			"Test C | Party secretary of Testville | unknown..unknown | stated | possibly (start unknown; end unknown)",
		}},
	}
	withCareers(t, func(t *testing.T, g *graph.Graph) {
		for _, tt := range tests {
			t.Run(tt.filter.Post+tt.filter.Place+" on "+tt.filter.On, func(t *testing.T) {
				rows, _, err := g.Holders(t.Context(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range rows {
					got = append(got, tenureText(r))
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("holders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
				}
			})
		}
	})
}

func TestFlowsCountAppointmentsAtALevel(t *testing.T) {
	tests := []struct {
		filter graph.FlowFilter
		cells  []string
		note   string
	}{
		{graph.FlowFilter{Level: "province"}, []string{"Zhejiang→Jilin 2", "Jiangsu→Jilin 1", "Jiangsu→Liaoning 1"}, ""},
		{graph.FlowFilter{}, []string{"Zhejiang→Jilin 2", "Jiangsu→Jilin 1", "Jiangsu→Liaoning 1"}, ""},
		{graph.FlowFilter{Level: "city"}, []string{"Jinhua→Baicheng 1", "Nanjing→Dandong 1", "Ningbo→Meihekou 1", "Suzhou→Jilin 1"}, "Jilin lies in no city the store knows: counted as itself"},
		{graph.FlowFilter{Level: "region", To: "Jilin"}, []string{"Zhejiang→Northeast 2", "Jiangsu→Northeast 1"}, "Ningbo lies in no region the store knows: counted as Zhejiang (province)"},
		{graph.FlowFilter{From: "Zhejiang", DateRange: graph.DateRange{Since: "2024-07"}}, []string{"Zhejiang→Jilin 2"}, ""},
		{graph.FlowFilter{DateRange: graph.DateRange{Until: "2023"}}, []string{"Jiangsu→Jilin 1"}, ""},
	}
	forEachBackend(t, func(t *testing.T, g *graph.Graph) {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%+v", tt.filter), func(t *testing.T) {
				f, notes, err := g.Flows(t.Context(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				total := 0
				for _, c := range f.Cells {
					got = append(got, fmt.Sprintf("%s→%s %d", c.From, c.To, c.Count))
					total += c.Count
					if len(c.Appointments) != c.Count || len(c.People) != c.Count {
						t.Errorf("cell %s→%s counts %d but lists %v", c.From, c.To, c.Count, c.Appointments)
					}
				}
				if !slices.Equal(got, tt.cells) {
					t.Errorf("cells %q, want %q", got, tt.cells)
				}
				if tt.note != "" && !slices.Contains(notes, tt.note) {
					t.Errorf("notes %q lack %q", notes, tt.note)
				}
				if total != f.Total {
					t.Errorf("cells count %d appointments, total says %d", total, f.Total)
				}
			})
		}
	})
}

func TestCareerQuestionsRefuseWhatTheyCannotAnswer(t *testing.T) {
	g := graph.New(storetest.SeededMemory(t))
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		err  error
		code fail.Code
	}{
		{"holders of nothing", second(g.Holders(ctx, graph.HolderFilter{})), fail.Invalid},
		{"holders of a post and a place", second(g.Holders(ctx, graph.HolderFilter{Post: "Mayor of Dandong", Place: "Dandong"})), fail.Invalid},
		{"holders on no date", second(g.Holders(ctx, graph.HolderFilter{Post: "Acting mayor of Dandong", On: "mid-2024"})), fail.Invalid},
		{"holders on no day", second(g.Holders(ctx, graph.HolderFilter{Post: "Acting mayor of Dandong", On: "2023-02-29"})), fail.Invalid},
		{"holders of a place as a post", second(g.Holders(ctx, graph.HolderFilter{Post: "Dandong"})), fail.NotFound},
		{"career of a place", second(g.Career(ctx, "Dandong")), fail.NotFound},
		{"flows at no level", second(g.Flows(ctx, graph.FlowFilter{Level: "county"})), fail.Invalid},
	} {
		if got := fail.CodeOf(tc.err); got != tc.code {
			t.Errorf("%s: %v (code %v), want code %v", tc.name, tc.err, got, tc.code)
		}
	}
}

// second is the error of a question's answer.
func second[T any](_ T, _ graph.Notes, err error) error { return err }

func TestCardsListTenuresWithTheirNeighbours(t *testing.T) {
	withCareers(t, func(t *testing.T, g *graph.Graph) {
		c, _, err := g.Card(t.Context(), "Party secretary of Testville")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range c.Records {
			got = append(got, e.Date+" | "+e.Kind+" | "+e.Summary)
		}
		want := []string{
			"2010-03 to 2016 | tenure | Test A: Party secretary of Testville (Testville); before Test B (derived)",
			"2016-05 to unknown | tenure | Test B: Party secretary of Testville (Testville); after Test A (stated)",
			"unknown to unknown | tenure | Test C: Party secretary of Testville (Testville)",
		}
		if !slices.Equal(got, want) {
			t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestFlowsCountTheMovesCareersShow(t *testing.T) {
	withCareers(t, func(t *testing.T, g *graph.Graph) {
		f, _, err := g.Flows(t.Context(), graph.FlowFilter{Level: "city", To: "Testville"})
		if err != nil {
			t.Fatal(err)
		}
		// Test A's mayoralty follows the secretaryship that ended before it;
		// the tenures that no tenure of theirs precedes are no moves.
		if len(f.Cells) != 1 || f.Total != 1 {
			t.Fatalf("cells %+v", f.Cells)
		}
		c := f.Cells[0]
		if c.From != "Testville" || c.To != "Testville" || c.Count != 1 || len(c.Appointments) != 0 ||
			!slices.Equal(c.Tenures, []string{"tenure/a-mayor"}) || !slices.Equal(c.People, []string{"Test A (2018, from a career)"}) {
			t.Errorf("cell %+v", c)
		}
	})
}
