package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
)

// pgDatabase creates an empty database on the server RUSTBELT_TEST_POSTGRES
// names and returns its URL; the test skips without the variable.
func pgDatabase(t *testing.T, suffix string) string {
	t.Helper()
	base := os.Getenv("RUSTBELT_TEST_POSTGRES")
	if base == "" {
		t.Skip("set RUSTBELT_TEST_POSTGRES=postgres://user@host/db to run the PostgreSQL tests")
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("rustbelt_copy_%d_%s", os.Getpid(), suffix)
	admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("postgres", base); err == nil {
			db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestCopyLoadMatchesCayley loads the same quads, duplicates included, with
// COPY and with Cayley's SQL writer, and compares the rows the two leave in
// PostgreSQL: every column of every node (reference counts, and the value
// columns of strings, IRIs, blank nodes, integers, floats, booleans and
// times) and every quad.
func TestCopyLoadMatchesCayley(t *testing.T) {
	ctx := context.Background()
	all := bulkTestQuads(t, 500)
	input := []Input{quadsInput("all.nq", append(all, all[:50]...))}
	var tables []string
	for _, byCopy := range []bool{true, false} {
		addr := pgDatabase(t, fmt.Sprint(byCopy))
		s, err := Open(ctx, addr, Options{NoSeed: true})
		if err != nil {
			t.Fatal(err)
		}
		var rep LoadReport
		if byCopy {
			rep, err = copyLoad(ctx, addr, s.qs, input, nil)
		} else {
			rep, err = writeAll(ctx, s.qs, input)
		}
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != int64(len(all)) || rep.Duplicates != 50 {
			t.Errorf("copy %v: added %d, skipped %d; want %d and 50", byCopy, rep.Added, rep.Duplicates, len(all))
		}
		if n, err := quadCount(ctx, s.qs); err != nil || n != int64(len(all)) {
			t.Errorf("copy %v: the store counts %d quads (%v), want %d", byCopy, n, err, len(all))
		}
		s.Close()
		tables = append(tables, dumpTables(t, addr))
	}
	if tables[0] != tables[1] {
		t.Errorf("COPY and Cayley's writer left different tables; first difference: %s",
			FirstDifference(strings.Split(tables[0], "\n"), strings.Split(tables[1], "\n")))
	}
}

// dumpTables writes every row of the nodes and quads tables as JSON, every
// column named, in a stable order. Of the quads it leaves out the row
// number and the time of writing, which no two loads share.
func dumpTables(t *testing.T, addr string) string {
	t.Helper()
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var counts [4]int
	if err := db.QueryRow(`SELECT count(value_int), count(value_float), count(value_bool), count(value_time) FROM nodes`).Scan(&counts[0], &counts[1], &counts[2], &counts[3]); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(counts[:], 0) {
		t.Fatalf("nodes with an integer, a float, a boolean, a time: %v; the test needs some of each", counts)
	}
	var b strings.Builder
	for _, q := range []string{
		`SELECT to_jsonb(n)::text FROM nodes n ORDER BY hash`,
		`SELECT (to_jsonb(q) - 'horizon' - 'ts')::text FROM quads q ORDER BY subject_hash, predicate_hash, object_hash, label_hash`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var row string
			if err := rows.Scan(&row); err != nil {
				t.Fatal(err)
			}
			b.WriteString(row)
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}
