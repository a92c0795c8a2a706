package store

import (
	"context"
	"database/sql"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
)

// TestSQLValuesMatchCayley resolves every node of a PostgreSQL store (IRIs,
// strings plain, tagged and typed, blank nodes, integers, floats, booleans,
// times, a NUL byte), in batches smaller than the store so that several
// queries run, and checks each value against Cayley's own NameOf; a
// reference the store lacks resolves to nil.
func TestSQLValuesMatchCayley(t *testing.T) {
	ctx := context.Background()
	addr := pgDatabase(t, "values")
	s, err := Open(ctx, addr, Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	extra := []quad.Quad{
		quad.Make(quad.BNode("someone"), quad.IRI("ex:p"), quad.TypedString{Value: "x", Type: "http://example.org/type"}, nil),
		quad.Make(quad.IRI("ex:a"), quad.IRI("ex:p"), quad.String("nul \x00 byte"), nil),
	}
	if _, err := copyLoad(ctx, addr, s.qs, []Input{quadsInput("all.nq", append(bulkTestQuads(t, 50), extra...))}, nil); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT hash FROM nodes")
	if err != nil {
		t.Fatal(err)
	}
	var refs []cgraph.Ref
	for rows.Next() {
		var h csql.NodeHash
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, h)
	}
	rows.Close()
	missing := s.qs.ValueOf(quad.IRI("ex:not-in-the-store"))
	refs = append(refs, missing, nil, refs[0]) // a repeat too
	defer func(n int) { sqlValuesBatchSize = n }(sqlValuesBatchSize)
	sqlValuesBatchSize = 100
	got, err := sqlValues(ctx, db, refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) < 300 {
		t.Fatalf("only %d nodes: too few for several batches", len(refs))
	}
	for i, ref := range refs {
		var want quad.Value
		if ref != nil {
			want = s.qs.NameOf(ref)
		}
		if (want == nil) != (got[i] == nil) || want != nil && want.String() != got[i].String() {
			t.Errorf("node %d: got %#v, Cayley reads %#v", i, got[i], want)
		}
	}
}
