package store

import (
	"bytes"
	"context"
	"database/sql"
	"math"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/internal/testbin"
)

// TestLargeCopyLoadRebuildsIndexesAsCayleyMadeThem loads the same quads,
// duplicates within the load and against the seed included, into two
// seeded stores: one through the quads table's indexes row by row, one
// rebuilding them. Both roads must report the same, leave the same rows,
// the schema Cayley made (every index and constraint of quads, by name and
// definition) and exact counts; and stock Cayley v0.7.7 must open the
// rebuilt store, dump every quad and answer a query.
func TestLargeCopyLoadRebuildsIndexesAsCayleyMadeThem(t *testing.T) {
	ctx := context.Background()
	all := bulkTestQuads(t, 500)
	input := []Input{quadsInput("all.nq", append(all, all[:50]...))}
	var reports []LoadReport
	var tables, schemas []string
	var rebuilt string
	for _, road := range []struct {
		name string
		min  int64
	}{{"row by row", math.MaxInt64}, {"rebuilt", 0}} {
		addr := pgDatabase(t, strings.ReplaceAll(road.name, " ", "_"))
		s, err := Open(ctx, addr, Options{})
		if err != nil {
			t.Fatal(err)
		}
		before := quadsSchema(t, addr)
		func() {
			defer func(n int64) { rebuildMin = n }(rebuildMin)
			rebuildMin = road.min
			rep, err := copyLoad(ctx, addr, s.qs, input, nil) // not validated: the quads hold every kind of value
			if err != nil {
				t.Fatalf("%s: %v", road.name, err)
			}
			rep.Elapsed = 0
			reports = append(reports, rep)
		}()
		if after := quadsSchema(t, addr); after != before {
			t.Errorf("%s: the schema of quads changed:\n%s\nwas\n%s", road.name, after, before)
		}
		var quads, nodes int64
		db, err := sql.Open("postgres", addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT (SELECT count(*) FROM quads), (SELECT count(*) FROM nodes)`).Scan(&quads, &nodes); err != nil {
			t.Fatal(err)
		}
		if road.min == 0 {
			var analyzed int
			if err := db.QueryRow(`SELECT count(DISTINCT tablename) FROM pg_stats WHERE tablename IN ('quads', 'nodes')`).Scan(&analyzed); err != nil || analyzed != 2 {
				t.Errorf("%s: planner statistics for %d of quads and nodes (%v): the planner guesses", road.name, analyzed, err)
			}
		}
		db.Close()
		if q, n, err := s.Counts(ctx); err != nil || q != quads || n != nodes {
			t.Errorf("%s: counts %d quads, %d nodes (%v); the tables hold %d and %d", road.name, q, n, err, quads, nodes)
		}
		s.Close()
		tables = append(tables, dumpTables(t, addr))
		schemas = append(schemas, before)
		rebuilt = addr
	}
	if reports[0] != reports[1] {
		t.Errorf("the roads report %+v and %+v", reports[0], reports[1])
	}
	if tables[0] != tables[1] {
		t.Errorf("the roads left different rows; first difference: %s",
			FirstDifference(strings.Split(tables[0], "\n"), strings.Split(tables[1], "\n")))
	}

	cayley := testbin.StockCayley(t)
	stock := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, cayley, append(args[:1:1], append([]string{"-d", "postgres", "-a", rebuilt}, args[1:]...)...)...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("cayley %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
		}
		return stdout.String()
	}
	dump := stock("dump", "-o", "-", "--dump_format", "nquads")
	if got, want := strings.Count(dump, "\n"), strings.Count(tables[1], "\n")-nodeRows(t, rebuilt); got != want {
		t.Errorf("stock Cayley dumps %d quads of the rebuilt store, which holds %d", got, want)
	}
	if got := stock("query", "--lang", "gizmo", `g.V("<https://rustbelt.dev/id/person/bulk-7>").Out("<http://schema.org/name>").All()`); !strings.Contains(got, "Person 7") {
		t.Errorf("stock Cayley's answer on the rebuilt store: %q", got)
	}
}

// quadsSchema lists the indexes and constraints of the quads table, by
// name and definition, sorted.
func quadsSchema(t *testing.T, addr string) string {
	t.Helper()
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT 'index ' || c.relname || ': ' || pg_get_indexdef(i.indexrelid) FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'quads'::regclass
		UNION ALL
		SELECT 'constraint ' || conname || ': ' || pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' (not valid)' END
			FROM pg_constraint WHERE conrelid = 'quads'::regclass
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		out = append(out, line)
	}
	if len(out) < 11 {
		t.Fatalf("quads has only %d indexes and constraints: %v", len(out), out)
	}
	return strings.Join(out, "\n")
}

// nodeRows counts the rows of the nodes table.
func nodeRows(t *testing.T, addr string) int {
	t.Helper()
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM nodes`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
