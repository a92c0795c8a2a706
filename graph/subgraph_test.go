package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// subgraph runs Subgraph and fails the test on an error.
func subgraph(t *testing.T, s *graph.Graph, opt graph.SubgraphOptions) *graph.Subgraph {
	t.Helper()
	sg, _, err := s.Subgraph(context.Background(), opt)
	if err != nil {
		t.Fatalf("Subgraph(%+v): %v", opt, err)
	}
	return sg
}

func nodeIDs(sg *graph.Subgraph) map[string]graph.Node {
	out := map[string]graph.Node{}
	for _, n := range sg.Nodes {
		out[n.ID] = n
	}
	return out
}

func TestSubgraphSelects(t *testing.T) {
	ctx := context.Background()
	s := openGraph(t, "memory:", store.Options{})
	jilinPlaces, err := s.Within(ctx, "place/jilin")
	if err != nil {
		t.Fatal(err)
	}
	appointedToJilin, _, err := s.Appointments(ctx, graph.AppointmentFilter{To: "Jilin"})
	if err != nil {
		t.Fatal(err)
	}
	issue := []string{"person/cao-lubao", "person/zhu-huan", "person/ruan-ganghui", "place/suzhou", "place/ningbo", "place/jinhua"}
	tests := []struct {
		name    string
		opt     graph.SubgraphOptions
		want    []string // node ids that must be there
		notWant []string // node ids that must not
		types   []string // the only node types allowed, if set
		check   func(t *testing.T, sg *graph.Subgraph)
	}{{
		name: "depth 0 is the place and the places inside it",
		opt:  graph.SubgraphOptions{Centers: []string{"Jilin"}},
		check: func(t *testing.T, sg *graph.Subgraph) {
			if len(sg.Nodes) != len(jilinPlaces) {
				t.Errorf("%d nodes, want the %d places within Jilin", len(sg.Nodes), len(jilinPlaces))
			}
			for _, p := range jilinPlaces {
				if _, ok := nodeIDs(sg)[p.ID]; !ok {
					t.Errorf("%s missing", p.ID)
				}
			}
		},
	}, {
		name:    "depth 1 reaches people appointed there, their origins and the policies aimed at it",
		opt:     graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 1},
		want:    append([]string{"policy/harbin-changchun-city-cluster", "policy/jilin-liaoning-talent-policies", "place/northeast"}, issue...),
		notWant: []string{"person/gu-wenhao", "place/harbin", "place/liaoning"},
		check: func(t *testing.T, sg *graph.Subgraph) {
			nodes := nodeIDs(sg)
			for _, a := range appointedToJilin {
				for _, id := range []string{a.PersonID, a.FromPlaceID, a.ToPlaceID} {
					if _, ok := nodes[id]; !ok {
						t.Errorf("appointment %s: %s missing", a.ID, id)
					}
				}
				for _, e := range []struct{ from, to string }{{a.FromPlaceID, a.PersonID}, {a.PersonID, a.ToPlaceID}} {
					edge, ok := findEdge(sg, e.from, e.to, "Appointment")
					if !ok {
						t.Errorf("no appointment edge %s → %s", e.from, e.to)
						continue
					}
					if edge.Start != a.DateStart || edge.End != a.DateEnd || edge.Attrs["toPost"] != a.ToPost || edge.Attrs["fromPost"] != a.FromPost {
						t.Errorf("edge %s: start %q end %q attrs %v; want the appointment's %q %q %q %q", edge.ID, edge.Start, edge.End, edge.Attrs, a.DateStart, a.DateEnd, a.FromPost, a.ToPost)
					}
				}
			}
		},
	}, {
		name:    "depth 2 goes one step further",
		opt:     graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 2},
		want:    append([]string{"place/liaoning", "place/heilongjiang"}, issue...),
		notWant: []string{"person/gu-wenhao"},
	}, {
		name:  "types keep only those classes, and centers",
		opt:   graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 1, Types: []string{"person", "Place"}},
		want:  issue,
		types: []string{"Person", "Place"},
	}, {
		name:    "a record type keeps only those records",
		opt:     graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 1, Types: []string{"person", "place", "observation"}},
		notWant: []string{"person/cao-lubao", "place/suzhou"},
		types:   []string{"Place"},
	}, {
		name:    "dates drop records and policies outside the range",
		opt:     graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 1, DateRange: graph.DateRange{Since: "2024"}},
		want:    []string{"person/zhu-huan", "person/ruan-ganghui", "place/ningbo", "policy/no1-document-2024"},
		notWant: []string{"person/cao-lubao", "place/suzhou", "policy/harbin-changchun-city-cluster", "policy/jilin-liaoning-talent-policies"},
	}, {
		name: "reified records are nodes linked to what they name",
		opt:  graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 1, Reified: true},
		want: append([]string{"appointment/cao-lubao-2023"}, issue...),
		check: func(t *testing.T, sg *graph.Subgraph) {
			for _, e := range sg.Edges {
				if e.Type == "Appointment" {
					t.Errorf("edge %s drawn from a record with Reified set", e.ID)
				}
			}
			rec := nodeIDs(sg)["appointment/cao-lubao-2023"]
			if rec.Type != "Appointment" || rec.Start != "2023-10" || !strings.Contains(rec.Label, "Cao Lubao") {
				t.Errorf("record node %+v", rec)
			}
			for _, to := range []string{"person/cao-lubao", "place/jilin", "place/suzhou"} {
				if _, ok := findEdge(sg, "appointment/cao-lubao-2023", to, ""); !ok {
					t.Errorf("no edge from the appointment to %s", to)
				}
			}
		},
	}, {
		name:    "a person center",
		opt:     graph.SubgraphOptions{Centers: []string{"Cao Lubao"}, Depth: 1},
		want:    []string{"person/cao-lubao", "place/jilin", "place/suzhou"},
		notWant: []string{"place/meihekou"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sg := subgraph(t, s, tc.opt)
			nodes := nodeIDs(sg)
			for _, id := range tc.want {
				if _, ok := nodes[id]; !ok {
					t.Errorf("%s missing", id)
				}
			}
			for _, id := range tc.notWant {
				if _, ok := nodes[id]; ok {
					t.Errorf("%s should not be there", id)
				}
			}
			for _, n := range sg.Nodes {
				if tc.types != nil && !slices.Contains(tc.types, n.Type) && !strings.HasPrefix(n.ID, "place/") {
					t.Errorf("node %s of type %s", n.ID, n.Type)
				}
			}
			checkWellFormed(t, sg)
			if tc.check != nil {
				tc.check(t, sg)
			}
		})
	}
}

// checkWellFormed holds every subgraph to its contract: sorted unique ids,
// edges between its nodes, labels and sources everywhere.
func checkWellFormed(t *testing.T, sg *graph.Subgraph) {
	t.Helper()
	nodes := nodeIDs(sg)
	if len(nodes) != len(sg.Nodes) {
		t.Errorf("duplicate node ids")
	}
	for i, n := range sg.Nodes {
		if i > 0 && sg.Nodes[i-1].ID >= n.ID {
			t.Errorf("nodes not sorted at %s", n.ID)
		}
		if n.Label == "" || n.Type == "" || len(n.Sources) == 0 {
			t.Errorf("node %+v lacks a label, type or source", n)
		}
	}
	for i, e := range sg.Edges {
		if i > 0 && sg.Edges[i-1].ID >= e.ID {
			t.Errorf("edges not sorted or not unique at %s", e.ID)
		}
		if _, ok := nodes[e.Source]; !ok {
			t.Errorf("edge %s: source %s is not a node", e.ID, e.Source)
		}
		if _, ok := nodes[e.Target]; !ok {
			t.Errorf("edge %s: target %s is not a node", e.ID, e.Target)
		}
		if e.Label == "" || e.Type == "" || len(e.Sources) == 0 {
			t.Errorf("edge %+v lacks a label, type or source", e)
		}
	}
}

func findEdge(sg *graph.Subgraph, from, to, typ string) (graph.Edge, bool) {
	for _, e := range sg.Edges {
		if e.Source == from && e.Target == to && (typ == "" || e.Type == typ) {
			return e, true
		}
	}
	return graph.Edge{}, false
}

func TestSubgraphWholeGraph(t *testing.T) {
	ctx := context.Background()
	s := openGraph(t, "memory:", store.Options{})
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sg := subgraph(t, s, graph.SubgraphOptions{})
	want := 0
	for _, class := range []string{"Person", "Place", "Organization", "Company", "Post", "Policy", "Indicator", "Event", "Infrastructure"} {
		want += st.Classes[class]
	}
	if len(sg.Nodes) != want {
		t.Errorf("whole graph has %d nodes, want every entity: %d", len(sg.Nodes), want)
	}
	checkWellFormed(t, sg)
}

func TestSubgraphErrors(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	tests := []struct {
		name string
		opt  graph.SubgraphOptions
		code fail.Code
		msg  string
	}{
		{"negative depth", graph.SubgraphOptions{Depth: -1}, fail.Invalid, "depth"},
		{"unknown type", graph.SubgraphOptions{Types: []string{"people"}}, fail.Invalid, "person, place"},
		{"source type", graph.SubgraphOptions{Types: []string{"source"}}, fail.Invalid, "unknown type"},
		{"bad date", graph.SubgraphOptions{DateRange: graph.DateRange{Since: "2024-13"}}, fail.Invalid, "malformed date"},
		{"unknown center", graph.SubgraphOptions{Centers: []string{"Atlantis"}}, fail.NotFound, "Atlantis"},
		{"source center", graph.SubgraphOptions{Centers: []string{"source/seed-002"}}, fail.Invalid, "is a source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := s.Subgraph(context.Background(), tc.opt)
			if fail.CodeOf(err) != tc.code || err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v (code %d), want code %d mentioning %q", err, fail.CodeOf(err), tc.code, tc.msg)
			}
		})
	}
}

// TestSubgraphQuadsRoundTrip loads the exported quads into an empty store
// and exports the same subgraph again: the quads must come back unchanged,
// and so must the picture.
func TestSubgraphQuadsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openGraph(t, "memory:", store.Options{})
	for _, opt := range []graph.SubgraphOptions{
		{Centers: []string{"Jilin"}, Depth: 2},
		{Centers: []string{"Cao Lubao", "Siasun"}, Depth: 1, Reified: true},
		{Types: []string{"person", "place", "appointment"}},
	} {
		var first bytes.Buffer
		sg := subgraph(t, s, opt)
		if err := sg.WriteQuads(&first, "nquads"); err != nil {
			t.Fatal(err)
		}
		freshStore := mustOpen(t, "memory:", store.Options{NoSeed: true})
		fresh := graph.New(freshStore)
		rep, err := freshStore.Load(ctx, []store.Input{{Name: "export.nq", Open: readerOf(first.Bytes())}}, store.LoadOptions{})
		if err != nil {
			t.Fatalf("%+v: load the export: %v", opt, err)
		}
		if lines := int64(bytes.Count(first.Bytes(), []byte("\n"))); rep.Added != lines {
			t.Errorf("%+v: %d quads added from %d lines", opt, rep.Added, lines)
		}
		again := subgraph(t, fresh, opt)
		var second bytes.Buffer
		if err := again.WriteQuads(&second, "nquads"); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("%+v: quads changed through a round trip:\n%s\nvs\n%s", opt, first.String(), second.String())
		}
		if a, b := mustJSON(t, sg), mustJSON(t, again); a != b {
			t.Errorf("%+v: subgraph changed through a round trip", opt)
		}
	}
}

// TestSubgraphSameOnEveryBackend holds the output to the same bytes whatever
// store it comes from.
func TestSubgraphSameOnEveryBackend(t *testing.T) {
	opt := graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 2}
	want := mustJSON(t, subgraph(t, openGraph(t, "memory:", store.Options{}), opt))
	forEachBackend(t, func(t *testing.T, s *graph.Graph) {
		if got := mustJSON(t, subgraph(t, s, opt)); got != want {
			t.Errorf("subgraph differs from the memory store's")
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readerOf(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// BenchmarkSubgraph measures the issue's example and the whole bundled
// graph, with the N-Quads behind each.
func BenchmarkSubgraph(b *testing.B) {
	s := openGraph(b, "memory:", store.Options{})
	for _, bc := range []struct {
		name string
		opt  graph.SubgraphOptions
	}{
		{"jilin-depth-2", graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 2}},
		{"whole-graph", graph.SubgraphOptions{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sg, _, err := s.Subgraph(context.Background(), bc.opt)
				if err != nil {
					b.Fatal(err)
				}
				if err := sg.WriteQuads(io.Discard, "nquads"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSubgraphDrawsAFigureOnce: Jilin's 2023 growth is reported by two
// sources; the picture has one edge citing both.
func TestSubgraphDrawsAFigureOnce(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	sg, _, err := s.Subgraph(context.Background(), graph.SubgraphOptions{Centers: []string{"place/jilin"}, Depth: 1})
	if err != nil {
		t.Fatal(err)
	}
	var found []graph.Edge
	for _, e := range sg.Edges {
		if e.Source == "place/jilin" && e.Target == "indicator/gdp-growth" && strings.HasPrefix(e.Label, "6.3 percent") {
			found = append(found, e)
		}
	}
	if len(found) != 1 || len(found[0].Sources) != 2 {
		t.Fatalf("Jilin's 2023 growth drawn as %d edges %+v; want one citing two sources", len(found), found)
	}
}
