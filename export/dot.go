package export

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
)

// shapes tell the main types apart in black and white too.
var shapes = map[string]string{
	"Person": "ellipse",
	"Place":  "box",
	"Policy": "note",
	"Event":  "hexagon",
}

// writeDOT writes a Graphviz digraph laid out left to right, so that an
// appointment reads origin → person → destination. Nodes are filled with
// their type's colour, edges carry their label and date, and a legend names
// the colours. Tooltips (titles in SVG) cite the sources.
func writeDOT(w io.Writer, sg *graph.Subgraph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph rustbelt {")
	fmt.Fprintln(bw, `  graph [rankdir=LR, fontname="DejaVu Sans", fontsize=10, nodesep=0.25, ranksep=0.9, labeljust=l];`)
	fmt.Fprintln(bw, `  node [fontname="DejaVu Sans", fontsize=11, style="rounded,filled", penwidth=1.4];`)
	fmt.Fprintln(bw, `  edge [fontname="DejaVu Sans", fontsize=9, color="#555555", fontcolor="#333333", arrowsize=0.7];`)
	types := map[string]bool{}
	for _, n := range sg.Nodes {
		types[n.Type] = true
		shape := shapes[n.Type]
		if shape == "" {
			shape = "box"
		}
		c := colour(n.Type)
		fmt.Fprintf(bw, "  %s [label=%s, shape=%s, color=%q, fillcolor=%q, tooltip=%s];\n",
			dotQuote(n.ID), nodeLabel(n), shape, c, c+"40", dotQuote(tooltip(n.Type, n.Start, n.End, n.Sources)))
	}
	for _, e := range sg.Edges {
		label := e.Label
		if d := dateText(e.Start, e.End); d != "" && e.Type != schema.Observation.Short() {
			label += "\n" + d // a figure's label already names its period
		}
		fmt.Fprintf(bw, "  %s -> %s [label=%s, tooltip=%s];\n",
			dotQuote(e.Source), dotQuote(e.Target), dotQuote(label), dotQuote(tooltip(e.Label, e.Start, e.End, e.Sources)))
	}
	if len(types) > 0 {
		fmt.Fprintf(bw, "  label=<%s>;\n", legend(types))
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// nodeLabel is the node's name, with a place's kind in small type beneath
// it, so that Jilin the province and Jilin the city can be told apart.
func nodeLabel(n graph.Node) string {
	kind := n.Attrs["placeKind"]
	if kind == "" {
		return dotQuote(n.Label)
	}
	return fmt.Sprintf(`<%s<br/><font point-size="8" color="#555555">%s</font>>`, htmlEscape(n.Label), htmlEscape(kind))
}

// dateText reads a start and end as "2023-10" or "2024-06 to 2024-08".
func dateText(start, end string) string {
	if end != "" && end != start {
		return start + " to " + end
	}
	return start
}

func tooltip(what, start, end string, sources []graph.SourceRef) string {
	parts := []string{what}
	if d := dateText(start, end); d != "" {
		parts = append(parts, d)
	}
	for _, s := range sources {
		parts = append(parts, s.String()+" ("+s.ID+")")
	}
	return strings.Join(parts, "; ")
}

// legend is an HTML-like table with one cell per type, in its colour.
func legend(types map[string]bool) string {
	names := make([]string, 0, len(types))
	for t := range types {
		names = append(names, t)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(`<table border="0" cellspacing="4"><tr>`)
	for _, t := range names {
		c := colour(t)
		fmt.Fprintf(&b, `<td bgcolor="%s40" color="%s" border="1" style="rounded">%s</td>`, c, c, htmlEscape(t))
	}
	b.WriteString(`</tr></table>`)
	return b.String()
}

// dotQuote writes s as a DOT string. Backslashes are doubled because
// Graphviz reads \n, \l and friends in labels; newlines become \n.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
