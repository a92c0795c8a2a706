package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	hbolt "github.com/hidal-go/hidalgo/kv/bolt"
	"github.com/rustbelt/rustbelt/fail"
)

// buildMmapSize is how much of a store being built bolt maps at once.
const buildMmapSize = 16 << 30

const (
	lockSuffix = ".lock"
	tempInfix  = ".tmp-" // new files are built beside the store, then renamed over it
)

// openBolt opens (creating and seeding if needed) the bolt store at path.
//
// Cayley's own bolt backend opens without a lock timeout, so a second writer
// hangs forever; here a lock file beside the store is taken first, with a
// timeout, and bolt's own flock gets the same bound as a backstop.
func (s *Store) openBolt(ctx context.Context, path string) error {
	path, err := boltFile(path)
	if err != nil {
		return err
	}
	s.path = path
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return &fail.Error{Code: fail.Invalid, Msg: "create store folder", Err: err}
	}
	if err := s.createBoltIfNew(ctx); err != nil {
		return err
	}
	lock, err := acquireLock(ctx, path+lockSuffix, !s.opt.ReadOnly, s.opt.LockTimeout)
	if err != nil {
		return err
	}
	s.lock = lock
	if !s.opt.ReadOnly {
		removeStaleTemps(path)
	}
	qs, db, err := openBoltQuadStore(path, s.opt.ReadOnly, false, s.opt)
	if err == nil {
		s.indexes, err = readIndexes(db)
	}
	if err != nil {
		if qs != nil {
			qs.Close()
		}
		lock.release()
		return err
	}
	s.qs, s.db = qs, db
	return nil
}

// cayleyBoltFile is the file a Cayley bolt folder (made by `cayley init`)
// keeps its store in.
const cayleyBoltFile = "indexes.bolt"

// boltFile is the file a bolt store address names: path itself, with its
// symbolic links followed (loads replace the store by rename, which must
// replace the file the link points to, not the link), or the store file of
// a Cayley bolt folder. Any other folder is refused rather than quietly
// given a new store inside it, as is anything that is not a regular file:
// a rename would replace a device node or a pipe with a store.
func boltFile(path string) (string, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return "", &fail.Error{Code: fail.Invalid, Msg: path + " is a symbolic link to nothing; point it at a store, or name the store's file itself", Err: err}
		}
		path = real
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, nil // a new store
	case err != nil:
		return "", &fail.Error{Code: fail.Invalid, Msg: "open store " + path, Err: err}
	case fi.IsDir():
		inner := filepath.Join(path, cayleyBoltFile)
		if _, err := os.Stat(inner); err == nil {
			return boltFile(inner)
		}
		return "", &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%s is a folder, and not a Cayley bolt folder (it has no %s); "+
			"name a file to make a new store, such as %s (or %s for a folder Cayley's own tools open too)",
			path, cayleyBoltFile, filepath.Join(path, "rustbelt.bolt"), inner)}
	case !fi.Mode().IsRegular():
		return "", &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%s is not a store: it is a %s, not a file", path, fileKind(fi.Mode()))}
	}
	return path, nil
}

// fileKind names what kind of file a mode describes, for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0 && m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	}
	return "special file"
}

// newStoreFile reports whether the bolt store at path is still to be made:
// the file is missing, or empty. An empty file is taken as a new store, as
// bolt and SQLite take one (a user may make it with mktemp or touch), and
// is made into one exactly as a missing file would be, seeded unless
// NoSeed is set; the note on Log says so, since the file may also be a
// store that something cut to nothing.
func newStoreFile(path string) (isNew, wasEmpty bool) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return true, false
	}
	empty := err == nil && fi.Mode().IsRegular() && fi.Size() == 0
	return empty, empty
}

// createBoltIfNew builds a new store in a temporary file and renames it
// into place, so a crash during creation leaves no half-seeded store behind.
func (s *Store) createBoltIfNew(ctx context.Context) error {
	if isNew, _ := newStoreFile(s.path); !isNew {
		return nil
	}
	lock, err := acquireLock(ctx, s.path+lockSuffix, true, s.opt.LockTimeout)
	if err != nil {
		return err
	}
	defer lock.release()
	isNew, wasEmpty := newStoreFile(s.path)
	if !isNew {
		return nil // another process created it while we waited
	}
	removeStaleTemps(s.path)
	was := ""
	if wasEmpty {
		was = " (it was an empty file)"
	}
	tmp, err := buildStore(ctx, s.path, false, func(_ cgraph.QuadStore, db *bbolt.DB) error {
		if s.opt.NoSeed {
			if wasEmpty {
				fmt.Fprintf(s.opt.Log, "rustbelt: new store %s%s: empty, as asked\n", s.path, was)
			}
			return nil
		}
		rep, err := bulkLoad(ctx, db, seedInputs(), nil, false)
		if err != nil {
			return fmt.Errorf("load bundled dataset: %w", err)
		}
		fmt.Fprintf(s.opt.Log, "rustbelt: new store %s%s: loaded %d quads from %d sources\n", s.path, was, rep.Added, rep.Files)
		return nil
	})
	if err == nil {
		err = swapIn(tmp, s.path)
	}
	if err != nil {
		return err
	}
	s.created = true
	return nil
}

// buildStore writes a new version of the store at path in a temporary file
// beside it (a copy of the current one when copyCurrent is set), lets fill
// write into it, through Cayley or directly, without per-commit fsyncs,
// syncs it and returns its name.
// The store at path is untouched; swapIn puts the new one in its place. On
// error nothing is left behind.
func buildStore(ctx context.Context, path string, copyCurrent bool, fill func(cgraph.QuadStore, *bbolt.DB) error) (string, error) {
	tmp := path + tempInfix + strconv.Itoa(os.Getpid())
	os.Remove(tmp)
	if copyCurrent {
		if err := copyFile(path, tmp); err != nil {
			os.Remove(tmp) // a partial copy would hold disk space until the next writer
			return "", fmt.Errorf("copy store for loading: %w", err)
		}
	}
	err := func() error {
		qs, db, err := openBoltQuadStore(tmp, false, true, Options{})
		if err != nil {
			return err
		}
		if err := fill(qs, db); err != nil {
			qs.Close()
			return err
		}
		if err := ctx.Err(); err != nil {
			qs.Close()
			return err
		}
		var used int64
		db.View(func(tx *bbolt.Tx) error { used = tx.Size(); return nil })
		if err := qs.Close(); err != nil { // closing syncs nothing under NoSync: fsync below
			return err
		}
		// Bolt grows a widely mapped file in steps of AllocSize; give back
		// the unused tail.
		if fi, err := os.Stat(tmp); err == nil && used > 0 && fi.Size() > used {
			return os.Truncate(tmp, used)
		}
		return nil
	}()
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// swapIn renames a store built by buildStore over path and syncs the
// folder, so that the rename outlives a crash. If the rename fails, the
// new store is removed and the old one is as it was.
func swapIn(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncFile(filepath.Dir(path))
}

// openBoltQuadStore opens a bolt file as a Cayley kv quad store, initialising
// an empty file, and returns the bolt database under it for bulk loads.
// Cayley's duplicate bloom filter is left off: its set-up scans the whole
// log on every open, and it only serves Cayley's own writer, which rustbelt
// does not use on bolt.
func openBoltQuadStore(path string, readOnly, noSync bool, opt Options) (cgraph.QuadStore, *bbolt.DB, error) {
	timeout := opt.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	bopt := &bbolt.Options{Timeout: timeout, ReadOnly: readOnly}
	if noSync {
		// A store being built grows fast; every time bolt widens its map
		// it copies every page the transaction holds out of the old one.
		// Mapping wide from the start costs address space, not memory.
		bopt.InitialMmapSize = buildMmapSize
	}
	db, err := openBoltFile(path, bopt)
	var foreign *foreignFileError
	switch {
	case errors.Is(err, bbolt.ErrTimeout):
		return nil, nil, &fail.Error{Code: fail.Locked, Msg: "store is in use: " + path + " is locked by another program (not through rustbelt's lock file)"}
	case errors.As(err, &foreign):
		return nil, nil, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%s is not a rustbelt or Cayley store: it is a bolt file of another program "+
			"(it holds %s and no Cayley metadata); rustbelt neither reads nor writes it", path, foreign)}
	case err != nil:
		return nil, nil, &fail.Error{Code: fail.Invalid, Msg: "open bolt file " + path, Err: err}
	}
	db.DB().NoSync = noSync
	if !readOnly {
		if err := ckv.Init(db, nil); err != nil && err != cgraph.ErrDatabaseExists {
			db.Close()
			return nil, nil, &fail.Error{Code: fail.Invalid, Msg: "initialise " + path, Err: err}
		}
	}
	qs, err := ckv.New(db, cgraph.Options{ckv.OptNoBloom: true})
	if err != nil {
		db.Close()
		if err == cgraph.ErrNotInitialized {
			return nil, nil, &fail.Error{Code: fail.Invalid, Msg: path + " is not a rustbelt or Cayley store"}
		}
		return nil, nil, &fail.Error{Code: fail.Invalid, Msg: "open store " + path, Err: err}
	}
	return qs, db.DB(), nil
}

// errDamaged reports a store file that bolt cannot read safely.
var errDamaged = errors.New("the file is damaged; restore it from a backup, or remove it to start a new store")

// foreignFileError reports a bolt file that holds another program's
// buckets. Cayley's Init would add its own beside them, and a load would
// then write quads into that program's file.
type foreignFileError struct{ buckets []string }

func (e *foreignFileError) Error() string {
	if len(e.buckets) == 1 {
		return "bucket " + e.buckets[0]
	}
	return "buckets " + strings.Join(e.buckets, ", ")
}

// checkOwnFile returns a *foreignFileError unless the bolt file is empty
// (no buckets: a store about to be made) or holds Cayley's metadata, a
// version in its meta bucket, as every Cayley and rustbelt store does.
func checkOwnFile(tx *bbolt.Tx) error {
	if meta := tx.Bucket(metaBucket); meta != nil && meta.Get([]byte("version")) != nil {
		return nil
	}
	const named = 5 // enough to recognise the program, short enough for a message
	var buckets []string
	errEnough := errors.New("enough")
	err := tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		if len(buckets) == named {
			buckets = append(buckets, "…")
			return errEnough
		}
		buckets = append(buckets, strconv.Quote(string(name)))
		return nil
	})
	if err != nil && err != errEnough {
		return err
	}
	if len(buckets) > 0 {
		return &foreignFileError{buckets}
	}
	return nil
}

// openBoltFile opens a bolt file and checks that it holds every page its
// header counts. Bolt reads a file cut short (a copy that ran out of disk, a
// partial download) through its memory map and faults past the end, which
// kills the process; for the length of the open such faults, and bolt's own
// panics on pages it cannot parse, become errDamaged. A file left open by
// such a failure keeps its descriptor until the process ends.
func openBoltFile(path string, opt *bbolt.Options) (db *hbolt.DB, err error) {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 && opt.ReadOnly {
		return nil, errors.New("the file is empty: it is not a store (remove it to start a new one)")
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			why := fmt.Sprint(r)
			if _, fault := r.(interface{ Addr() uintptr }); fault {
				why = "a page lies past the end of the file"
			}
			db, err = nil, fmt.Errorf("%w (%s)", errDamaged, why)
		}
	}()
	db, err = hbolt.Open(path, opt)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err == nil {
		err = db.DB().View(func(tx *bbolt.Tx) error {
			switch {
			case db.DB().Info().PageSize == 0: // bolt could not read a header page
				return fmt.Errorf("%w (it is too short to hold a header: %d bytes)", errDamaged, fi.Size())
			case tx.Size() > fi.Size():
				return fmt.Errorf("%w (it holds %d of its %d bytes)", errDamaged, fi.Size(), tx.Size())
			}
			return checkOwnFile(tx)
		})
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// removeStaleTemps deletes temporary files left by a process that died while
// building a new store. Only a holder of the exclusive lock may call it.
func removeStaleTemps(path string) {
	matches, _ := filepath.Glob(path + tempInfix + "*")
	for _, m := range matches {
		os.Remove(m)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
