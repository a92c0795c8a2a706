package export

import (
	"encoding/xml"
	"regexp"
	"testing"
)

// The GEXF a reader sees, declared apart from the writer's structs.
type readGEXF struct {
	XMLName xml.Name `xml:"http://gexf.net/1.3 gexf"`
	Version string   `xml:"version,attr"`
	Graph   struct {
		Mode       string `xml:"mode,attr"`
		TimeFormat string `xml:"timeformat,attr"`
		Attributes []struct {
			Class string `xml:"class,attr"`
			Attrs []struct {
				ID    string `xml:"id,attr"`
				Title string `xml:"title,attr"`
				Type  string `xml:"type,attr"`
			} `xml:"attribute"`
		} `xml:"attributes"`
		Nodes []readGEXFElement `xml:"nodes>node"`
		Edges []readGEXFElement `xml:"edges>edge"`
	} `xml:"graph"`
}

type readGEXFElement struct {
	ID     string `xml:"id,attr"`
	Label  string `xml:"label,attr"`
	Source string `xml:"source,attr"`
	Target string `xml:"target,attr"`
	Start  string `xml:"start,attr"`
	End    string `xml:"end,attr"`
	Values []struct {
		For   string `xml:"for,attr"`
		Value string `xml:"value,attr"`
	} `xml:"attvalues>attvalue"`
	Colour *struct {
		R int `xml:"r,attr"`
	} `xml:"http://gexf.net/1.3/viz color"`
}

var xsDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TestGEXF parses the export as Gephi would read it: a dynamic graph with
// date times, declared attributes, and every dated node and edge on the
// timeline at its date.
func TestGEXF(t *testing.T) {
	sg := subgraphOf(t, jilin)
	var doc readGEXF
	if err := xml.Unmarshal(exported(t, "gexf", sg), &doc); err != nil {
		t.Fatalf("parse: %v", err)
	}
	if doc.Version != "1.3" || doc.Graph.Mode != "dynamic" || doc.Graph.TimeFormat != "date" {
		t.Errorf("version %q mode %q timeformat %q, want 1.3, dynamic, date", doc.Version, doc.Graph.Mode, doc.Graph.TimeFormat)
	}
	declared := map[string]map[string]bool{}
	for _, a := range doc.Graph.Attributes {
		declared[a.Class] = map[string]bool{}
		for _, at := range a.Attrs {
			if at.Title == "" || (at.Type != "string" && at.Type != "double") {
				t.Errorf("%s attribute %+v", a.Class, at)
			}
			declared[a.Class][at.ID] = true
		}
	}
	check := func(class string, list []readGEXFElement) map[string]readGEXFElement {
		byID := map[string]readGEXFElement{}
		for _, el := range list {
			byID[el.ID] = el
			for _, v := range el.Values {
				if !declared[class][v.For] {
					t.Errorf("%s %s: value for undeclared attribute %q", class, el.ID, v.For)
				}
			}
			for _, d := range []string{el.Start, el.End} {
				if d != "" && !xsDate.MatchString(d) {
					t.Errorf("%s %s: %q is not an xs:date", class, el.ID, d)
				}
			}
			if el.Label == "" {
				t.Errorf("%s %s has no label", class, el.ID)
			}
		}
		return byID
	}
	nodes, edges := check("node", doc.Graph.Nodes), check("edge", doc.Graph.Edges)
	if len(nodes) != len(sg.Nodes) || len(edges) != len(sg.Edges) {
		t.Errorf("%d nodes and %d edges, want %d and %d", len(nodes), len(edges), len(sg.Nodes), len(sg.Edges))
	}
	for _, n := range sg.Nodes {
		got := nodes[n.ID]
		if got.Start != firstDay(n.Start) || got.End != lastDay(n.End) || got.Colour == nil {
			t.Errorf("node %s: start %q end %q colour %v; want %q %q and a colour", n.ID, got.Start, got.End, got.Colour, n.Start, n.End)
		}
	}
	for _, e := range sg.Edges {
		got := edges[e.ID]
		if got.Source != e.Source || got.Target != e.Target || got.Start != firstDay(e.Start) || got.End != timelineEnd(e) {
			t.Errorf("edge %s: %+v", e.ID, got)
		}
		if _, ok := nodes[got.Source]; !ok {
			t.Errorf("edge %s from undeclared node %s", e.ID, got.Source)
		}
	}
	// The example plays in order on the timeline, and a move made
	// "between June and August" stays on it after August.
	for _, want := range []struct{ source, target, start, end string }{
		{"place/suzhou", "person/cao-lubao", "2023-10-01", ""},
		{"person/cao-lubao", "place/jilin", "2023-10-01", ""},
		{"person/zhu-huan", "place/meihekou", "2024-06-01", ""},
		{"place/jinhua", "person/ruan-ganghui", "2024-06-01", ""},
	} {
		found := false
		for _, e := range edges {
			if e.Source == want.source && e.Target == want.target {
				found = e.Start == want.start && e.End == want.end
			}
		}
		if !found {
			t.Errorf("no edge %s → %s from %s to %q", want.source, want.target, want.start, want.end)
		}
	}
}

func TestDays(t *testing.T) {
	tests := []struct{ date, first, last string }{
		{"2023", "2023-01-01", "2023-12-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2023-10-15", "2023-10-15", "2023-10-15"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if f, l := firstDay(tt.date), lastDay(tt.date); f != tt.first || l != tt.last {
			t.Errorf("%q: first %q last %q, want %q %q", tt.date, f, l, tt.first, tt.last)
		}
	}
}
