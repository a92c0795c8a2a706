package graph_test

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/bench/synth"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// countingStorage counts a real store's reads: of one node at a time
// (Quads, Linked), each a round trip on PostgreSQL, and of many at once
// (QuadsOf).
type countingStorage struct {
	graph.Storage
	single, many atomic.Int64
}

func (c *countingStorage) Quads(ctx context.Context, node quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	c.single.Add(1)
	return c.Storage.Quads(ctx, node, d, fn)
}

func (c *countingStorage) Linked(ctx context.Context, node quad.Value, pred quad.IRI, from, result quad.Direction) ([]quad.Value, error) {
	c.single.Add(1)
	return c.Storage.Linked(ctx, node, pred, from, result)
}

func (c *countingStorage) QuadsOf(ctx context.Context, nodes []quad.Value, d quad.Direction, fn func(quad.Quad)) error {
	c.many.Add(1)
	return c.Storage.(graph.ManyReader).QuadsOf(ctx, nodes, d, fn)
}

// synthGraphStore is a store holding the benchmark's synthetic data of n
// quads.
func synthGraphStore(t *testing.T, n int64) *store.Store {
	t.Helper()
	var buf bytes.Buffer
	if _, err := synth.Write(&buf, synth.Config{Quads: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, "memory:", store.Options{NoSeed: true})
	in := store.Input{Name: "synthetic.nq", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil }}
	if _, err := s.Load(context.Background(), []store.Input{in}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestListsReadInBatches asks for lists of rows on a new graph over two
// stores with the same places and three times the records: the records,
// and the people, posts, places and sources they name, are read in
// batches, so the reads of one node at a time stay the same while the
// rows triple. Read one at a time, a region's 2,000 appointments were
// thousands of round trips to PostgreSQL, 15 s at 1M quads.
func TestListsReadInBatches(t *testing.T) {
	ctx := context.Background()
	small, large := synthGraphStore(t, 20_000), synthGraphStore(t, 60_000)
	target := synth.TargetsOf(synth.Config{Quads: 20_000, Seed: 1})
	if other := synth.TargetsOf(synth.Config{Quads: 60_000, Seed: 1}); other.Region != target.Region || other.City != target.City {
		t.Fatalf("the two sizes name other places: %+v, %+v", target, other)
	}
	for _, q := range []struct {
		name string
		ask  func(g *graph.Graph) (int, error)
	}{
		{"appointments to a region", func(g *graph.Graph) (int, error) {
			rows, _, err := g.Appointments(ctx, graph.AppointmentFilter{To: target.Region})
			return len(rows), err
		}},
		{"investments in a region", func(g *graph.Graph) (int, error) {
			rows, _, err := g.Investments(ctx, graph.InvestmentFilter{Place: target.Region})
			return len(rows), err
		}},
		{"figures of an indicator", func(g *graph.Graph) (int, error) {
			rows, _, err := g.Indicators(ctx, graph.IndicatorFilter{Indicator: "syn-0"})
			return len(rows), err
		}},
		{"policies of a city", func(g *graph.Graph) (int, error) {
			rows, _, err := g.Policies(ctx, graph.PolicyFilter{Place: target.City})
			return len(rows), err
		}},
	} {
		t.Run(q.name, func(t *testing.T) {
			var rows [2]int
			var reads [2]*countingStorage
			for i, s := range []*store.Store{small, large} {
				reads[i] = &countingStorage{Storage: s}
				n, err := q.ask(graph.New(reads[i]))
				if err != nil {
					t.Fatal(err)
				}
				rows[i] = n
			}
			if rows[1] < 2*rows[0] || rows[0] == 0 {
				t.Fatalf("%d rows, then %d: the larger store should hold far more", rows[0], rows[1])
			}
			if a, b := reads[0].single.Load(), reads[1].single.Load(); b != a {
				t.Errorf("%d rows took %d single-node reads, %d rows took %d: reads grow with rows", rows[0], a, rows[1], b)
			}
			t.Logf("%d and %d rows: %d single-node reads and %d batches each", rows[0], rows[1], reads[0].single.Load(), reads[0].many.Load())
		})
	}
}
