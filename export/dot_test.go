package export

import (
	"bytes"
	"encoding/xml"
	"os/exec"
	"strings"
	"testing"
)

// TestDOTRenders renders the export with Graphviz and reads the SVG back:
// one drawn node per node, one drawn edge per edge, every label shown.
func TestDOTRenders(t *testing.T) {
	dot := tool(t, "dot", "install Graphviz: scripts/deps/30-graphviz.sh")
	sg := subgraphOf(t, jilin)
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = bytes.NewReader(exported(t, "dot", sg))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	svg, err := cmd.Output()
	if err != nil || strings.Contains(stderr.String(), "Warning") {
		t.Fatalf("dot -Tsvg: %v: %s", err, stderr.String())
	}
	var doc struct {
		Groups []svgGroup `xml:"g>g"`
	}
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("parse the SVG: %v", err)
	}
	drawn := map[string][]svgGroup{}
	for _, g := range doc.Groups {
		drawn[g.Class] = append(drawn[g.Class], g)
	}
	if len(drawn["node"]) != len(sg.Nodes) || len(drawn["edge"]) != len(sg.Edges) {
		t.Errorf("drew %d nodes and %d edges, want %d and %d", len(drawn["node"]), len(drawn["edge"]), len(sg.Nodes), len(sg.Edges))
	}
	var texts []string
	for _, g := range append(drawn["node"], drawn["edge"]...) {
		texts = append(texts, g.text())
	}
	all := strings.Join(texts, "\n")
	for _, n := range sg.Nodes {
		if !strings.Contains(all, n.Label) {
			t.Errorf("label %q not drawn", n.Label)
		}
	}
	for _, want := range []string{"appointed to", "2023-10", "2024-06 to 2024-08"} {
		if !strings.Contains(all, want) {
			t.Errorf("%q not drawn", want)
		}
	}
}

// svgGroup is one node or edge Graphviz drew.
type svgGroup struct {
	Class string   `xml:"class,attr"`
	Texts []string `xml:"text"`
	Links []struct {
		Texts []string `xml:"text"`
	} `xml:"g>a"`
}

func (g svgGroup) text() string {
	parts := g.Texts
	for _, a := range g.Links {
		parts = append(parts, a.Texts...)
	}
	return strings.Join(parts, " ")
}

func TestDOTQuote(t *testing.T) {
	tests := map[string]string{
		`plain`:          `"plain"`,
		`say "hi"`:       `"say \"hi\""`,
		`back\slash`:     `"back\\slash"`,
		"two\nlines":     `"two\nlines"`,
		`C:\n is a path`: `"C:\\n is a path"`,
	}
	for in, want := range tests {
		if got := dotQuote(in); got != want {
			t.Errorf("dotQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
