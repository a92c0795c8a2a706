package export

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strconv"
	"testing"
)

// The GraphML a reader sees, declared apart from the writer's structs.
type readGraphML struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Nodes       []struct {
			ID   string        `xml:"id,attr"`
			Data []readGMLData `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			ID     string        `xml:"id,attr"`
			Source string        `xml:"source,attr"`
			Target string        `xml:"target,attr"`
			Data   []readGMLData `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

type readGMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// nmtoken is XML's name token, the type of GraphML's ids (ASCII subset).
var nmtoken = regexp.MustCompile(`^[A-Za-z0-9._:-]+$`)

// TestGraphML parses the export as a GraphML reader would. No GraphML
// schema ships with Debian, so the checks that `xmllint --schema` would make
// are made here: keys declared with name and type before the graph, data
// only for declared keys of the right domain and type, name-token ids,
// edges between declared nodes.
func TestGraphML(t *testing.T) {
	sg := subgraphOf(t, jilin)
	out := exported(t, "graphml", sg)
	var doc readGraphML
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("parse: %v", err)
	}
	if bytes.Index(out, []byte("<key ")) > bytes.Index(out, []byte("<graph ")) || bytes.LastIndex(out, []byte("<key ")) > bytes.Index(out, []byte("<graph ")) {
		t.Errorf("keys must come before the graph")
	}
	if doc.Graph.EdgeDefault != "directed" {
		t.Errorf("edgedefault %q", doc.Graph.EdgeDefault)
	}
	type key struct{ domain, typ, name string }
	keys := map[string]key{}
	for _, k := range doc.Keys {
		if k.Name == "" || (k.Type != "string" && k.Type != "double") || (k.For != "node" && k.For != "edge") || !nmtoken.MatchString(k.ID) {
			t.Errorf("key %+v", k)
		}
		keys[k.ID] = key{k.For, k.Type, k.Name}
	}
	checkData := func(domain, id string, data []readGMLData) map[string]string {
		values := map[string]string{}
		for _, d := range data {
			k, ok := keys[d.Key]
			if !ok || k.domain != domain {
				t.Errorf("%s %s: data for undeclared %s key %q", domain, id, domain, d.Key)
				continue
			}
			if _, err := strconv.ParseFloat(d.Value, 64); k.typ == "double" && err != nil {
				t.Errorf("%s %s: %s=%q is declared double", domain, id, k.name, d.Value)
			}
			values[k.name] = d.Value
		}
		return values
	}
	labels := map[string]string{}
	for _, n := range doc.Graph.Nodes {
		if !nmtoken.MatchString(n.ID) {
			t.Errorf("node id %q is not a name token", n.ID)
		}
		v := checkData("node", n.ID, n.Data)
		if v["label"] == "" || v["type"] == "" || v["sources"] == "" {
			t.Errorf("node %s lacks label, type or sources: %v", n.ID, v)
		}
		labels[n.ID] = v["label"]
	}
	if len(doc.Graph.Nodes) != len(sg.Nodes) || len(labels) != len(sg.Nodes) {
		t.Errorf("%d nodes (%d distinct), want %d", len(doc.Graph.Nodes), len(labels), len(sg.Nodes))
	}
	if len(doc.Graph.Edges) != len(sg.Edges) {
		t.Errorf("%d edges, want %d", len(doc.Graph.Edges), len(sg.Edges))
	}
	var moves []string
	for _, e := range doc.Graph.Edges {
		v := checkData("edge", e.ID, e.Data)
		if labels[e.Source] == "" || labels[e.Target] == "" {
			t.Errorf("edge %s joins undeclared nodes %s, %s", e.ID, e.Source, e.Target)
		}
		if v["label"] == "" || v["sources"] == "" {
			t.Errorf("edge %s lacks label or sources: %v", e.ID, v)
		}
		if v["type"] == "Appointment" && v["start"] != "" {
			moves = append(moves, labels[e.Source]+" → "+labels[e.Target]+" "+v["start"])
		}
	}
	for _, want := range []string{"Suzhou → Cao Lubao 2023-10", "Cao Lubao → Jilin 2023-10", "Zhu Huan → Meihekou 2024-06", "Jinhua → Ruan Ganghui 2024-06"} {
		if !containsString(moves, want) {
			t.Errorf("no dated appointment edge %q among %q", want, moves)
		}
	}
}

func TestNameToken(t *testing.T) {
	ids := []string{"person/cao-lubao", "person:cao-lubao", "a b", "a_20b", "http://x.org/a#b", "place/jilin"}
	seen := map[string]string{}
	for _, id := range ids {
		tok := nameToken(id)
		if !nmtoken.MatchString(tok) {
			t.Errorf("nameToken(%q) = %q, not a name token", id, tok)
		}
		if other, dup := seen[tok]; dup {
			t.Errorf("%q and %q both become %q", id, other, tok)
		}
		seen[tok] = id
	}
	if got := nameToken("person/cao-lubao"); got != "person:cao-lubao" {
		t.Errorf("nameToken reads %q", got)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
