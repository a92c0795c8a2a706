package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"strings"
	"sync"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// secondSource is a new source that also names a seeded person.
const secondSource = `<https://rustbelt.dev/id/source/test2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> <https://rustbelt.dev/id/source/test2> .
<https://rustbelt.dev/id/source/test2> <http://schema.org/name> "A second test source" <https://rustbelt.dev/id/source/test2> .
<https://rustbelt.dev/id/person/cao-lubao> <http://schema.org/description> "Named in a second test source" <https://rustbelt.dev/id/source/test2> .
`

// needPostgres skips the test without a PostgreSQL server to run it on.
func needPostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(postgresEnv) == "" {
		t.Skipf("set %s=postgres://user@host/db to run the PostgreSQL tests", postgresEnv)
	}
}

// cardJSON is the card of name as the graph answers it, or the error.
func cardJSON(t *testing.T, g *graph.Graph, name string) string {
	t.Helper()
	card, _, err := g.Card(context.Background(), name)
	if err != nil {
		return "error: " + err.Error()
	}
	b, err := json.Marshal(card)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPostgresGenerationFollowsEveryProcess opens one PostgreSQL database
// twice, as two processes would: a writer, and a reader whose graph keeps
// names and records across requests. Every kind of write through the
// writer (a COPY load, a replace, a delete), and one by Cayley's own
// writer as a stock Cayley process makes it, is seen by the reader's next
// question: the generation number it reads from the database has changed,
// so its caches let go.
func TestPostgresGenerationFollowsEveryProcess(t *testing.T) {
	needPostgres(t)
	ctx := context.Background()
	addr := freshPostgres(t)
	writer := mustOpen(t, addr, store.Options{})
	reader := mustOpen(t, addr, store.Options{ReadOnly: true})
	g := graph.New(reader)

	gen := func() uint64 {
		t.Helper()
		n, exact, err := reader.Generation(ctx)
		if err != nil || !exact {
			t.Fatalf("generation: %d, exact %v, %v; want an exact number", n, exact, err)
		}
		return n
	}
	cayley, err := cgraph.NewQuadStore("postgres", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cayley.Close()
	official := quad.Make(quad.IRI("https://rustbelt.dev/id/person/test-official"), quad.IRI("http://schema.org/alternateName"), "T. Official", quad.IRI("https://rustbelt.dev/id/source/test"))

	steps := []struct {
		name  string
		write func() error
		card  string // whose card to ask for
		want  string // what the card then says, or its error
		lacks string // what it no longer says
	}{
		{"a COPY load of a new person", func() error {
			_, err := writer.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{})
			return err
		}, "person/test-official", "Test Official", ""},
		{"a COPY load of a second source for a known person", func() error {
			_, err := writer.Load(ctx, []store.Input{stringInput("second.nq", secondSource)}, store.LoadOptions{})
			return err
		}, "Cao Lubao", "source/test2", ""},
		{"Cayley's own writer, as a stock Cayley process", func() error {
			return cayley.ApplyDeltas([]cgraph.Delta{{Quad: official, Action: cgraph.Add}}, cgraph.IgnoreOpts{})
		}, "person/test-official", "T. Official", ""},
		{"a replace of the second source without its fact", func() error {
			all, err := parseNQuads(secondSource)
			if err != nil {
				return err
			}
			_, err = writer.Replace(ctx, []quad.IRI{"https://rustbelt.dev/id/source/test2"}, all[:2])
			return err
		}, "Cao Lubao", "person/cao-lubao", "source/test2"},
		{"a delete of the new person", func() error {
			_, err := writer.Delete(ctx, []store.Input{stringInput("new.nq", newFacts)})
			return err
		}, "person/test-official", "T. Official", "Test Official"},
	}
	// Fill the reader's caches for every card the steps ask for.
	for _, st := range steps {
		cardJSON(t, g, st.card)
	}
	for _, st := range steps {
		before := gen()
		if err := st.write(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if after := gen(); after == before {
			t.Errorf("%s: the generation stayed %d", st.name, before)
		}
		got := cardJSON(t, g, st.card)
		if !strings.Contains(got, st.want) || st.lacks != "" && strings.Contains(got, st.lacks) {
			t.Errorf("%s: the reader's card of %s says %s; want %q in it and not %q", st.name, st.card, got, st.want, st.lacks)
		}
		if n := gen(); n != gen() {
			t.Errorf("%s: the generation moved without a write", st.name)
		}
	}
}

// TestPostgresCountsFollowEveryWrite checks the counts the triggers keep
// against a count of the tables after each kind of write: the seed, a COPY
// load with duplicates, Cayley's writer, a delete with missing quads, a
// replace, statements of hand-written SQL (an update that moves quads to
// another label, a truncate), and a reopen, which must not count again.
func TestPostgresCountsFollowEveryWrite(t *testing.T) {
	needPostgres(t)
	ctx := context.Background()
	addr := freshPostgres(t)
	s := mustOpen(t, addr, store.Options{})
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(stmt string) func() error {
		return func() error { _, err := db.ExecContext(ctx, stmt); return err }
	}
	cayley, err := cgraph.NewQuadStore("postgres", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cayley.Close()
	extra := quad.Make(quad.IRI("https://rustbelt.dev/id/person/x"), quad.IRI("http://schema.org/name"), "X", nil)

	steps := []struct {
		name  string
		write func() error
	}{
		{"the seed", func() error { return nil }},
		{"a COPY load with duplicates", func() error {
			_, err := s.Load(ctx, []store.Input{stringInput("a.nq", newFacts+personFacts("p", 40)), stringInput("b.nq", newFacts)}, store.LoadOptions{})
			return err
		}},
		{"Cayley's writer, an unlabelled quad", func() error {
			return cayley.ApplyDeltas([]cgraph.Delta{{Quad: extra, Action: cgraph.Add}}, cgraph.IgnoreOpts{})
		}},
		{"a delete with missing quads", func() error {
			_, err := s.Delete(ctx, []store.Input{stringInput("d.nq", newFacts+secondSource)})
			return err
		}},
		{"a replace", func() error {
			src := quad.IRI("https://rustbelt.dev/id/source/p")
			_, err := s.Replace(ctx, []quad.IRI{src}, []quad.Quad{
				quad.Make(src, quad.IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), quad.IRI("https://rustbelt.dev/ns/Source"), src),
				quad.Make(src, quad.IRI("http://schema.org/name"), "Renamed", src),
			})
			return err
		}},
		{"an UPDATE that moves the unlabelled quad to a label", exec(`UPDATE quads SET label_hash = (SELECT label_hash FROM quads WHERE label_hash IS NOT NULL LIMIT 1) WHERE label_hash IS NULL`)},
		{"a reopen", func() error {
			again, err := store.Open(ctx, addr, store.Options{})
			if err == nil {
				err = again.Close()
			}
			return err
		}},
		{"a TRUNCATE", exec(`TRUNCATE quads, nodes`)},
	}
	for _, st := range steps {
		if err := st.write(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var wantQuads, wantNodes int64
		if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM quads), (SELECT count(*) FROM nodes)`).Scan(&wantQuads, &wantNodes); err != nil {
			t.Fatal(err)
		}
		quads, nodes, err := s.Counts(ctx)
		if err != nil || quads != wantQuads || nodes != wantNodes {
			t.Errorf("after %s: counts %d quads, %d nodes (%v); the tables hold %d and %d", st.name, quads, nodes, err, wantQuads, wantNodes)
		}
		want := map[quad.IRI]int64{}
		rows, err := db.QueryContext(ctx, `SELECT coalesce(n.value_string, ''), count(*) FROM quads q LEFT JOIN nodes n ON n.hash = q.label_hash GROUP BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var label string
			var n int64
			if err := rows.Scan(&label, &n); err != nil {
				t.Fatal(err)
			}
			want[quad.IRI(label)] = n
		}
		rows.Close()
		got, err := s.QuadsPerLabel(ctx)
		if err != nil || !maps.Equal(got, want) {
			t.Errorf("after %s: quads per label %v (%v); the tables hold %v", st.name, got, err, want)
		}
	}
}

// TestPostgresBookkeepingCountsAStoreMadeWithout opens, with rustbelt, a
// database that Cayley alone made and filled (as stock Cayley or an older
// rustbelt leaves one): the first open counts what is there, and from then
// on the counts follow the writes. A read-only open of such a store by a
// user who may not create tables would do without; a replica without it
// does without too (TestReplica).
func TestPostgresBookkeepingCountsAStoreMadeWithout(t *testing.T) {
	needPostgres(t)
	ctx := context.Background()
	addr := freshPostgres(t)
	if err := cgraph.InitQuadStore("postgres", addr, nil); err != nil {
		t.Fatal(err)
	}
	cayley, err := cgraph.NewQuadStore("postgres", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := addWithCayley(cayley, personFacts("old", 20), cgraph.IgnoreOpts{}); err != nil {
		t.Fatal(err)
	}
	cayley.Close()
	s := mustOpen(t, addr, store.Options{NoSeed: true})
	quads, nodes, err := s.Counts(ctx)
	if err != nil || quads != 20 || nodes != 24 {
		t.Errorf("counts of a store Cayley made: %d quads, %d nodes (%v); want 20 and 24", quads, nodes, err)
	}
	per, err := s.QuadsPerLabel(ctx)
	if want := map[quad.IRI]int64{"https://rustbelt.dev/id/source/old": 20}; err != nil || !maps.Equal(per, want) {
		t.Errorf("quads per label: %v (%v); want %v", per, err, want)
	}
	if _, exact, err := s.Generation(ctx); err != nil || !exact {
		t.Errorf("generation exact %v (%v); want exact", exact, err)
	}
}

// TestPostgresWritersTakeTurns runs writers of every kind at once on one
// database, each through a handle of its own as separate processes would:
// COPY loads, deletes and Cayley's writer. None may deadlock or fail, and
// the counts must come out exact.
func TestPostgresWritersTakeTurns(t *testing.T) {
	needPostgres(t)
	ctx := context.Background()
	addr := freshPostgres(t)
	mustOpen(t, addr, store.Options{}) // created and seeded before the writers start
	var writers []func() error
	for i := range 4 {
		s := mustOpen(t, addr, store.Options{})
		facts := personFacts(fmt.Sprintf("w%d", i), 200)
		half := strings.Join(strings.SplitAfter(facts, "\n")[:100], "")
		writers = append(writers, func() error {
			if _, err := s.Load(ctx, []store.Input{stringInput("w.nq", facts)}, store.LoadOptions{}); err != nil {
				return err
			}
			_, err := s.Delete(ctx, []store.Input{stringInput("half.nq", newFacts+half)})
			return err
		})
	}
	cayley, err := cgraph.NewQuadStore("postgres", addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cayley.Close()
	writers = append(writers, func() error {
		return addWithCayley(cayley, personFacts("cayley", 100), cgraph.IgnoreOpts{IgnoreDup: true})
	})
	var wg sync.WaitGroup
	errs := make([]error, len(writers))
	for i, w := range writers {
		wg.Go(func() { errs[i] = w() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wantQuads, wantNodes int64
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM quads), (SELECT count(*) FROM nodes)`).Scan(&wantQuads, &wantNodes); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, addr, store.Options{ReadOnly: true})
	if quads, nodes, err := s.Counts(ctx); err != nil || quads != wantQuads || nodes != wantNodes {
		t.Errorf("counts %d quads, %d nodes (%v); the tables hold %d and %d", quads, nodes, err, wantQuads, wantNodes)
	}
}
