package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	csql "github.com/cayleygraph/cayley/graph/sql"

	"github.com/rustbelt/rustbelt/schema"
)

// What rustbelt keeps beside Cayley's tables in a PostgreSQL store, so that
// several processes on several machines can share it:
//
//   - rustbelt_generation, one row: a number that every transaction that
//     changes quads raises, and the store's exact quad and node counts;
//   - rustbelt_label_quads: how many quads each label (source) carries, the
//     unlabelled under the empty hash;
//   - rustbelt_class_counts: how many distinct subjects each class types
//     (rdf:type), from rustbelt_typed, the type quads of each subject and
//     class, however many labels state them.
//
// Triggers on Cayley's quads and nodes tables keep both, so they are
// written in the same transaction as the data, whoever writes it: rustbelt's
// COPY loads, Cayley's own writer under Delete and Replace, a stock Cayley
// binary, hand-written SQL. On a streaming replica they arrive with the data
// they count, in the same replayed transaction.
//
// The triggers run once per statement, over its transition table: a COPY
// load of a million quads pays for one grouped count. Each statement only
// appends what it changed to rustbelt_pending, and a deferred trigger folds
// that into the two tables once, at commit. Updating the counts in every
// statement would be quadratic for Cayley's writer, which sends a statement
// per quad: every update of a row that the transaction has already updated
// walks the chain of its earlier versions.
//
// The first write statement of a transaction locks the generation row, so
// writing transactions take their turns from their first statement: the
// primary is the one writer of a shared graph, and this keeps two writers
// from locking the same rows in opposite orders. Readers never wait. Stock
// Cayley opens and queries the database as before: it finds its tables as
// it made them, with triggers it does not know about.

// pgLayout is the version of the tables, functions and triggers below: an
// Open that finds an older one (or none) installs them again and recounts.
const pgLayout = 2

// pgStateLockKey is the advisory lock that makes one process at a time
// install the bookkeeping ("rbstate" in ASCII).
const pgStateLockKey int64 = 0x72627374617465

// pgStateTables creates the tables of the bookkeeping; each statement may
// run again.
var pgStateTables = []string{
	`CREATE TABLE IF NOT EXISTS rustbelt_generation (
		one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
		number BIGINT NOT NULL,
		quads BIGINT NOT NULL,
		nodes BIGINT NOT NULL,
		layout INT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS rustbelt_label_quads (
		label_hash BYTEA PRIMARY KEY,
		quads BIGINT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS rustbelt_typed (
		subject_hash BYTEA NOT NULL,
		class_hash BYTEA NOT NULL,
		quads BIGINT NOT NULL,
		PRIMARY KEY (subject_hash, class_hash))`,
	`CREATE TABLE IF NOT EXISTS rustbelt_class_counts (
		class_hash BYTEA PRIMARY KEY,
		subjects BIGINT NOT NULL)`,
	// A row per statement and label (quads) or per statement (nodes), and
	// per statement, subject and class (type quads), never more than the
	// open transactions' own: each folds and deletes its rows at commit.
	`CREATE TABLE IF NOT EXISTS rustbelt_pending (
		label_hash BYTEA,
		quads BIGINT NOT NULL DEFAULT 0,
		nodes BIGINT NOT NULL DEFAULT 0)`,
	`CREATE TABLE IF NOT EXISTS rustbelt_pending_types (
		subject_hash BYTEA NOT NULL,
		class_hash BYTEA NOT NULL,
		quads BIGINT NOT NULL)`,
}

// typeHash is rdf:type's node hash as a SQL literal, for the triggers.
var typeHash = fmt.Sprintf(`'\x%x'::bytea`, csql.HashOf(schema.Type).SQLValue())

// pgStateTriggers creates the functions and triggers, the tables being in
// place and locked.
var pgStateTriggers = []string{
	// BEFORE each write statement: take the writers' turn, once a
	// transaction (the setting is the transaction's own, and reverts with
	// a savepoint that releases the lock).
	`CREATE OR REPLACE FUNCTION rustbelt_write_begins() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF current_setting('rustbelt.turn', true) IS DISTINCT FROM 'y' THEN
			PERFORM 1 FROM rustbelt_generation FOR UPDATE;
			PERFORM set_config('rustbelt.turn', 'y', true);
		END IF;
		RETURN NULL;
	END $$`,
	// AFTER a statement that added or removed quads or nodes: what changed,
	// by label, for the fold.
	`CREATE OR REPLACE FUNCTION rustbelt_changed() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		sign BIGINT := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
		n BIGINT;
	BEGIN
		IF TG_TABLE_NAME = 'nodes' THEN
			SELECT count(*) INTO n FROM rustbelt_changed;
			IF n = 0 THEN
				RETURN NULL;
			END IF;
			INSERT INTO rustbelt_pending (nodes) VALUES (sign * n);
		ELSE
			INSERT INTO rustbelt_pending (label_hash, quads)
				SELECT coalesce(label_hash, '\x'::bytea), sign * count(*) FROM rustbelt_changed GROUP BY 1;
			GET DIAGNOSTICS n = ROW_COUNT;
			IF n = 0 THEN
				RETURN NULL;
			END IF;
			INSERT INTO rustbelt_pending_types (subject_hash, class_hash, quads)
				SELECT subject_hash, object_hash, sign * count(*) FROM rustbelt_changed
				WHERE predicate_hash = ` + typeHash + ` GROUP BY 1, 2;
		END IF;
		PERFORM set_config('rustbelt.pending', 'y', true);
		RETURN NULL;
	END $$`,
	// AFTER an UPDATE of quads (Cayley never makes one): what moved from one
	// label to another.
	`CREATE OR REPLACE FUNCTION rustbelt_quads_updated() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		INSERT INTO rustbelt_pending (label_hash, quads)
			SELECT coalesce(label_hash, '\x'::bytea), -count(*) FROM rustbelt_old GROUP BY 1
			UNION ALL
			SELECT coalesce(label_hash, '\x'::bytea), count(*) FROM rustbelt_new GROUP BY 1;
		INSERT INTO rustbelt_pending_types (subject_hash, class_hash, quads)
			SELECT subject_hash, object_hash, -count(*) FROM rustbelt_old WHERE predicate_hash = ` + typeHash + ` GROUP BY 1, 2
			UNION ALL
			SELECT subject_hash, object_hash, count(*) FROM rustbelt_new WHERE predicate_hash = ` + typeHash + ` GROUP BY 1, 2;
		PERFORM set_config('rustbelt.pending', 'y', true);
		RETURN NULL;
	END $$`,
	// AFTER a TRUNCATE: nothing left to count, nor pending.
	`CREATE OR REPLACE FUNCTION rustbelt_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_TABLE_NAME = 'quads' THEN
			DELETE FROM rustbelt_pending WHERE quads <> 0;
			DELETE FROM rustbelt_pending_types;
			UPDATE rustbelt_generation SET number = number + 1, quads = 0;
			DELETE FROM rustbelt_label_quads;
			DELETE FROM rustbelt_typed;
			DELETE FROM rustbelt_class_counts;
		ELSE
			DELETE FROM rustbelt_pending WHERE nodes <> 0;
			UPDATE rustbelt_generation SET nodes = 0;
		END IF;
		RETURN NULL;
	END $$`,
	// At commit (deferred, once per pending row, so all but the first
	// return at once): fold the transaction's changes into the counts, and
	// a new generation if quads changed.
	`CREATE OR REPLACE FUNCTION rustbelt_fold() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		dq BIGINT;
		dn BIGINT;
		moved BIGINT;
	BEGIN
		IF current_setting('rustbelt.pending', true) IS DISTINCT FROM 'y' THEN
			RETURN NULL;
		END IF;
		PERFORM set_config('rustbelt.pending', '', true);
		SELECT coalesce(sum(quads), 0), coalesce(sum(nodes), 0), coalesce(sum(abs(quads)), 0)
			INTO dq, dn, moved FROM rustbelt_pending;
		UPDATE rustbelt_generation SET number = number + CASE WHEN moved > 0 THEN 1 ELSE 0 END,
			quads = quads + dq, nodes = nodes + dn;
		IF moved > 0 THEN
			INSERT INTO rustbelt_label_quads AS c (label_hash, quads)
				SELECT label_hash, sum(quads) FROM rustbelt_pending WHERE quads <> 0
				GROUP BY 1 HAVING sum(quads) <> 0 ORDER BY 1
				ON CONFLICT (label_hash) DO UPDATE SET quads = c.quads + EXCLUDED.quads;
			DELETE FROM rustbelt_label_quads WHERE quads = 0;
		END IF;
		DELETE FROM rustbelt_pending;
		IF EXISTS (SELECT 1 FROM rustbelt_pending_types) THEN
			-- A subject counts for a class while at least one type quad
			-- says so: count the pairs that cross zero.
			WITH d AS (
				SELECT subject_hash, class_hash, sum(quads) AS n FROM rustbelt_pending_types
				GROUP BY 1, 2 HAVING sum(quads) <> 0),
			up AS (
				INSERT INTO rustbelt_typed AS t (subject_hash, class_hash, quads)
				SELECT subject_hash, class_hash, n FROM d ORDER BY 1, 2
				ON CONFLICT (subject_hash, class_hash) DO UPDATE SET quads = t.quads + EXCLUDED.quads
				RETURNING t.subject_hash, t.class_hash, t.quads)
			INSERT INTO rustbelt_class_counts AS c (class_hash, subjects)
				SELECT up.class_hash, sum(CASE WHEN up.quads > 0 AND up.quads - d.n <= 0 THEN 1
					WHEN up.quads <= 0 AND up.quads - d.n > 0 THEN -1 ELSE 0 END)
				FROM up JOIN d USING (subject_hash, class_hash) GROUP BY 1 ORDER BY 1
				ON CONFLICT (class_hash) DO UPDATE SET subjects = c.subjects + EXCLUDED.subjects;
			DELETE FROM rustbelt_typed t USING rustbelt_pending_types p
				WHERE t.subject_hash = p.subject_hash AND t.class_hash = p.class_hash AND t.quads <= 0;
			DELETE FROM rustbelt_pending_types;
		END IF;
		RETURN NULL;
	END $$`,

	`CREATE OR REPLACE TRIGGER rustbelt_write_begins BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON quads
		FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_write_begins()`,
	`CREATE OR REPLACE TRIGGER rustbelt_write_begins BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON nodes
		FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_write_begins()`,
	`CREATE OR REPLACE TRIGGER rustbelt_quads_added AFTER INSERT ON quads
		REFERENCING NEW TABLE AS rustbelt_changed FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_changed()`,
	`CREATE OR REPLACE TRIGGER rustbelt_quads_removed AFTER DELETE ON quads
		REFERENCING OLD TABLE AS rustbelt_changed FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_changed()`,
	`CREATE OR REPLACE TRIGGER rustbelt_quads_updated AFTER UPDATE ON quads
		REFERENCING OLD TABLE AS rustbelt_old NEW TABLE AS rustbelt_new FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_quads_updated()`,
	`CREATE OR REPLACE TRIGGER rustbelt_nodes_added AFTER INSERT ON nodes
		REFERENCING NEW TABLE AS rustbelt_changed FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_changed()`,
	`CREATE OR REPLACE TRIGGER rustbelt_nodes_removed AFTER DELETE ON nodes
		REFERENCING OLD TABLE AS rustbelt_changed FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_changed()`,
	`CREATE OR REPLACE TRIGGER rustbelt_quads_truncated AFTER TRUNCATE ON quads
		FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_truncated()`,
	`CREATE OR REPLACE TRIGGER rustbelt_nodes_truncated AFTER TRUNCATE ON nodes
		FOR EACH STATEMENT EXECUTE FUNCTION rustbelt_truncated()`,
	// Constraint triggers cannot be replaced in place.
	`DROP TRIGGER IF EXISTS rustbelt_fold ON rustbelt_pending`,
	`CREATE CONSTRAINT TRIGGER rustbelt_fold AFTER INSERT ON rustbelt_pending
		DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rustbelt_fold()`,
}

// pgState is a Store's connection to its PostgreSQL bookkeeping.
type pgState struct {
	db *sql.DB
	// kept says the bookkeeping is in place, so the generation number
	// changes with every write by anyone and the counts are exact. A
	// replica of a primary that never installed it, or a read-only user's
	// open of a store made by an older rustbelt, does without.
	kept bool
	// replica says the server is a hot standby: it replays a primary's
	// writes and takes none of its own.
	replica bool
}

// connectPG connects to the bookkeeping of the PostgreSQL store at addr and
// finds out whether the server is a replica; prepare then makes it ready.
func connectPG(ctx context.Context, addr string) (*pgState, error) {
	db, err := sql.Open("postgres", addr)
	if err != nil {
		return nil, err
	}
	p := &pgState{db: db}
	if err := db.QueryRowContext(ctx, "SELECT pg_is_in_recovery()").Scan(&p.replica); err != nil {
		db.Close()
		return nil, err
	}
	return p, nil
}

// prepare installs the bookkeeping of a store whose Cayley tables exist,
// unless the server is a replica, where it only looks for what the primary
// installed. An install that fails on a read-only open (a user who may
// not create tables) leaves the store usable without it.
func (p *pgState) prepare(ctx context.Context, readOnly bool) error {
	var err error
	if p.replica {
		p.kept, err = p.installed(ctx, p.db)
	} else if err = p.install(ctx); err != nil && readOnly {
		p.kept, err = p.installed(ctx, p.db)
	}
	if err != nil {
		return fmt.Errorf("the store's generation and counts: %w", err)
	}
	return nil
}

type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// layout returns the layout of the installed bookkeeping, 0 for none. It
// asks whether the table exists first: a failed statement would end the
// transaction q may be.
func layout(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRowContext(ctx, "SELECT to_regclass('rustbelt_generation') IS NOT NULL").Scan(&exists); err != nil || !exists {
		return 0, err
	}
	var n int
	err := q.QueryRowContext(ctx, "SELECT layout FROM rustbelt_generation").Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

// installed reports whether the bookkeeping of this layout is in place.
func (p *pgState) installed(ctx context.Context, q querier) (bool, error) {
	n, err := layout(ctx, q)
	return n == pgLayout, err
}

// install puts the bookkeeping in place if it is missing or older, and
// counts what the store holds: once, in the transaction that installs the
// triggers, with writers held off so that nothing is counted twice or
// missed. The common case reads one row and writes nothing.
func (p *pgState) install(ctx context.Context) error {
	if ok, err := p.installed(ctx, p.db); err != nil || ok {
		p.kept = ok
		return err
	}
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", pgStateLockKey); err != nil {
		return err
	}
	if n, err := layout(ctx, tx); err != nil || n == pgLayout {
		p.kept = err == nil
		return err // another process installed it while we waited
	}
	for _, stmt := range pgStateTables { // before the lock that names them
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	// SHARE ROW EXCLUSIVE: readers go on, writers wait for the commit.
	if _, err := tx.ExecContext(ctx, "LOCK TABLE quads, nodes, rustbelt_generation, rustbelt_label_quads, rustbelt_pending, "+
		"rustbelt_typed, rustbelt_class_counts, rustbelt_pending_types IN SHARE ROW EXCLUSIVE MODE"); err != nil {
		return err
	}
	for _, stmt := range append(pgStateTriggers,
		`INSERT INTO rustbelt_generation (number, quads, nodes, layout)
			VALUES (1, (SELECT count(*) FROM quads), (SELECT count(*) FROM nodes), `+fmt.Sprint(pgLayout)+`)
			ON CONFLICT (one) DO UPDATE SET number = rustbelt_generation.number + 1,
				quads = EXCLUDED.quads, nodes = EXCLUDED.nodes, layout = EXCLUDED.layout`,
		`DELETE FROM rustbelt_label_quads`,
		`DELETE FROM rustbelt_pending`,
		`INSERT INTO rustbelt_label_quads (label_hash, quads)
			SELECT coalesce(label_hash, '\x'::bytea), count(*) FROM quads GROUP BY 1`,
		`DELETE FROM rustbelt_pending_types`,
		`DELETE FROM rustbelt_typed`,
		`DELETE FROM rustbelt_class_counts`,
		`INSERT INTO rustbelt_typed (subject_hash, class_hash, quads)
			SELECT subject_hash, object_hash, count(*) FROM quads WHERE predicate_hash = `+typeHash+` GROUP BY 1, 2`,
		`INSERT INTO rustbelt_class_counts (class_hash, subjects)
			SELECT class_hash, count(*) FROM rustbelt_typed GROUP BY 1`,
	) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", firstLine(stmt), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	p.kept = true
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// hasCayleyTables reports whether the database holds Cayley's tables.
func (p *pgState) hasCayleyTables(ctx context.Context) (bool, error) {
	var exists bool
	err := p.db.QueryRowContext(ctx, "SELECT to_regclass('quads') IS NOT NULL AND to_regclass('nodes') IS NOT NULL").Scan(&exists)
	if err != nil {
		return false, fmt.Errorf("look for Cayley's tables: %w", err)
	}
	return exists, nil
}

func (p *pgState) close() error { return p.db.Close() }

// generation reads the number: one row by its primary key, a round trip.
// It is not cached: a few milliseconds' worth would be a few milliseconds
// in which a reader is answered from before a write it has seen succeed.
func (p *pgState) generation(ctx context.Context) (uint64, error) {
	var n int64
	err := p.db.QueryRowContext(ctx, "SELECT number FROM rustbelt_generation").Scan(&n)
	return uint64(n), err
}

// counts reads the exact quad and node counts the triggers keep.
func (p *pgState) counts(ctx context.Context) (quads, nodes int64, err error) {
	err = p.db.QueryRowContext(ctx, "SELECT quads, nodes FROM rustbelt_generation").Scan(&quads, &nodes)
	return quads, nodes, err
}

// hashCount is a count kept for one node: the quads of a label (the hash is
// empty for the unlabelled), the subjects of a class.
type hashCount struct {
	hash []byte
	n    int64
}

// labelCounts reads the quads per label the triggers keep.
func (p *pgState) labelCounts(ctx context.Context) ([]hashCount, error) {
	return p.hashCounts(ctx, "SELECT label_hash, quads FROM rustbelt_label_quads WHERE quads <> 0")
}

// classCounts reads the subjects per class the triggers keep.
func (p *pgState) classCounts(ctx context.Context) ([]hashCount, error) {
	return p.hashCounts(ctx, "SELECT class_hash, subjects FROM rustbelt_class_counts WHERE subjects > 0")
}

func (p *pgState) hashCounts(ctx context.Context, query string) ([]hashCount, error) {
	return queryRows(ctx, p.db, query, func(c *hashCount) []any { return []any{&c.hash, &c.n} })
}

// queryRows runs query and scans each row into a new T, into the fields
// that fields names.
func queryRows[T any](ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, fields func(*T) []any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var row T
		if err := rows.Scan(fields(&row)...); err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Replication is what a store on a PostgreSQL streaming replica knows of
// how far it trails its primary.
type Replication struct {
	// Replica says the store is a hot standby: it answers reads and refuses
	// writes. The other fields are only set for one.
	Replica bool
	// Lag is how long ago the primary committed the last transaction this
	// replica has replayed, or zero when it has replayed all it received:
	// an idle primary sends nothing new, and the replica is then current,
	// however old that transaction is.
	Lag time.Duration
	// BytesBehind is how much of the primary's log the replica has
	// received but not yet replayed.
	BytesBehind int64
	// LastReplayed is when the primary committed the last transaction the
	// replica has replayed (zero before the first).
	LastReplayed time.Time
	// Receiving says the replica is connected to its primary and receiving
	// its log (false when it replays from an archive, or lost the primary).
	Receiving bool
}

// Replication reports whether the store is a streaming replica and, if it
// is, how far it trails its primary. Other backends are never replicas.
func (s *Store) Replication(ctx context.Context) (Replication, error) {
	if s.pg == nil {
		return Replication{}, nil
	}
	var (
		r      Replication
		lag    sql.NullFloat64
		behind sql.NullInt64
		last   sql.NullTime
	)
	err := s.pg.db.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
			ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END,
		pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()),
		pg_last_xact_replay_timestamp(),
		EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')`).Scan(&r.Replica, &lag, &behind, &last, &r.Receiving)
	if err != nil {
		return Replication{}, fmt.Errorf("read the replication state: %w", err)
	}
	if !r.Replica {
		return Replication{}, nil
	}
	r.Lag = time.Duration(lag.Float64 * float64(time.Second))
	r.BytesBehind = behind.Int64
	if last.Valid {
		r.LastReplayed = last.Time
	}
	return r, nil
}
