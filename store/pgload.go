package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/lib/pq"

	"github.com/rustbelt/rustbelt/schema"
)

// nodeColumns are the columns of Cayley's nodes table, in the order copyLoad
// sends them.
var nodeColumns = []string{"hash", "refs", "value", "value_string", "datatype", "language", "iri", "bnode", "value_int", "value_bool", "value_float", "value_time"}

// copyBatch is how many quads copyLoad counts node references over before
// it sends them: a value repeated within it is sent once.
const copyBatch = 1 << 16

// copyLoad writes validated inputs into a Cayley PostgreSQL store in one
// transaction, as Cayley's SQL writer would (nodes with reference counts,
// quads by node hash, duplicates skipped) but streamed with COPY into
// temporary tables and merged with two statements (a large load rebuilds
// the quads table's indexes: see mergeQuads), instead of one round trip per
// node and per quad. Memory stays flat; the inputs are read twice.
func copyLoad(ctx context.Context, addr string, qs cgraph.QuadStore, inputs []Input) (LoadReport, error) {
	db, err := sql.Open("postgres", addr)
	if err != nil {
		return LoadReport{}, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return LoadReport{}, err
	}
	defer tx.Rollback()
	for _, stmt := range []string{
		`CREATE TEMP TABLE rb_nodes (hash BYTEA, refs INT, value BYTEA, value_string TEXT, datatype TEXT, language TEXT,
			iri BOOLEAN, bnode BOOLEAN, value_int BIGINT, value_bool BOOLEAN, value_float DOUBLE PRECISION, value_time TIMESTAMPTZ) ON COMMIT DROP`,
		`CREATE TEMP TABLE rb_quads (subject_hash BYTEA, predicate_hash BYTEA, object_hash BYTEA, label_hash BYTEA) ON COMMIT DROP`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return LoadReport{}, err
		}
	}
	rep := LoadReport{Files: len(inputs)}
	err = copyRows(ctx, tx, "rb_quads", []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}, inputs, func(q quad.Quad, emit func(...any) error) error {
		rep.Read++
		return emit(hashValue(q.Subject), hashValue(q.Predicate), hashValue(q.Object), hashValue(q.Label))
	}, nil)
	if err != nil {
		return LoadReport{}, err
	}
	refs := map[any]*nodeRefs{} // by nodeKey
	err = copyRows(ctx, tx, "rb_nodes", nodeColumns, inputs, func(q quad.Quad, emit func(...any) error) error {
		for _, v := range [4]quad.Value{q.Subject, q.Predicate, q.Object, q.Label} {
			if v == nil {
				continue
			}
			k := nodeKey(v)
			r := refs[k]
			if r == nil {
				r = &nodeRefs{v: v}
				refs[k] = r
			}
			r.n++
		}
		if len(refs) < copyBatch {
			return nil
		}
		return flushNodes(refs, emit)
	}, func(emit func(...any) error) error { return flushNodes(refs, emit) })
	if err != nil {
		return LoadReport{}, err
	}
	// Nodes first: the quads table refers to them.
	if _, err := tx.ExecContext(ctx, `INSERT INTO nodes (`+strings.Join(nodeColumns, ", ")+`)
		SELECT DISTINCT ON (hash) hash, SUM(refs) OVER (PARTITION BY hash), value, value_string, datatype, language,
			iri, bnode, value_int, value_bool, value_float, value_time FROM rb_nodes
		ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`); err != nil {
		return LoadReport{}, fmt.Errorf("write nodes: %w", err)
	}
	if rep.Added, err = mergeQuads(ctx, tx, rep.Read); err != nil {
		return LoadReport{}, err
	}
	if err := tx.Commit(); err != nil {
		return LoadReport{}, err
	}
	rep.Duplicates = rep.Read - rep.Added
	// Cayley's store caches its counts until its own writer runs: an empty
	// write makes it count again.
	return rep, qs.ApplyDeltas(nil, cgraph.IgnoreOpts{IgnoreDup: true})
}

// copyRows streams one COPY into table: each quad of the inputs goes to
// row, which emits rows; done, if set, emits the last ones.
func copyRows(ctx context.Context, tx *sql.Tx, table string, columns []string, inputs []Input, row func(quad.Quad, func(...any) error) error, done func(func(...any) error) error) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	defer stmt.Close()
	emit := func(vals ...any) error {
		_, err := stmt.ExecContext(ctx, vals...)
		return err
	}
	for _, in := range inputs {
		if err := eachQuad(ctx, in, func(_ schema.Pos, q quad.Quad) error { return row(q, emit) }, nil); err != nil {
			return err
		}
	}
	if done != nil {
		if err := done(emit); err != nil {
			return err
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil { // ends the COPY
		return fmt.Errorf("copy into %s: %w", table, err)
	}
	return nil
}

// nodeRefs counts the references to one node.
type nodeRefs struct {
	v quad.Value
	n int
}

// flushNodes emits one row per counted value, with the columns Cayley's
// SQL backend keeps for its type, and empties refs.
func flushNodes(refs map[any]*nodeRefs, emit func(...any) error) error {
	row := make([]any, len(nodeColumns))
	for _, r := range refs {
		v, n := r.v, r.n
		typ, vals, err := csql.NodeValues(csql.HashOf(v), v)
		if err != nil {
			return err
		}
		clear(row)
		row[0], row[1] = vals[0], n
		for i, col := range typ.Columns() {
			row[columnIndex(col)] = vals[i+1]
		}
		if err := emit(row...); err != nil {
			return err
		}
	}
	clear(refs)
	return nil
}

func hashValue(v quad.Value) any {
	if v == nil {
		return nil
	}
	return csql.HashOf(v).SQLValue()
}

func columnIndex(col string) int {
	for i, c := range nodeColumns {
		if c == col {
			return i
		}
	}
	panic("unknown node column " + col)
}
