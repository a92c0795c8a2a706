package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// createdTable marks a SQL store whose creation finished: it holds one row,
// written once the bundled dataset is in, or at once for a store made
// empty on purpose (NoSeed). Cayley's schema alone cannot say so: it is in
// place before the seed starts, so a seed cut short would otherwise leave a
// store that every later Open takes as made, and empty for good.
//
// The table holds nothing else; other bookkeeping gets tables of its own.
const createdTable = "rustbelt_created"

// createLockKey is the PostgreSQL advisory lock that makes one process at
// a time finish a store's creation ("rbcreate" in ASCII).
const createLockKey int64 = 0x7262637265617465

// finishSQLCreation seeds a SQL store whose creation has not finished and
// marks it made. A store without the mark holds no quads if its creation
// was cut short, since a seed is one transaction, and is seeded again (or,
// under NoSeed, marked as made empty). A store without the mark that holds
// quads was seeded by a process that stopped just before marking it, or
// made before the mark existed; it is marked as it is.
//
// On PostgreSQL an advisory lock held for the whole step keeps two
// processes opening a new database at once from both seeding it.
// CockroachDB has no such lock; there a second seed only finds duplicates.
func (s *Store) finishSQLCreation(ctx context.Context, addr string) error {
	db, err := sql.Open("postgres", addr)
	if err != nil {
		return err
	}
	defer db.Close()
	if done, err := createdMarked(ctx, db); err != nil || done {
		return err // the common case: no lock, no write
	}
	conn, err := db.Conn(ctx) // the advisory lock belongs to one session
	if err != nil {
		return fmt.Errorf("finish creating the store: %w", err)
	}
	defer conn.Close()
	if s.backend == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", createLockKey); err != nil {
			return fmt.Errorf("finish creating the store: lock: %w", err)
		}
		// Closing the connection would end the session and drop the lock
		// too, but database/sql may keep it for reuse.
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", createLockKey)
	}
	if done, err := createdMarked(ctx, conn); err != nil || done {
		return err // another process finished it while we waited
	}
	var hasQuads bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM quads)").Scan(&hasQuads); err != nil {
		return fmt.Errorf("finish creating the store: %w", err)
	}
	if !hasQuads {
		if !s.opt.NoSeed {
			if err := s.seed(ctx); err != nil {
				return err
			}
		}
		s.created = true
	}
	for _, stmt := range []string{
		"CREATE TABLE IF NOT EXISTS " + createdTable + " (created_at TIMESTAMPTZ NOT NULL DEFAULT now())",
		"INSERT INTO " + createdTable + " DEFAULT VALUES",
	} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("mark the store created: %w", err)
		}
	}
	return nil
}

// createdMarked reports whether the store's creation finished. It only
// reads, so that a read-only user opens a made store.
func createdMarked(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (bool, error) {
	var done bool
	err := q.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+createdTable+")").Scan(&done)
	var pe *pq.Error
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table: not marked yet
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read whether the store was made: %w", err)
	}
	return done, nil
}
