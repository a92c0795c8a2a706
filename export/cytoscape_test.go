package export

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// TestCytoscapeLoads loads the export with the real cytoscape package in
// Node (testdata/cytoscape/load.js) and compares what it built.
func TestCytoscapeLoads(t *testing.T) {
	node := tool(t, "node", "install Node.js and run scripts/deps/40-node-cytoscape.sh")
	dir, _ := filepath.Abs(filepath.Join("testdata", "cytoscape"))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "cytoscape")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("cytoscape is not installed in %s: run scripts/deps/40-node-cytoscape.sh", dir)
		}
		t.Skipf("cytoscape is not installed: run scripts/deps/40-node-cytoscape.sh")
	}
	sg := subgraphOf(t, jilin)
	file := writeTemp(t, "jilin.json", exported(t, "cytoscape", sg))
	out, err := exec.Command(node, filepath.Join(dir, "load.js"), file, "person/cao-lubao").Output()
	if err != nil {
		t.Fatalf("node load.js: %v", err)
	}
	var got struct {
		Nodes, Edges, Dated int
		Errors, Neighbours  []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("read %q: %v", out, err)
	}
	labels := map[string]string{}
	for _, n := range sg.Nodes {
		labels[n.ID] = n.Label
	}
	var neighbours []string
	dated := 0
	for _, e := range sg.Edges {
		switch "person/cao-lubao" {
		case e.Source:
			neighbours = append(neighbours, labels[e.Target])
		case e.Target:
			neighbours = append(neighbours, labels[e.Source])
		}
		if e.Start != "" {
			dated++
		}
	}
	sort.Strings(neighbours)
	if got.Nodes != len(sg.Nodes) || got.Edges != len(sg.Edges) || got.Dated != dated || len(got.Errors) > 0 {
		t.Errorf("cytoscape built %d nodes, %d edges (%d dated), errors %q; want %d, %d (%d)",
			got.Nodes, got.Edges, got.Dated, got.Errors, len(sg.Nodes), len(sg.Edges), dated)
	}
	if len(neighbours) == 0 || !equal(got.Neighbours, neighbours) {
		t.Errorf("Cao Lubao's neighbours in cytoscape: %q, want %q", got.Neighbours, neighbours)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
