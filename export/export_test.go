package export

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// jilin is the example: everything within two steps of Jilin.
var jilin = graph.SubgraphOptions{Centers: []string{"Jilin"}, Depth: 2}

// openStore opens a store at addr, closed when the test ends.
var openStore = storetest.Open

// subgraphOf selects opt from a seeded memory store.
func subgraphOf(t testing.TB, opt graph.SubgraphOptions) *graph.Subgraph {
	t.Helper()
	return selectFrom(t, openStore(t, "memory:", store.Options{}), opt)
}

func selectFrom(t testing.TB, s *store.Store, opt graph.SubgraphOptions) *graph.Subgraph {
	t.Helper()
	sg, _, err := graph.New(s).Subgraph(context.Background(), opt)
	if err != nil {
		t.Fatalf("Subgraph(%+v): %v", opt, err)
	}
	return sg
}

// exported writes sg in format and returns the bytes.
func exported(t testing.TB, format string, sg *graph.Subgraph) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, sg); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	return buf.Bytes()
}

// tool returns the path of an external program the test needs. Under CI it
// must be there; elsewhere the test is skipped with the install step.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: %s", name, install)
	}
	t.Skipf("%s is missing: %s", name, install)
	return ""
}

// writeTemp saves data in the test's temporary folder.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDeterministic(t *testing.T) {
	// Two stores of different backends, so that neither map order nor the
	// order a backend returns quads in can leak into the output.
	a := selectFrom(t, openStore(t, "memory:", store.Options{}), jilin)
	b := selectFrom(t, openStore(t, filepath.Join(t.TempDir(), "s.bolt"), store.Options{}), jilin)
	for _, f := range Formats() {
		t.Run(f.Name, func(t *testing.T) {
			first, second := exported(t, f.Name, a), exported(t, f.Name, b)
			if len(first) == 0 || !bytes.Equal(first, second) {
				t.Errorf("two exports differ (%d and %d bytes)", len(first), len(second))
			}
		})
	}
}

func TestFormatsAndContentTypes(t *testing.T) {
	want := map[string]string{
		"graphml": "application/graphml+xml", "gexf": "application/gexf+xml", "dot": "text/vnd.graphviz",
		"cytoscape": "application/json", "nquads": "application/n-quads", "jsonld": "application/ld+json",
	}
	if len(Formats()) != len(want) {
		t.Errorf("%d formats, want %d", len(Formats()), len(want))
	}
	for _, f := range Formats() {
		if ContentType(f.Name) != want[f.Name] || f.ContentType != want[f.Name] {
			t.Errorf("%s: content type %q, want %q", f.Name, ContentType(f.Name), want[f.Name])
		}
		if g, ok := ByExt("out/x" + strings.ToUpper(f.Ext)); !ok || g.Name != f.Name {
			t.Errorf("ByExt(%s) = %v, %v", f.Ext, g.Name, ok)
		}
	}
	if ContentType("svg") != "" {
		t.Errorf("unknown format has a content type")
	}
	err := Write(io.Discard, "svg", subgraphOf(t, graph.SubgraphOptions{Centers: []string{"Jilin"}}))
	if fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "graphml, gexf") {
		t.Errorf("unknown format: %v", err)
	}
}

// TestQuadsRoundTrip loads the N-Quads and the JSON-LD export into empty
// stores: both must hold exactly the exported quads, which select the same
// subgraph again.
func TestQuadsRoundTrip(t *testing.T) {
	sg := subgraphOf(t, jilin)
	nq := exported(t, "nquads", sg)
	for _, format := range []string{"nquads", "jsonld"} {
		t.Run(format, func(t *testing.T) {
			data := exported(t, format, sg)
			fresh := openStore(t, "memory:", store.Options{NoSeed: true})
			in := store.Input{Name: "export", Format: format, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
			rep, err := fresh.Load(context.Background(), []store.Input{in}, store.LoadOptions{})
			if err != nil {
				t.Fatalf("load the %s export: %v", format, err)
			}
			if lines := int64(bytes.Count(nq, []byte("\n"))); rep.Added != lines {
				t.Errorf("loaded %d quads, exported %d", rep.Added, lines)
			}
			again := selectFrom(t, fresh, jilin)
			if got := exported(t, "nquads", again); !bytes.Equal(got, nq) {
				t.Errorf("the quads changed through a round trip")
			}
			if got, want := exported(t, "graphml", again), exported(t, "graphml", sg); !bytes.Equal(got, want) {
				t.Errorf("the picture changed through a round trip")
			}
		})
	}
}
