package store

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	bbolt "github.com/boltdb/bolt"
	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/seeds"
)

// Input is one file of quads to validate or load. Open is called once per
// pass, so it must return the same bytes each time.
type Input struct {
	Name string
	// Format names the quad format, one of InputFormats; empty means N-Quads.
	Format string
	Open   func() (io.ReadCloser, error)
	// Size is a lower bound on the bytes Open yields (a gzip file's own
	// size), or 0 when unknown; it lets a large load skip a read.
	Size int64
}

// FileInput reads path, un-gzipping names that end in .gz, in the format its
// extension names (see FormatOf). The cleanup it returns is for symmetry
// with SpoolInput and does nothing.
func FileInput(path string) (Input, func(), error) {
	noop := func() {}
	if _, err := os.Stat(path); err != nil {
		return Input{}, noop, &fail.Error{Code: fail.Invalid, Msg: "read " + path, Err: err}
	}
	return fileInput(path), noop, nil
}

// SpoolInput copies r (standard input, a request body) to a temporary file
// so that it can be read twice, and reads it as N-Quads under name; call the
// returned cleanup to remove the file.
func SpoolInput(name string, r io.Reader) (Input, func(), error) {
	noop := func() {}
	tmp, err := os.CreateTemp("", "rustbelt-spool-*.nq")
	if err != nil {
		return Input{}, noop, err
	}
	cleanup := func() { os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		cleanup()
		return Input{}, noop, fmt.Errorf("read %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return Input{}, noop, err
	}
	in := fileInput(tmp.Name())
	in.Name = name
	return in, cleanup, nil
}

func fileInput(path string) Input {
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	return Input{Name: path, Format: FormatOf(path), Size: size, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil || !strings.HasSuffix(path, ".gz") {
			return f, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: not gzip data: %w", path, err)
		}
		return struct {
			io.Reader
			io.Closer
		}{zr, f}, nil
	}}
}

// FSInput reads name from fsys.
func FSInput(fsys fs.FS, name string) Input {
	return Input{Name: name, Open: func() (io.ReadCloser, error) { return fsys.Open(name) }}
}

// SeedInputs returns the bundled dataset, one input per source.
func SeedInputs() []Input {
	var ins []Input
	for _, name := range seeds.Names() {
		in := FSInput(seeds.FS(), name)
		in.Name = "seeds/" + name
		ins = append(ins, in)
	}
	return ins
}

// LoadOptions tune Load and Validate.
type LoadOptions struct {
	// Strict rejects quads outside the rustbelt vocabulary.
	Strict bool
}

// LoadReport says what a load did.
type LoadReport struct {
	Files      int           `json:"files"`
	Read       int64         `json:"read"`
	Added      int64         `json:"added"`
	Duplicates int64         `json:"duplicates"`
	Elapsed    time.Duration `json:"elapsed_ns"`
}

// Validate checks every quad of the inputs against the vocabulary and returns
// how many quads it read and every problem found (schema.Problems).
func Validate(ctx context.Context, inputs []Input, opt LoadOptions) (int64, schema.Problems, error) {
	v := schema.NewValidator(opt.Strict)
	var read int64
	var syntax schema.Problems
	for _, in := range inputs {
		err := eachQuad(ctx, in, func(pos schema.Pos, q quad.Quad) error {
			read++
			v.Check(pos, q)
			return nil
		}, &syntax)
		if err != nil {
			return read, nil, err
		}
	}
	problems := append(syntax, v.Problems()...)
	return read, problems, nil
}

// eachQuad scans one input, adding syntax problems to *problems.
func eachQuad(ctx context.Context, in Input, fn func(schema.Pos, quad.Quad) error, problems *schema.Problems) error {
	rc, err := in.Open()
	if err != nil {
		return &fail.Error{Code: fail.Invalid, Msg: "read " + in.Name, Err: err}
	}
	defer rc.Close()
	progress := progressOf(ctx)
	src := &countingReader{r: rc}
	var n, shown int64 // quads read, and bytes reported to progress
	report := func(quads int64) {
		progress.add(quads, src.n-shown)
		shown = src.n
	}
	ps, err := scan(src, in, func(pos schema.Pos, q quad.Quad) error {
		if n++; n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			report(4096)
		}
		return fn(pos, q)
	})
	report(n % 4096)
	if problems != nil {
		*problems = append(*problems, ps...)
	}
	return err
}

// Load validates every input, then writes all of them in one atomic step:
// a file with any problem writes nothing. Duplicate quads, in the files or
// already in the store, are skipped and counted.
func (s *Store) Load(ctx context.Context, inputs []Input, opt LoadOptions) (LoadReport, error) {
	if s.opt.ReadOnly {
		return LoadReport{}, fail.Errorf(fail.Forbidden, "store %s is open read-only", s.addr)
	}
	return s.load(ctx, inputs, opt)
}

// inPlaceMax is the largest load written to a live bolt store in a single
// transaction; larger ones are built in a copy and swapped in, which keeps
// memory flat. A variable so that tests can take the other road on small data.
var inPlaceMax int64 = 100_000

// minQuadBytes is less than any N-Quads line of a real load: inputs of more
// than inPlaceMax*minQuadBytes bytes take the copy road without counting
// their quads first.
const minQuadBytes = 64

func (s *Store) load(ctx context.Context, inputs []Input, opt LoadOptions) (LoadReport, error) {
	start := time.Now()
	var size int64
	for _, in := range inputs {
		size += in.Size
	}
	var rep LoadReport
	var err error
	progress := progressOf(ctx)
	defer progress.end()
	switch {
	case s.backend == Bolt && size > inPlaceMax*minQuadBytes:
		// Large: one read, validating while writing into the copy.
		progress.stage("load", 0, inputBytes(inputs))
		defer s.lockForWrite()()
		rep, err = s.loadBySwap(ctx, inputs, opt)
	case s.backend == Postgres:
		// One transaction: validated on the way, rolled back on a problem.
		progress.stage("load", 0, copyPasses*inputBytes(inputs))
		defer s.lockForWrite()()
		rep, err = copyLoad(ctx, s.addr, s.qs, inputs, &opt)
	default:
		rep, err = s.loadValidated(ctx, inputs, opt)
	}
	if err != nil {
		return LoadReport{}, err
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// loadValidated validates the inputs, then writes them: in place in one
// transaction if they are few, else by swapping in a copy.
func (s *Store) loadValidated(ctx context.Context, inputs []Input, opt LoadOptions) (LoadReport, error) {
	progress := progressOf(ctx)
	progress.stage("check", 0, inputBytes(inputs))
	read, problems, err := Validate(ctx, inputs, opt)
	if err != nil {
		return LoadReport{}, err
	}
	if len(problems) > 0 {
		return LoadReport{}, invalidLoad(problems)
	}
	progress.stage("write", read, inputBytes(inputs))
	defer s.lockForWrite()()
	switch {
	case s.backend == Bolt && read > inPlaceMax:
		return s.loadBySwap(ctx, inputs, opt)
	case s.backend == Bolt:
		return s.loadInPlace(ctx, inputs)
	}
	return writeAll(ctx, s.qs, inputs)
}

func invalidLoad(problems schema.Problems) error {
	return &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%d problem(s) found; nothing was written", len(problems)), Err: problems}
}

// loadBySwap writes a load into a copy of the bolt store, validating it on
// the way, opens the copy and renames it over the original if it is valid.
// The store stays open on the old file until the new one is open and in
// place: if anything fails on the way, the old store answers as before and
// nothing was written. The caller holds s.mu for writing.
func (s *Store) loadBySwap(ctx context.Context, inputs []Input, opt LoadOptions) (LoadReport, error) {
	var rep LoadReport
	tmp, err := buildStore(ctx, s.path, true, func(_ cgraph.QuadStore, db *bbolt.DB) error {
		var err error
		rep, err = bulkLoad(ctx, db, inputs, &opt, false)
		return err
	})
	if err != nil {
		return LoadReport{}, err
	}
	if err := s.swapInBuilt(tmp); err != nil {
		return LoadReport{}, err
	}
	return rep, nil
}

// swapInBuilt puts a store that buildStore wrote in place of this one and
// reads from it from now on. The caller holds s.mu for writing.
func (s *Store) swapInBuilt(tmp string) error {
	// A bolt handle follows its file through the rename: open the new store
	// before it replaces the old one, so that a failure here leaves both
	// the file and this Store as they were.
	qs, db, err := reopenBolt(tmp, false, false, s.opt)
	if err != nil {
		os.Remove(tmp)
		return &fail.Error{Code: fail.Internal, Msg: "open the written store; nothing was written", Err: err}
	}
	if err := os.Rename(tmp, s.path); err != nil {
		qs.Close()
		os.Remove(tmp)
		return &fail.Error{Code: fail.Internal, Msg: "put the written store in place; nothing was written", Err: err}
	}
	// The old file is gone from the folder; its handle reads nothing more,
	// and an error closing it cannot undo the write.
	s.qs.Close()
	s.qs, s.db = qs, db
	if err := syncFile(filepath.Dir(s.path)); err != nil {
		return fmt.Errorf("the write is in place, but the folder could not be synced to disk: %w", err)
	}
	return nil
}

// reopenBolt opens the store a swap load built; a variable so that tests
// can make it fail.
var reopenBolt = openBoltQuadStore

// loadInPlace writes validated inputs into the live bolt store in one
// transaction. The caller holds s.mu for writing.
func (s *Store) loadInPlace(ctx context.Context, inputs []Input) (LoadReport, error) {
	return bulkLoad(ctx, s.db, inputs, nil, true)
}

// writeAll applies every quad of the inputs in one call to the store, which
// each backend runs as one transaction, skipping duplicates.
func writeAll(ctx context.Context, qs cgraph.QuadStore, inputs []Input) (LoadReport, error) {
	before, err := quadCount(ctx, qs)
	if err != nil {
		return LoadReport{}, err
	}
	rep := LoadReport{Files: len(inputs)}
	var deltas []cgraph.Delta
	for _, in := range inputs {
		err := eachQuad(ctx, in, func(_ schema.Pos, q quad.Quad) error {
			rep.Read++
			deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
			return nil
		}, nil)
		if err != nil {
			return LoadReport{}, err
		}
	}
	if err := qs.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
		return LoadReport{}, fmt.Errorf("write quads: %w", err)
	}
	after, err := quadCount(ctx, qs)
	if err != nil {
		return LoadReport{}, err
	}
	rep.Added = after - before
	rep.Duplicates = rep.Read - rep.Added
	return rep, nil
}

func quadCount(ctx context.Context, qs cgraph.QuadStore) (int64, error) {
	st, err := storeStats(ctx, qs, false)
	if err == nil && !st.Quads.Exact {
		st, err = storeStats(ctx, qs, true) // exact node counts are costly: ask only when needed
	}
	if err != nil {
		return 0, fmt.Errorf("count quads: %w", err)
	}
	return st.Quads.Size, nil
}

// storeStats is qs.Stats, reading a new kv store (which has no size record
// until its first write) as empty.
func storeStats(ctx context.Context, qs cgraph.QuadStore, exact bool) (cgraph.Stats, error) {
	st, err := qs.Stats(ctx, exact)
	if errors.Is(err, ckv.ErrNoBucket) {
		return cgraph.Stats{Quads: cgraph.Size{Exact: true}, Nodes: cgraph.Size{Exact: true}}, nil
	}
	return st, err
}
