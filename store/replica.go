package store

import (
	"context"
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/rustbelt/rustbelt/fail"
)

// openReplica opens a store on a PostgreSQL streaming replica (a hot
// standby, in recovery): read-only whatever was asked, since the server
// takes no writes, and without creating or seeding anything, which is the
// primary's to do. The graph there is the primary's as of the last
// transaction replayed; its generation number comes with it, so the caches
// of a server on the replica let go when a write reaches the replica.
func (s *Store) openReplica(ctx context.Context, addr string) error {
	if !s.opt.ReadOnly {
		return &fail.Error{Code: fail.Forbidden, Msg: "the database is a read-only streaming replica (PostgreSQL there is in recovery, replaying its primary's writes): " +
			"open it read-only (rustbelt serve without --writable, or any question), and send loads and writes to the primary"}
	}
	if err := s.pg.prepare(ctx, true); err != nil {
		return err
	}
	if done, err := createdMarked(ctx, s.pg.db); err != nil || !done {
		if err == nil {
			err = fail.Errorf(fail.Invalid, "the replica holds no finished rustbelt store: open the primary first, which creates and seeds it")
		}
		return err
	}
	qs, err := cgraph.NewQuadStore(string(Postgres), addr, nil)
	if err != nil {
		return fmt.Errorf("open the replica: %w", err)
	}
	s.qs = qs
	return nil
}

// Replica reports whether the store is on a PostgreSQL streaming replica,
// which answers reads and refuses writes.
func (s *Store) Replica() bool { return s.pg != nil && s.pg.replica }
