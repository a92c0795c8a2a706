package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/lib/pq"
)

// sqlValuesBatchSize is how many node values one query asks PostgreSQL for;
// a variable so that tests can make several batches of a small store.
var sqlValuesBatchSize = 4096

// sqlValues resolves node references of a Cayley SQL store a batch at a
// time. Cayley's own NameOf sends one query per value, so a question that
// reads the 65,744 appointments of a million-quad store waited for as many
// round trips; here they take 17 queries. The columns are read as Cayley's
// NameOf reads them.
func sqlValues(ctx context.Context, db *sql.DB, refs []cgraph.Ref) ([]quad.Value, error) {
	out := make([]quad.Value, len(refs))
	at := map[csql.NodeHash][]int{}
	var hashes [][]byte
	for i, ref := range refs {
		var h csql.NodeHash
		switch r := ref.(type) {
		case csql.NodeHash:
			h = r
		case cgraph.ValueHash:
			h = csql.NodeHash{ValueHash: r}
		case cgraph.PreFetchedValue:
			out[i] = r.NameOf()
			continue
		case nil:
			continue
		default:
			return nil, fmt.Errorf("resolve a node: unexpected reference %T", ref)
		}
		if !h.Valid() {
			continue
		}
		if _, ok := at[h]; !ok {
			hashes = append(hashes, h.SQLValue().([]byte))
		}
		at[h] = append(at[h], i)
	}
	for len(hashes) > 0 {
		n := min(len(hashes), sqlValuesBatchSize)
		if err := sqlValuesOf(ctx, db, hashes[:n], func(h csql.NodeHash, v quad.Value) {
			for _, i := range at[h] {
				out[i] = v
			}
		}); err != nil {
			return nil, fmt.Errorf("resolve nodes: %w", err)
		}
		hashes = hashes[n:]
	}
	return out, nil
}

// sqlValuesOf reads the nodes of hashes and calls fn with each one found.
func sqlValuesOf(ctx context.Context, db *sql.DB, hashes [][]byte, fn func(csql.NodeHash, quad.Value)) error {
	rows, err := db.QueryContext(ctx, `SELECT hash, value, value_string, datatype, language, iri, bnode,
		value_int, value_bool, value_float, value_time FROM nodes WHERE hash = ANY($1)`, pq.ByteaArray(hashes))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			hash           csql.NodeHash
			data           []byte
			str, typ, lang sql.NullString
			iri, bnode     sql.NullBool
			vint           sql.NullInt64
			vbool          sql.NullBool
			vfloat         sql.NullFloat64
			vtime          sql.NullTime
		)
		if err := rows.Scan(&hash, &data, &str, &typ, &lang, &iri, &bnode, &vint, &vbool, &vfloat, &vtime); err != nil {
			return err
		}
		var v quad.Value
		switch {
		case str.Valid && iri.Bool:
			v = quad.IRI(str.String)
		case str.Valid && bnode.Bool:
			v = quad.BNode(str.String)
		case str.Valid && lang.Valid:
			v = quad.LangString{Value: quad.String(unescapeNull(str.String)), Lang: lang.String}
		case str.Valid && typ.Valid:
			v = quad.TypedString{Value: quad.String(unescapeNull(str.String)), Type: quad.IRI(typ.String)}
		case str.Valid:
			v = quad.String(unescapeNull(str.String))
		case vint.Valid:
			v = quad.Int(vint.Int64)
		case vbool.Valid:
			v = quad.Bool(vbool.Bool)
		case vfloat.Valid:
			v = quad.Float(vfloat.Float64)
		case vtime.Valid:
			v = quad.Time(vtime.Time)
		default:
			if v, err = pquads.UnmarshalValue(data); err != nil {
				return fmt.Errorf("decode node %x: %w", hash.SQLValue(), err)
			}
		}
		fn(hash, v)
	}
	return rows.Err()
}

// unescapeNull undoes the escape Cayley's SQL writer puts on NUL bytes,
// which PostgreSQL's text columns cannot hold.
func unescapeNull(s string) string { return strings.ReplaceAll(s, `\x00`, "\x00") }
