package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/lib/pq"
)

// rebuildMin is the smallest load that may rebuild the quads table's
// indexes instead of updating them row by row; a variable so that tests
// can take either road on small data.
var rebuildMin int64 = 20_000

// insertStaged merges the staged quads into Cayley's quads table, skipping
// the ones it holds, row by row through its unique indexes.
const insertStaged = `INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts)
	SELECT subject_hash, predicate_hash, object_hash, label_hash, now() FROM rb_quads ON CONFLICT DO NOTHING`

// mergeQuads adds the quads staged in rb_quads to Cayley's quads table,
// skipping duplicates, and returns how many it added. The caller's
// transaction holds the load.
//
// A load at least as large as what the table holds (a new store, a first
// big load) drops the table's secondary indexes and foreign keys, inserts
// in one pass, and builds them again: PostgreSQL builds an index from
// sorted rows several times faster than it updates seven indexes and checks
// four foreign keys for every row (100k quads into a new store: 12.5 s
// before, 4.5 s to insert and 1.4 s to rebuild). The definitions are read
// from the catalog and given back as they were, names and all, in the
// same transaction, so no one ever sees the table without them and stock
// Cayley finds its schema as it made it. Readers of the table wait for the
// load's commit instead of reading the rows before it: the price of the
// road, and why small loads into big stores do not take it.
func mergeQuads(ctx context.Context, tx *sql.Tx, read int64) (int64, error) {
	var held int64
	if read >= rebuildMin {
		// Counted up to what decides, not the whole table.
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM quads LIMIT $1) AS held`, read+1).Scan(&held); err != nil {
			return 0, err
		}
	}
	if read < rebuildMin || held > read {
		res, err := tx.ExecContext(ctx, insertStaged)
		if err != nil {
			return 0, fmt.Errorf("write quads: %w", err)
		}
		return res.RowsAffected()
	}
	return rebuildQuads(ctx, tx)
}

// rebuildQuads is mergeQuads' road for large loads.
func rebuildQuads(ctx context.Context, tx *sql.Tx) (int64, error) {
	exec := func(stmt string) error {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", firstLine(stmt), err)
		}
		return nil
	}
	// Index builds sort in this much memory before they spill to disk.
	if err := exec(`SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return 0, err
	}
	if err := exec(`LOCK TABLE quads IN ACCESS EXCLUSIVE MODE`); err != nil {
		return 0, err
	}
	type def struct{ name, sql string }
	read := func(query string) ([]def, error) {
		return queryRows(ctx, tx, query, func(d *def) []any { return []any{&d.name, &d.sql} })
	}
	// The indexes that no constraint owns (the primary key stays), and the
	// foreign keys.
	indexes, err := read(`SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'quads'::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY c.relname`)
	if err != nil {
		return 0, fmt.Errorf("read the indexes of quads: %w", err)
	}
	fks, err := read(`SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = 'quads'::regclass AND contype = 'f' ORDER BY conname`)
	if err != nil {
		return 0, fmt.Errorf("read the foreign keys of quads: %w", err)
	}
	for _, fk := range fks {
		if err := exec(`ALTER TABLE quads DROP CONSTRAINT ` + pq.QuoteIdentifier(fk.name)); err != nil {
			return 0, err
		}
	}
	for _, ind := range indexes {
		if err := exec(`DROP INDEX ` + pq.QuoteIdentifier(ind.name)); err != nil {
			return 0, err
		}
	}
	// Without the unique indexes, duplicates are skipped here: those in the
	// load by DISTINCT, those in the table by the anti-join (a hash join
	// over what the table held, at most as much as the load).
	res, err := tx.ExecContext(ctx, `INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts)
		SELECT DISTINCT r.subject_hash, r.predicate_hash, r.object_hash, r.label_hash, now() FROM rb_quads r
		WHERE NOT EXISTS (SELECT 1 FROM quads q
			WHERE q.subject_hash = r.subject_hash AND q.predicate_hash = r.predicate_hash AND q.object_hash = r.object_hash
				AND coalesce(q.label_hash, '\x'::bytea) = coalesce(r.label_hash, '\x'::bytea))`)
	if err != nil {
		return 0, fmt.Errorf("write quads: %w", err)
	}
	added, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	for _, ind := range indexes {
		if err := exec(ind.sql); err != nil {
			return 0, err
		}
	}
	for _, fk := range fks {
		if err := exec(`ALTER TABLE quads ADD CONSTRAINT ` + pq.QuoteIdentifier(fk.name) + ` ` + fk.sql); err != nil {
			return 0, err
		}
	}
	return added, nil
}
