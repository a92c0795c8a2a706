// Package store is rustbelt's storage: it opens and creates Cayley quad
// stores (an embedded bolt file, memory, PostgreSQL), holds the lock of a
// bolt file, loads quads (validated, batched, written atomically by a bulk
// writer for bolt and COPY for PostgreSQL), dumps and counts them, detects
// a damaged file, and runs Gizmo, GraphQL and MQL with their guards.
//
// Package graph reads a Store through the small interface it defines
// (quads by direction, links, a generation number). Nothing here knows
// about the domain's questions, flags or HTTP.
package store

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bbolt "github.com/boltdb/bolt"
	"github.com/cayleygraph/cayley/clog"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/cayley/graph/sql/cockroach" // registers the cockroach backend
	_ "github.com/cayleygraph/cayley/graph/sql/postgres"  // registers the postgres backend
)

func init() {
	// Cayley logs expected conditions as errors (an existing SQL schema on
	// open, for one) and returns every real failure as an error too, which
	// this package wraps with context; its log lines would only be noise on
	// the user's terminal.
	clog.SetLogger(quietLogger{})
}

type quietLogger struct{}

func (quietLogger) V(int) bool              { return false }
func (quietLogger) SetV(int)                {}
func (quietLogger) Infof(string, ...any)    {}
func (quietLogger) Warningf(string, ...any) {}
func (quietLogger) Errorf(string, ...any)   {}
func (quietLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf("cayley: "+format, args...)) // Cayley's own invariant broke
}

// Backend names the kind of quad store under a Store.
type Backend string

// The backends a Store can open.
const (
	Bolt      Backend = "bolt"
	Memory    Backend = "memory"
	Postgres  Backend = "postgres"
	Cockroach Backend = "cockroach"
)

// DefaultLockTimeout is how long Open waits for another process's lock on a
// bolt store before it gives up and names the holder: short enough that a
// second command says so within two seconds of starting.
const DefaultLockTimeout = 1500 * time.Millisecond

// Options tune Open.
type Options struct {
	// ReadOnly opens the store for reading: a shared lock on bolt, so several
	// readers (and a read-only server) run at once; every write is refused.
	ReadOnly bool
	// NoSeed leaves a newly created store empty instead of loading the
	// bundled dataset into it.
	NoSeed bool
	// LockTimeout bounds the wait for another process's lock; zero means
	// DefaultLockTimeout.
	LockTimeout time.Duration
	// Log receives the one-line note written when a new store is seeded. Nil
	// discards it.
	Log io.Writer
}

// Store is a rustbelt graph over one Cayley quad store. Its methods are safe
// for concurrent use; loads exclude other calls while they write.
type Store struct {
	backend Backend
	addr    string // what the user named, for messages
	path    string // the bolt file
	opt     Options
	lock    *fileLock

	mu      sync.RWMutex // guards qs against a load swapping it
	qs      cgraph.QuadStore
	db      *bbolt.DB       // the bolt file under qs, written directly by loads
	indexes []ckv.QuadIndex // the quad indexes of a bolt store
	values  valueCache      // node values by reference, for every reader
	pg      *pgState        // a PostgreSQL store's generation and counts

	// generation counts this process's writes; see Generation.
	generation atomic.Uint64

	// created is set when this Open made the store (seeded, or empty under
	// NoSeed), rather than finding one.
	created bool
}

// DefaultPath is the embedded store used when no --db is given:
// $XDG_DATA_HOME/rustbelt/rustbelt.bolt, else ~/.local/share/rustbelt/rustbelt.bolt.
func DefaultPath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "rustbelt", "rustbelt.bolt")
}

// Open opens the store at addr, creating and seeding it on first use:
//
//	memory:                    an in-memory store (seeded on every open)
//	postgres://user@host/db    Cayley's PostgreSQL backend
//	cockroach://user@host/db   Cayley's CockroachDB backend
//	bolt:PATH or PATH          an embedded bolt file (a Cayley bolt folder works too)
//
// An empty addr means DefaultPath. A bolt PATH that is missing or an empty
// file becomes a new store, and Log says so; a symbolic link is followed.
// Open refuses, naming the file, a folder that is not a Cayley bolt folder
// (one holding indexes.bolt), anything that is not a regular file, and a
// bolt file of another program: it never writes into what is not a store.
//
// A SQL store's creation is all or nothing: a store whose first seed was
// cut short is seeded again by the next Open (see finishSQLCreation).
func Open(ctx context.Context, addr string, opt Options) (*Store, error) {
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = DefaultLockTimeout
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if addr == "" {
		addr = DefaultPath()
	}
	s := &Store{addr: addr, opt: opt}
	var err error
	switch {
	case addr == "memory:" || addr == "memory":
		s.backend = Memory
		err = s.openMemory(ctx)
	case strings.HasPrefix(addr, "postgres://"), strings.HasPrefix(addr, "postgresql://"):
		s.backend = Postgres
		err = s.openSQL(ctx, "postgres", addr)
	case strings.HasPrefix(addr, "cockroach://"):
		s.backend = Cockroach
		err = s.openSQL(ctx, "cockroach", "postgresql://"+strings.TrimPrefix(addr, "cockroach://"))
	default:
		s.backend = Bolt
		err = s.openBolt(ctx, strings.TrimPrefix(addr, "bolt:"))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", addr, err)
	}
	return s, nil
}

// Backend reports which kind of store this is.
func (s *Store) Backend() Backend { return s.backend }

// Addr is the address the store was opened with.
func (s *Store) Addr() string { return s.addr }

// ReadOnly reports whether writes are refused.
func (s *Store) ReadOnly() bool { return s.opt.ReadOnly }

// Close releases the store and its lock.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.qs != nil {
		err = s.qs.Close()
		s.qs = nil
	}
	if s.pg != nil {
		if perr := s.pg.close(); err == nil {
			err = perr
		}
		s.pg = nil
	}
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// quadStore returns the Cayley store for a read, with the read lock held;
// call the returned function when done.
func (s *Store) quadStore() (cgraph.QuadStore, func()) {
	s.mu.RLock()
	return s.qs, s.mu.RUnlock
}

// lockForWrite takes the store for a write and returns what ends it: the
// generation goes up before the lock is let go, so that no reader sees the
// new data under the old number (graph's caches and the value cache's
// IRI memo are kept per generation).
func (s *Store) lockForWrite() (unlock func()) {
	s.mu.Lock()
	return func() {
		s.generation.Add(1)
		s.mu.Unlock()
	}
}

// queryStore is quadStore as query languages see it, with the index
// prefix scans of optimized.
func (s *Store) queryStore() (cgraph.QuadStore, func()) {
	qs, done := s.quadStore()
	return optimized(qs, s.indexes), done
}

func (s *Store) openMemory(ctx context.Context) error {
	s.qs = readSafe(memstore.New())
	s.created = true
	if s.opt.NoSeed {
		return nil
	}
	return s.seed(ctx)
}

func (s *Store) openSQL(ctx context.Context, kind, addr string) error {
	if kind == "postgres" {
		pg, err := connectPG(ctx, addr)
		if err != nil {
			return err
		}
		s.pg = pg
		if pg.replica {
			err = s.openReplica(ctx, addr)
		} else {
			err = s.openPrimary(ctx, kind, addr)
		}
		if err != nil {
			s.Close()
		}
		return err
	}
	err := s.openPrimary(ctx, kind, addr)
	if err != nil {
		s.Close()
	}
	return err
}

// openPrimary opens a SQL store that takes writes, creating Cayley's
// tables and rustbelt's bookkeeping if they are missing and seeding a new
// store.
func (s *Store) openPrimary(ctx context.Context, kind, addr string) error {
	made := false
	if s.pg != nil {
		var err error
		if made, err = s.pg.hasCayleyTables(ctx); err != nil {
			return err
		}
	}
	// Cayley's Init tries CREATE TABLE and takes the error for "exists":
	// on PostgreSQL only when the tables are missing, so that every open
	// does not leave an ERROR in the server's log (nor fail for a role
	// that may not create tables).
	if !made {
		if err := cgraph.InitQuadStore(kind, addr, nil); err != nil && err != cgraph.ErrDatabaseExists {
			return err
		}
	}
	if s.pg != nil {
		// Before the seed, so that the triggers count it.
		if err := s.pg.prepare(ctx, s.opt.ReadOnly); err != nil {
			return err
		}
	}
	qs, err := cgraph.NewQuadStore(kind, addr, nil)
	if err != nil {
		return err
	}
	s.qs = qs
	return s.finishSQLCreation(ctx, addr)
}

// seedInputs is the dataset a new store is seeded with; a variable so that
// tests can cut a seed short.
var seedInputs = SeedInputs

// seed loads the bundled dataset into a new store and says so on Log.
func (s *Store) seed(ctx context.Context) error {
	rep, err := s.load(ctx, seedInputs(), LoadOptions{})
	if err != nil {
		return fmt.Errorf("load bundled dataset: %w", err)
	}
	fmt.Fprintf(s.opt.Log, "rustbelt: new store %s: loaded %d quads from %d sources\n", s.addr, rep.Added, rep.Files)
	return nil
}
