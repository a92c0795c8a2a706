package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
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
// COPY and with Cayley's SQL writer, and compares the nodes (reference
// counts and every value column) and quads the two leave in PostgreSQL.
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
			rep, err = copyLoad(ctx, addr, s.qs, input)
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
		t.Errorf("COPY and Cayley's writer left different tables")
	}
}

func dumpTables(t *testing.T, addr string) string {
	t.Helper()
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT encode(hash, 'hex'), refs, coalesce(encode(value, 'hex'), ''), coalesce(value_string, ''), coalesce(datatype, ''),
			coalesce(language, ''), coalesce(iri::text, ''), coalesce(bnode::text, ''), coalesce(value_int::text, '') FROM nodes ORDER BY 1`,
		`SELECT encode(subject_hash, 'hex'), encode(predicate_hash, 'hex'), encode(object_hash, 'hex'), coalesce(encode(label_hash, 'hex'), '') FROM quads ORDER BY 1, 2, 3, 4`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}
