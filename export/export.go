// Package export writes a graph.Subgraph in the formats that graph tools
// read: GraphML (yEd, Gephi, Cytoscape desktop), GEXF 1.3 with a timeline
// (Gephi), DOT (Graphviz), Cytoscape.js JSON (web pages), and the quads
// behind it as N-Quads or JSON-LD.
//
// Output is deterministic: the same subgraph gives the same bytes, so
// exports can be diffed. Write is the entry point; Formats lists the formats,
// ContentType gives the media type to serve one with, and ByExt picks one
// from a file name.
package export

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
)

// Format describes one export format.
type Format struct {
	// Name is what Write and the --format flag take: "graphml".
	Name string
	// Ext is the usual file extension, with its dot: ".graphml".
	Ext string
	// ContentType is the media type to serve it with.
	ContentType string
	// Doc says in a few words what reads it.
	Doc string

	write func(io.Writer, *graph.Subgraph) error
}

var formats = []Format{
	{"graphml", ".graphml", "application/graphml+xml", "GraphML for yEd, Gephi and Cytoscape desktop", writeGraphML},
	{"gexf", ".gexf", "application/gexf+xml", "GEXF 1.3 with dates, for Gephi's timeline", writeGEXF},
	{"dot", ".dot", "text/vnd.graphviz", "Graphviz DOT, left to right, coloured by type", writeDOT},
	{"cytoscape", ".json", "application/json", "Cytoscape.js elements JSON, for web pages", writeCytoscape},
	{"nquads", ".nq", "application/n-quads", "the quads behind the picture, loadable with rustbelt load", writeNQuads},
	{"jsonld", ".jsonld", "application/ld+json", "the quads behind the picture as JSON-LD", writeJSONLD},
}

// Formats lists the export formats.
func Formats() []Format {
	return append([]Format(nil), formats...)
}

// ContentType returns the media type of a format, or "" for an unknown one.
func ContentType(format string) string {
	if f, ok := lookup(format); ok {
		return f.ContentType
	}
	return ""
}

// ByExt returns the format whose usual extension ends path.
func ByExt(path string) (Format, bool) {
	for _, f := range formats {
		if strings.HasSuffix(strings.ToLower(path), f.Ext) {
			return f, true
		}
	}
	return Format{}, false
}

func lookup(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Write writes sg to w in the named format. An unknown format is a
// fail.Invalid error naming the known ones.
func Write(w io.Writer, format string, sg *graph.Subgraph) error {
	f, ok := lookup(format)
	if !ok {
		names := make([]string, len(formats))
		for i, f := range formats {
			names[i] = f.Name
		}
		return &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("unknown export format %q: expected %s", format, strings.Join(names, ", "))}
	}
	if err := f.write(w, sg); err != nil {
		return fmt.Errorf("export %s: %w", format, err)
	}
	return nil
}

func writeNQuads(w io.Writer, sg *graph.Subgraph) error { return sg.WriteQuads(w, "nquads") }
func writeJSONLD(w io.Writer, sg *graph.Subgraph) error { return sg.WriteQuads(w, "jsonld") }

// attr is one attribute column of the nodes or the edges, as the XML
// formats declare it.
type attr struct {
	name    string
	numeric bool // every value is a number, so tools can size or sort by it
}

// fixedAttrs come first on every node and edge, in this order.
var fixedAttrs = []string{"label", "type", "sources", "start", "end"}

// columns lists the attributes that occur in attrs, after the fixed ones,
// sorted by name.
func columns(attrs []map[string]string) []attr {
	numeric := map[string]bool{}
	for _, m := range attrs {
		for k, v := range m {
			isNum, seen := numeric[k]
			numeric[k] = (isNum || !seen) && isNumber(v)
		}
	}
	out := make([]attr, 0, len(fixedAttrs)+len(numeric))
	for _, k := range fixedAttrs {
		out = append(out, attr{name: k})
	}
	var names []string
	for k := range numeric {
		if !contains(fixedAttrs, k) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		out = append(out, attr{name: k, numeric: numeric[k]})
	}
	return out
}

func nodeColumns(sg *graph.Subgraph) []attr {
	attrs := make([]map[string]string, len(sg.Nodes))
	for i, n := range sg.Nodes {
		attrs[i] = n.Attrs
	}
	return columns(attrs)
}

func edgeColumns(sg *graph.Subgraph) []attr {
	attrs := make([]map[string]string, len(sg.Edges))
	for i, e := range sg.Edges {
		attrs[i] = e.Attrs
	}
	return columns(attrs)
}

// values are an element's attributes with the fixed ones filled in.
func values(el graph.Element) map[string]string {
	v := make(map[string]string, len(el.Attrs)+len(fixedAttrs))
	for k, x := range el.Attrs {
		v[k] = x
	}
	v["label"], v["type"], v["sources"], v["start"], v["end"] = el.Label, el.Type, sourceIDs(el.Sources), el.Start, el.End
	return v
}

// writeXML writes an XML document, indented, after the XML declaration.
func writeXML(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// sourceIDs lists the sources' ids, as `rustbelt sources` shows them.
func sourceIDs(refs []graph.SourceRef) string {
	ids := make([]string, len(refs))
	for i, s := range refs {
		ids[i] = s.ID
	}
	return strings.Join(ids, "; ")
}

// numberRE matches the plain decimals the vocabulary allows for figures.
var numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func isNumber(s string) bool { return numberRE.MatchString(s) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// colours give each type one colour in every format that draws, from a
// palette that colour-blind readers can tell apart.
var colours = map[string]string{
	"Person":         "#4e79a7",
	"Place":          "#59a14f",
	"Policy":         "#f28e2b",
	"Organization":   "#b07aa1",
	"Company":        "#e15759",
	"Post":           "#9c755f",
	"Indicator":      "#bab0ac",
	"Event":          "#edc948",
	"Infrastructure": "#76b7b2",
	// records, drawn as nodes with --reified
	"Appointment": "#ff9da7",
	"Relocation":  "#ff9da7",
	"Investment":  "#ff9da7",
	"Observation": "#ff9da7",
}

// otherColour marks classes from outside the vocabulary.
const otherColour = "#d3d3d3"

func colour(typ string) string {
	if c, ok := colours[typ]; ok {
		return c
	}
	return otherColour
}
