package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/rustbelt/rustbelt/graph"
)

// The GraphML document, in the order the format wants: keys, then the graph.
type graphML struct {
	XMLName xml.Name     `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []graphMLKey `xml:"key"`
	Graph   graphMLGraph `xml:"graph"`
}

type graphMLKey struct {
	ID   string `xml:"id,attr"`
	For  string `xml:"for,attr"`
	Name string `xml:"attr.name,attr"`
	Type string `xml:"attr.type,attr"`
}

type graphMLGraph struct {
	ID          string        `xml:"id,attr"`
	EdgeDefault string        `xml:"edgedefault,attr"`
	Nodes       []graphMLNode `xml:"node"`
	Edges       []graphMLEdge `xml:"edge"`
}

type graphMLNode struct {
	ID   string        `xml:"id,attr"`
	Data []graphMLData `xml:"data"`
}

type graphMLEdge struct {
	ID     string        `xml:"id,attr"`
	Source string        `xml:"source,attr"`
	Target string        `xml:"target,attr"`
	Data   []graphMLData `xml:"data"`
}

type graphMLData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

// writeGraphML writes GraphML: every attribute declared as a key with its
// name and type before the graph, so that yEd and Gephi make columns of
// them. Ids become XML name tokens (person/cao-lubao reads person:cao-lubao).
func writeGraphML(w io.Writer, sg *graph.Subgraph) error {
	doc := graphML{Graph: graphMLGraph{ID: "rustbelt", EdgeDefault: "directed"}}
	nodeCols, edgeCols := nodeColumns(sg), edgeColumns(sg)
	doc.Keys = append(graphMLKeys("node", nodeCols), graphMLKeys("edge", edgeCols)...)
	for _, n := range sg.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, graphMLNode{ID: nameToken(n.ID), Data: graphMLValues("node", nodeCols, values(n.Element))})
	}
	for _, e := range sg.Edges {
		doc.Graph.Edges = append(doc.Graph.Edges, graphMLEdge{
			ID: nameToken(e.ID), Source: nameToken(e.Source), Target: nameToken(e.Target),
			Data: graphMLValues("edge", edgeCols, values(e.Element)),
		})
	}
	return writeXML(w, doc)
}

func graphMLKeys(domain string, cols []attr) []graphMLKey {
	keys := make([]graphMLKey, len(cols))
	for i, c := range cols {
		typ := "string"
		if c.numeric {
			typ = "double"
		}
		keys[i] = graphMLKey{ID: graphMLKeyID(domain, c.name), For: domain, Name: c.name, Type: typ}
	}
	return keys
}

func graphMLKeyID(domain, name string) string { return domain[:1] + "." + name }

// graphMLValues lists the non-empty values in column order.
func graphMLValues(domain string, cols []attr, v map[string]string) []graphMLData {
	var out []graphMLData
	for _, c := range cols {
		if x := v[c.name]; x != "" {
			out = append(out, graphMLData{Key: graphMLKeyID(domain, c.name), Value: x})
		}
	}
	return out
}

// nameToken turns an id into an XML name token, which GraphML ids must be:
// "/" becomes ":", letters, digits, "." and "-" stay, and every other byte
// becomes "_" and two hex digits, so that distinct ids stay distinct.
func nameToken(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case c == '/':
			b.WriteByte(':')
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "_%02X", c)
		}
	}
	return b.String()
}
