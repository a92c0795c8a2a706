package store

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// bulkTestQuads is the bundled dataset plus n generated records that refer
// to its places and to each other, with unlabelled quads and literals of
// every kind a store keeps apart: integers, floats, booleans, times (with a
// zone and nanoseconds), language-tagged strings.
func bulkTestQuads(t *testing.T, n int) []quad.Quad {
	t.Helper()
	var out []quad.Quad
	for _, in := range SeedInputs() {
		if err := eachQuad(context.Background(), in, func(_ schema.Pos, q quad.Quad) error {
			out = append(out, q)
			return nil
		}, nil); err != nil {
			t.Fatal(err)
		}
	}
	src := quad.IRI("https://rustbelt.dev/id/source/bulk")
	seen := time.Date(2024, 2, 29, 23, 59, 30, 123456789, time.FixedZone("", 8*3600))
	for i := range n {
		s := quad.IRI(fmt.Sprintf("https://rustbelt.dev/id/person/bulk-%d", i))
		out = append(out,
			quad.Make(s, quad.IRI("http://schema.org/name"), fmt.Sprintf("Person %d", i), src),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/basedIn"), quad.IRI("https://rustbelt.dev/id/place/jilin"), src),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/rank"), quad.Int(i%7), nil),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/knows"), quad.IRI(fmt.Sprintf("https://rustbelt.dev/id/person/bulk-%d", (i*31)%n)), src),
			quad.Make(s, quad.IRI("http://schema.org/description"), quad.LangString{Value: "ein Mensch", Lang: "de"}, src),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/active"), quad.Bool(i%3 == 0), src),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/score"), quad.Float(float64(i%40)/7-100), nil),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/seen"), quad.Time(seen.Add(time.Duration(i%40)*time.Minute)), src),
		)
	}
	return out
}

func quadsInput(name string, qs []quad.Quad) Input {
	var b strings.Builder
	for _, q := range qs {
		b.WriteString(q.NQuad())
		b.WriteByte('\n')
	}
	text := b.String()
	return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}
}

// newKV makes an empty Cayley kv store in a bolt file.
func newKV(t *testing.T) (cgraph.QuadStore, *bbolt.DB) {
	t.Helper()
	qs, db, err := openBoltQuadStore(filepath.Join(t.TempDir(), "kv.bolt"), false, false, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { qs.Close() })
	return qs, db
}

// TestBulkWriterMatchesCayley loads the same quads through Cayley's own kv
// writer and through the bulk writer (in batches that split records, with
// duplicates in a batch, across batches and across loads) and compares what
// Cayley reads back from both: every quad, every node's quads in every
// direction, the size and every node's reference count. A load by copy
// writes its indexes at the end; the cases take that road with its entries
// in memory and spilled to disk, with more quads set aside than it keeps
// (it then indexes halfway and goes on the usual way), and into a store
// whose index keys it extends.
func TestBulkWriterMatchesCayley(t *testing.T) {
	defer func(batch, commit, pending, run, later int) {
		bulkBatchSize, commitEvery, pendingMax, spillRun, laterMax = batch, commit, pending, run, later
	}(bulkBatchSize, commitEvery, pendingMax, spillRun, laterMax)
	bulkBatchSize, commitEvery, pendingMax = 1000, 2500, 1500 // the value index flushed every few batches
	ctx := context.Background()
	all := bulkTestQuads(t, 3000)
	// What the second load adds under keys the first wrote: another
	// acquaintance (an sp key), the same place under another source (an
	// ops key too).
	other := quad.IRI("https://rustbelt.dev/id/source/bulk-other")
	for i := range 100 {
		s := quad.IRI(fmt.Sprintf("https://rustbelt.dev/id/person/bulk-%d", i))
		all = append(all,
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/knows"), quad.IRI(fmt.Sprintf("https://rustbelt.dev/id/person/bulk-%d", i+1)), other),
			quad.Make(s, quad.IRI("https://rustbelt.dev/ns/basedIn"), quad.IRI("https://rustbelt.dev/id/place/jilin"), other))
	}

	want, wantDB := newKV(t)
	var deltas []cgraph.Delta
	for _, q := range all {
		deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
	}
	if err := want.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name           string
		spillRun       int
		laterMax       int
		secondDeferred bool
	}{
		{"indexes at the end in memory, then as it goes", 1 << 18, 1 << 16, false},
		{"indexes at the end from runs on disk", 700, 1 << 16, true},
		{"more quads set aside than kept", 1 << 18, 4, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			spillRun, laterMax = c.spillRun, c.laterMax
			compareBulkWithCayley(t, ctx, all, want, wantDB, c.secondDeferred)
		})
	}
}

// compareBulkWithCayley loads all in two overlapping bulk loads, the first
// by copy, and compares the store with want, which Cayley's writer filled.
func compareBulkWithCayley(t *testing.T, ctx context.Context, all []quad.Quad, want cgraph.QuadStore, wantDB *bbolt.DB, secondDeferred bool) {
	got, gotDB := newKV(t)
	half := len(all) / 2
	first := append(append([]quad.Quad{}, all[:half]...), all[:10]...) // duplicates in one load
	second := append(append([]quad.Quad{}, all[half-500:]...), all[half:half+20]...)
	rep1, err := bulkLoad(ctx, gotDB, []Input{quadsInput("first.nq", first)}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	rep2, err := bulkLoad(ctx, gotDB, []Input{quadsInput("second.nq", second)}, nil, !secondDeferred)
	if err != nil {
		t.Fatal(err)
	}
	if added := rep1.Added + rep2.Added; added != int64(len(all)) {
		t.Errorf("added %d quads, want %d", added, len(all))
	}
	if dups := rep1.Duplicates + rep2.Duplicates; dups != 10+500+20 {
		t.Errorf("skipped %d duplicates, want %d", dups, 10+500+20)
	}
	if spills, _ := filepath.Glob(gotDB.Path() + ".index-*"); len(spills) > 0 {
		t.Errorf("spill files left behind: %v", spills)
	}

	if a, b := dumpQuads(t, want), dumpQuads(t, got); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("the stores hold different quads: %d vs %d", len(a), len(b))
	}
	// Subjects and objects through the indexes; predicates and labels, which
	// Cayley answers by scanning, for a sample.
	for i, v := range nodeValues(all) {
		dirs := []quad.Direction{quad.Subject, quad.Object}
		if i%500 == 0 {
			dirs = quad.Directions
		}
		for _, d := range dirs {
			a, b := quadsOf(t, want, v, d), quadsOf(t, got, v, d)
			if strings.Join(a, "\n") != strings.Join(b, "\n") {
				t.Fatalf("%s as %s: Cayley's store lists %d quads, the bulk one %d", v, d, len(a), len(b))
			}
		}
	}
	if a, b := metaOf(t, wantDB, "size"), metaOf(t, gotDB, "size"); a != b {
		t.Errorf("size %d, want %d", b, a)
	}
	if a, b := refCounts(t, wantDB), refCounts(t, gotDB); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("reference counts differ")
	}

	// Cayley's own writer finds what the bulk writer wrote.
	more := quad.Make(quad.IRI("https://rustbelt.dev/id/person/bulk-new"), quad.IRI("http://schema.org/name"), "New", nil)
	if err := got.ApplyDeltas([]cgraph.Delta{{Quad: all[5], Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err == nil {
		t.Error("Cayley's writer added a quad the bulk writer had stored")
	}
	if err := got.ApplyDeltas([]cgraph.Delta{{Quad: more, Action: cgraph.Add}}, cgraph.IgnoreOpts{}); err != nil {
		t.Errorf("Cayley's writer after a bulk load: %v", err)
	}
}

func dumpQuads(t *testing.T, qs cgraph.QuadStore) []string {
	t.Helper()
	var out []string
	it := qs.QuadsAllIterator()
	defer it.Close()
	for it.Next(context.Background()) {
		out = append(out, qs.Quad(it.Result()).NQuad())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func quadsOf(t *testing.T, qs cgraph.QuadStore, v quad.Value, d quad.Direction) []string {
	t.Helper()
	ref := qs.ValueOf(v)
	if ref == nil {
		t.Fatalf("%v is not in the store", v)
	}
	var out []string
	it := qs.QuadIterator(d, ref)
	defer it.Close()
	for it.Next(context.Background()) {
		out = append(out, qs.Quad(it.Result()).NQuad())
	}
	sort.Strings(out)
	return out
}

func nodeValues(qs []quad.Quad) []quad.Value {
	seen := map[quad.Value]bool{}
	var out []quad.Value
	for _, q := range qs {
		for _, d := range quad.Directions {
			if v := q.Get(d); v != nil && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

func metaOf(t *testing.T, db *bbolt.DB, key string) uint64 {
	t.Helper()
	var v uint64
	db.View(func(tx *bbolt.Tx) error { v = metaInt(tx.Bucket(metaBucket), key); return nil })
	return v
}

// refCounts reads every node's reference count by value hash.
func refCounts(t *testing.T, db *bbolt.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			if len(name) != 3 || name[0] != 'n' {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				out[fmt.Sprintf("%x", k)] = fmt.Sprintf("%x", v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBulkLoadOfWholeBatches loads inputs that fill their last batch
// exactly, and inputs without a quad, in one transaction and in a
// transaction a batch: the reader then hands the writer an empty batch,
// which must write nothing rather than panic (a file of exactly 65,536
// quads did, and an empty one hung the command).
func TestBulkLoadOfWholeBatches(t *testing.T) {
	defer func(batch int) { bulkBatchSize = batch }(bulkBatchSize)
	bulkBatchSize = 4
	all := bulkTestQuads(t, 0)[:2*bulkBatchSize]
	for _, oneTx := range []bool{true, false} {
		for _, n := range []int{0, bulkBatchSize, 2 * bulkBatchSize} {
			t.Run(fmt.Sprintf("%d quads, one transaction %v", n, oneTx), func(t *testing.T) {
				qs, db := newKV(t)
				rep, err := bulkLoad(context.Background(), db, []Input{quadsInput("whole.nq", all[:n])}, &LoadOptions{}, oneTx)
				if err != nil {
					t.Fatal(err)
				}
				if rep.Read != int64(n) || rep.Added != int64(n) {
					t.Errorf("report %+v, want %d read and added", rep, n)
				}
				if got := dumpQuads(t, qs); len(got) != n {
					t.Errorf("the store holds %d quads, want %d", len(got), n)
				}
			})
		}
	}
}
