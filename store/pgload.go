package store

import (
	"context"
	"database/sql"
	"encoding/hex"
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

// copyPasses is how many times copyLoad reads its inputs.
const copyPasses = 2

// copyLoad writes inputs into a Cayley PostgreSQL store in one
// transaction, as Cayley's SQL writer would (nodes with reference counts,
// quads by node hash, duplicates skipped) but streamed with COPY into
// temporary tables and merged with two statements (a large load rebuilds
// the quads table's indexes: see mergeQuads), instead of one round trip per
// node and per quad. With opt set it validates every quad on the first
// pass and, on any problem, returns them all and rolls the transaction
// back: nothing is written, and the inputs are not read a third time to
// check them first. Memory stays flat; the inputs are read twice.
func copyLoad(ctx context.Context, addr string, qs cgraph.QuadStore, inputs []Input, opt *LoadOptions) (LoadReport, error) {
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
	var v *schema.Validator
	var problems schema.Problems
	if opt != nil {
		v = schema.NewValidator(opt.Strict)
	}
	err = copyRows(ctx, tx, "rb_quads", []string{"subject_hash", "predicate_hash", "object_hash", "label_hash"}, inputs, &problems, func(pos schema.Pos, q quad.Quad, emit func(...any) error) error {
		rep.Read++
		if v != nil {
			v.Check(pos, q)
		}
		if len(problems) > 0 { // the load is lost: only look for more problems
			return nil
		}
		return emit(hashValue(q.Subject), hashValue(q.Predicate), hashValue(q.Object), hashValue(q.Label))
	}, nil)
	if err != nil {
		return LoadReport{}, err
	}
	if v != nil {
		problems = append(problems, v.Problems()...)
	}
	if len(problems) > 0 {
		return LoadReport{}, invalidLoad(problems)
	}
	refs := map[any]*nodeRefs{} // by nodeKey
	err = copyRows(ctx, tx, "rb_nodes", nodeColumns, inputs, nil, func(_ schema.Pos, q quad.Quad, emit func(...any) error) error {
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
	if rep.Read >= rebuildMin {
		// A new database has no planner statistics until autovacuum gets
		// to it: a question for 500 nodes by hash then scanned all of a 1M-quad
		// table (260 ms, not 25). Sampled with the data, before anyone reads it;
		// 0.5 s at 1M quads.
		for _, table := range []string{"quads", "nodes"} {
			if _, err := tx.ExecContext(ctx, "ANALYZE "+table); err != nil {
				return LoadReport{}, fmt.Errorf("refresh the statistics of %s: %w", table, err)
			}
		}
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
// row, which emits rows; done, if set, emits the last ones. Syntax
// problems are added to *problems if it is set.
func copyRows(ctx context.Context, tx *sql.Tx, table string, columns []string, inputs []Input, problems *schema.Problems, row func(schema.Pos, quad.Quad, func(...any) error) error, done func(func(...any) error) error) error {
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, columns...))
	if err != nil {
		return err
	}
	defer stmt.Close()
	emit := func(vals ...any) error {
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = byteaText(b)
			}
		}
		_, err := stmt.ExecContext(ctx, vals...)
		return err
	}
	for _, in := range inputs {
		if err := eachQuad(ctx, in, func(pos schema.Pos, q quad.Quad) error { return row(pos, q, emit) }, problems); err != nil {
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

// byteaText is b in PostgreSQL's hex input form for bytea. lib/pq
// v1.1.1 would send a []byte in the older escape form, one fmt.Sprintf per
// byte, because it cannot read a server_version of two numbers ("15.20"):
// a third of the CPU of a COPY load went there.
func byteaText(b []byte) string {
	out := make([]byte, 2+hex.EncodedLen(len(b)))
	out[0], out[1] = '\\', 'x'
	hex.Encode(out[2:], b)
	return string(out)
}

// hashValue is the hash of v as COPY takes it, NULL for no value.
func hashValue(v quad.Value) any {
	if v == nil {
		return nil
	}
	h := cgraph.HashOf(v)
	return byteaText(h[:])
}

func columnIndex(col string) int {
	for i, c := range nodeColumns {
		if c == col {
			return i
		}
	}
	panic("unknown node column " + col)
}
