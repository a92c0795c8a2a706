package export

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/rustbelt/rustbelt/graph"
)

// cyElement is one Cytoscape.js element: its data and its style classes.
type cyElement struct {
	Data    map[string]any `json:"data"`
	Classes string         `json:"classes"`
}

// writeCytoscape writes Cytoscape.js elements JSON:
// {"elements":{"nodes":[{"data":{…}}],"edges":[…]}}. Each element's data
// holds id, label, type, the sources (with title, publisher and date), the
// dates and its attributes; edges add source and target. The type, lower
// case, is the element's class, for style sheets (node.person).
func writeCytoscape(w io.Writer, sg *graph.Subgraph) error {
	var doc struct {
		Elements struct {
			Nodes []cyElement `json:"nodes"`
			Edges []cyElement `json:"edges"`
		} `json:"elements"`
	}
	doc.Elements.Nodes = make([]cyElement, 0, len(sg.Nodes))
	doc.Elements.Edges = make([]cyElement, 0, len(sg.Edges))
	for _, n := range sg.Nodes {
		d := cyData(n.Element)
		d["id"], d["colour"] = n.ID, colour(n.Type)
		doc.Elements.Nodes = append(doc.Elements.Nodes, cyElement{Data: d, Classes: strings.ToLower(n.Type)})
	}
	for _, e := range sg.Edges {
		d := cyData(e.Element)
		d["id"], d["source"], d["target"] = e.ID, e.Source, e.Target
		doc.Elements.Edges = append(doc.Elements.Edges, cyElement{Data: d, Classes: strings.ToLower(e.Type)})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

// cyData is an element's data without its ids; the fixed fields win over
// attributes of the same name.
func cyData(el graph.Element) map[string]any {
	d := make(map[string]any, len(el.Attrs)+8)
	for k, v := range el.Attrs {
		d[k] = v
	}
	d["label"], d["type"], d["sources"] = el.Label, el.Type, el.Sources
	if el.Start != "" {
		d["start"] = el.Start
	}
	if el.End != "" {
		d["end"] = el.End
	}
	return d
}
