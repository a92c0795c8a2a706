package export

import (
	"encoding/xml"
	"io"
	"strconv"
	"time"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
)

// The GEXF 1.3 document: a dynamic graph whose dated nodes and edges appear
// on Gephi's timeline at their dates.
type gexf struct {
	XMLName xml.Name  `xml:"http://gexf.net/1.3 gexf"`
	Viz     string    `xml:"xmlns:viz,attr"`
	Version string    `xml:"version,attr"`
	Meta    gexfMeta  `xml:"meta"`
	Graph   gexfGraph `xml:"graph"`
}

type gexfMeta struct {
	Creator string `xml:"creator"`
}

type gexfGraph struct {
	Mode            string           `xml:"mode,attr"`
	DefaultEdgeType string           `xml:"defaultedgetype,attr"`
	TimeFormat      string           `xml:"timeformat,attr"`
	Attributes      []gexfAttributes `xml:"attributes"`
	Nodes           []gexfNode       `xml:"nodes>node"`
	Edges           []gexfEdge       `xml:"edges>edge"`
}

type gexfAttributes struct {
	Class string          `xml:"class,attr"`
	Attrs []gexfAttribute `xml:"attribute"`
}

type gexfAttribute struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfNode struct {
	ID     string         `xml:"id,attr"`
	Label  string         `xml:"label,attr"`
	Start  string         `xml:"start,attr,omitempty"`
	End    string         `xml:"end,attr,omitempty"`
	Values []gexfAttValue `xml:"attvalues>attvalue"`
	Colour gexfColour     `xml:"viz:color"`
}

type gexfEdge struct {
	ID     string         `xml:"id,attr"`
	Source string         `xml:"source,attr"`
	Target string         `xml:"target,attr"`
	Label  string         `xml:"label,attr"`
	Start  string         `xml:"start,attr,omitempty"`
	End    string         `xml:"end,attr,omitempty"`
	Values []gexfAttValue `xml:"attvalues>attvalue"`
}

type gexfAttValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfColour struct {
	R uint8 `xml:"r,attr"`
	G uint8 `xml:"g,attr"`
	B uint8 `xml:"b,attr"`
}

// gexfElementAttrs are written as XML attributes of nodes and edges, not as
// attribute values.
var gexfElementAttrs = []string{"label", "start", "end"}

// writeGEXF writes GEXF 1.3 in dynamic mode with timeformat "date": a dated
// node or edge starts on the first day its date names and, for a range,
// ends on the last; undated ones are there all along. Nodes are coloured by
// type.
func writeGEXF(w io.Writer, sg *graph.Subgraph) error {
	nodeCols, edgeCols := gexfColumns(nodeColumns(sg)), gexfColumns(edgeColumns(sg))
	doc := gexf{
		Viz: "http://gexf.net/1.3/viz", Version: "1.3", Meta: gexfMeta{Creator: "rustbelt"},
		Graph: gexfGraph{
			Mode: "dynamic", DefaultEdgeType: "directed", TimeFormat: "date",
			Attributes: []gexfAttributes{{"node", gexfDecls(nodeCols)}, {"edge", gexfDecls(edgeCols)}},
		},
	}
	for _, n := range sg.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, gexfNode{
			ID: n.ID, Label: n.Label, Start: firstDay(n.Start), End: lastDay(n.End),
			Values: gexfValues(nodeCols, values(n.Element)), Colour: rgb(colour(n.Type)),
		})
	}
	for _, e := range sg.Edges {
		doc.Graph.Edges = append(doc.Graph.Edges, gexfEdge{
			ID: e.ID, Source: e.Source, Target: e.Target, Label: e.Label,
			Start: firstDay(e.Start), End: timelineEnd(e), Values: gexfValues(edgeCols, values(e.Element)),
		})
	}
	return writeXML(w, doc)
}

// timelineEnd is when an edge leaves Gephi's timeline. A move (appointment,
// relocation) dated "between June and August" happened once in that window
// and its result lasts, so it stays from its start on; other ranges end.
func timelineEnd(e graph.Edge) string {
	switch e.Type {
	case schema.Appointment.Short(), schema.Relocation.Short():
		return ""
	}
	return lastDay(e.End)
}

func gexfColumns(cols []attr) []attr {
	var out []attr
	for _, c := range cols {
		if !contains(gexfElementAttrs, c.name) {
			out = append(out, c)
		}
	}
	return out
}

func gexfDecls(cols []attr) []gexfAttribute {
	out := make([]gexfAttribute, len(cols))
	for i, c := range cols {
		typ := "string"
		if c.numeric {
			typ = "double"
		}
		out[i] = gexfAttribute{ID: c.name, Title: c.name, Type: typ}
	}
	return out
}

func gexfValues(cols []attr, v map[string]string) []gexfAttValue {
	var out []gexfAttValue
	for _, c := range cols {
		if x := v[c.name]; x != "" {
			out = append(out, gexfAttValue{For: c.name, Value: x})
		}
	}
	return out
}

// firstDay turns a vocabulary date (2023, 2023-10, 2023-10-15) into the
// first day it names, as xs:date wants.
func firstDay(date string) string {
	switch len(date) {
	case 4:
		return date + "-01-01"
	case 7:
		return date + "-01"
	}
	return date
}

// lastDay turns a vocabulary date into the last day it names.
func lastDay(date string) string {
	if len(date) != 4 && len(date) != 7 {
		return date
	}
	t, err := time.Parse("2006-01-02", firstDay(date))
	if err != nil {
		return date
	}
	if len(date) == 4 {
		t = t.AddDate(1, 0, -1)
	} else {
		t = t.AddDate(0, 1, -1)
	}
	return t.Format("2006-01-02")
}

// rgb splits "#4e79a7" into its channels.
func rgb(hex string) gexfColour {
	v, _ := strconv.ParseUint(hex[1:], 16, 32) // the palette is constant
	return gexfColour{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v)}
}
