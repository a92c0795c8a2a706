package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/metrics"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	_ "github.com/cayleygraph/cayley/query/graphql" // registers GraphQL
	_ "github.com/cayleygraph/cayley/query/mql"     // registers MQL
	"github.com/dop251/goja"

	"github.com/rustbelt/rustbelt/fail"
)

// DefaultQueryTimeout stops a query that runs longer.
const DefaultQueryTimeout = 30 * time.Second

// Bounds on what one query may use, whatever its limit and timeout.
const (
	// DefaultMaxResultBytes bounds the results of a query, as JSON. Held
	// as Go values they take about six times as much, and every garbage
	// collection marks them all: at 64 MiB a runaway query's results made
	// the collector's mark phase run 2-3 s on two cores, stalling every
	// other request of a server.
	DefaultMaxResultBytes = 16 << 20
	// DefaultMaxMemory bounds how far the program's heap may grow while a
	// query runs: JavaScript that builds a string or array without end is
	// stopped here rather than by the machine running out of memory.
	DefaultMaxMemory = 1 << 30
)

// Languages lists the query languages Query accepts.
var Languages = []string{"gizmo", "graphql", "mql"}

// QueryOptions tune Query.
type QueryOptions struct {
	// Lang is the query language; empty means gizmo.
	Lang string
	// Limit caps the results; a query that has more reports Truncated. Zero
	// means no cap.
	Limit int
	// Timeout stops a query that runs longer; zero means DefaultQueryTimeout.
	// It counts from the call, so it includes the wait for a free slot
	// when as many queries run as may run at once.
	Timeout time.Duration
	// Params reach a Gizmo query as the global object `params`: data, never
	// text pasted into the query.
	Params map[string]string
	// REPL returns results as the text lines of Cayley's REPL, including the
	// value the program ends with ("=> 5" for a Count), instead of JSON values.
	REPL bool
	// MaxBytes stops a query whose results, as JSON, pass this many bytes;
	// zero means DefaultMaxResultBytes. It bounds each value a Gizmo query
	// passes to the graph as well.
	MaxBytes int64
	// MaxMemory stops a Gizmo query when the program's heap passes the
	// garbage collector's goal at the start of the query by this many bytes;
	// zero means DefaultMaxMemory. The heap is the whole program's, so
	// queries running at once share the bound.
	MaxMemory int64
}

// withDefaults checks opt and fills in its zero values.
func (opt QueryOptions) withDefaults() (QueryOptions, error) {
	if opt.Limit < 0 {
		return opt, fail.Errorf(fail.Invalid, "limit must not be negative")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultQueryTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxResultBytes
	}
	if opt.MaxMemory <= 0 {
		opt.MaxMemory = DefaultMaxMemory
	}
	return opt, nil
}

// QueryResult is a query's answer in Cayley's JSON shape.
type QueryResult struct {
	Result    []any `json:"result"`
	Truncated bool  `json:"truncated,omitempty"`
}

// querySession is what runs a query: a Cayley session, or a sandbox for
// Gizmo.
type querySession interface {
	Execute(ctx context.Context, text string, opt query.Options) (query.Iterator, error)
}

// Query runs a query in one of Languages against the store. Every query
// takes one of a few slots shared by the process (see querySlots): when
// none frees up in time the error's code is fail.Busy.
func (s *Store) Query(ctx context.Context, text string, opt QueryOptions) (*QueryResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if opt.Lang != "" && opt.Lang != "gizmo" && len(opt.Params) > 0 {
		return nil, fail.Errorf(fail.Invalid, "query parameters work with gizmo only, not %s", opt.Lang)
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	release, err := querySlots.acquire(ctx)
	if err != nil {
		return nil, err
	}
	qs, done := s.queryStore()
	release = then(done, release)
	var sess querySession
	switch opt.Lang {
	case "", "gizmo":
		sb, err := newSandbox(ctx, qs)
		if err != nil {
			release()
			return nil, err
		}
		sess = sb
	default:
		cs := query.NewSession(qs, opt.Lang)
		if cs == nil {
			release()
			return nil, fail.Errorf(fail.Invalid, "unknown query language %q (known: gizmo, graphql, mql)", opt.Lang)
		}
		sess = cs
	}
	return runQuery(ctx, sess, text, opt, release)
}

// Session runs Gizmo queries one after another in one JavaScript runtime,
// so that what one query defines is there for the next, as in a REPL.
type Session struct {
	store *Store
	qs    cgraph.QuadStore
	sb    *sandbox
	err   error
	// idle is closed when the last query's JavaScript has stopped: the
	// next query runs in the same runtime, so it waits for that.
	idle chan struct{}
}

// NewSession starts a Gizmo session on the store.
func (s *Store) NewSession() *Session {
	qs, done := s.queryStore()
	defer done()
	se := &Session{store: s, qs: qs, idle: make(chan struct{})}
	close(se.idle)
	return se
}

// Query runs one Gizmo query in the session; opt.Lang is ignored.
func (se *Session) Query(ctx context.Context, text string, opt QueryOptions) (*QueryResult, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	select {
	case <-se.idle:
	case <-ctx.Done():
		return nil, fail.Errorf(fail.Timeout, "the session's last query is still stopping; try again")
	}
	release, err := querySlots.acquire(ctx)
	if err != nil {
		return nil, err
	}
	_, done := se.store.quadStore()
	if se.sb == nil && se.err == nil {
		se.sb, se.err = newSandbox(ctx, se.qs)
	}
	if se.err != nil {
		done()
		release()
		return nil, se.err
	}
	idle := make(chan struct{})
	se.idle = idle
	return runQuery(ctx, se.sb, text, opt, then(done, release, func() { close(idle) }))
}

// then returns a function that calls each of fns in turn, once.
func then(fns ...func()) func() {
	called := false
	return func() {
		if called {
			return
		}
		called = true
		for _, f := range fns {
			f()
		}
	}
}

// runQuery runs text in sess and collects its results. release is called
// once the query has stopped for good: at once when it finished, or, for a
// Gizmo query cut short, when its goroutine has ended. The answer does not
// wait for that.
func runQuery(ctx context.Context, sess querySession, text string, opt QueryOptions, release func()) (*QueryResult, error) {
	sb, _ := sess.(*sandbox)
	if sb != nil {
		var stopWatch func()
		var bound uint64
		ctx, bound, stopWatch = watchHeap(ctx, uint64(opt.MaxMemory))
		defer stopWatch()
		if err := sb.prepare(text, opt, bound); err != nil {
			release()
			return nil, err
		}
		text = runnerSource
	}
	limit := 0
	if opt.Limit > 0 {
		limit = opt.Limit + 1 // one more than asked, to know whether there are more
	}
	collation := query.JSON
	if opt.REPL {
		collation = query.REPL
	}
	it, err := sess.Execute(ctx, text, query.Options{Collation: collation, Limit: limit})
	if err != nil {
		release()
		return nil, &fail.Error{Code: fail.Invalid, Msg: "query", Err: err}
	}
	res := &QueryResult{Result: []any{}}
	finished := false
	var size jsonSize
	var resultErr error
	for {
		if !it.Next(ctx) {
			finished = it.Err() == nil
			break
		}
		v := it.Result()
		if v == nil {
			continue
		}
		if opt.Limit > 0 && len(res.Result) == opt.Limit {
			res.Truncated = true
			break
		}
		if resultErr = size.add(v, opt.MaxBytes); resultErr != nil {
			break
		}
		res.Result = append(res.Result, v)
	}
	err = resultErr
	if err == nil {
		err = queryError(ctx, it, sb, opt, res.Truncated)
	}
	stopped := finished || sb == nil
	if !finished || res.Truncated {
		// Close interrupts the query's JavaScript; the slot and the store
		// are held until its goroutine has ended, so that a query that
		// will not stop at once still counts against the queries that run.
		it.Close()
		stopped = sb == nil
	}
	if stopped {
		release()
	} else {
		go func() {
			drain(it)
			release()
		}()
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// queryError is the error a query ended with, if any, in the order that
// explains it best: a damaged store, then the bounds that stopped it.
func queryError(ctx context.Context, it query.Iterator, sb *sandbox, opt QueryOptions, truncated bool) error {
	var ran error
	if sb != nil {
		ran = sb.outcome()
	}
	if fail.CodeOf(ran) == fail.Internal && ran != nil {
		return ran // a damaged store, whatever else happened
	}
	var deep *goja.StackOverflowError
	if errors.As(it.Err(), &deep) {
		return fail.Errorf(fail.Invalid, "query stopped: it nested more than %d function calls (the call stack limit)", maxCallDepth)
	}
	if errors.Is(context.Cause(ctx), errHeapGrew) {
		return fail.Errorf(fail.Invalid, "query stopped: it used more than %s of memory; narrow it", byteSize(opt.MaxMemory))
	}
	if truncated {
		return nil
	}
	timedOut := fail.Errorf(fail.Timeout, "query stopped after %s (the time limit); narrow it or allow more time", opt.Timeout)
	if err := it.Err(); err != nil {
		switch {
		case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded:
			return timedOut
		case errors.Is(err, context.Canceled):
			return err
		case ran != nil:
			return ran
		}
		return &fail.Error{Code: fail.Invalid, Msg: "query", Err: err}
	}
	if ctx.Err() == context.DeadlineExceeded {
		return timedOut
	}
	return nil
}

// drain waits until a stopped Gizmo query's goroutine has ended: Cayley's
// iterator reports the end of a query's goroutine, whatever stopped it, as
// the end of its results.
func drain(it query.Iterator) {
	for it.Next(context.Background()) {
	}
}

// jsonSize adds up the size of query results as JSON.
type jsonSize int64

func (n *jsonSize) Write(p []byte) (int, error) {
	*n += jsonSize(len(p))
	return len(p), nil
}

// add counts v and fails when v is not JSON data (NaN, a function) or the
// total passes max.
func (n *jsonSize) add(v any, max int64) error {
	if err := json.NewEncoder(n).Encode(v); err != nil {
		return fail.Errorf(fail.Invalid, "query result is not JSON data: %v", err)
	}
	if int64(*n) > max {
		return errTooBig(max)
	}
	return nil
}

func errTooBig(max int64) error {
	return fail.Errorf(fail.Invalid, "query results pass %s (the size limit); narrow the query or set a limit", byteSize(max))
}

// byteSize writes n bytes for people: 512 B, 4 KiB, 64 MiB.
func byteSize(n int64) string {
	for _, u := range []string{"B", "KiB", "MiB"} {
		if n < 1<<10 || n%(1<<10) != 0 {
			return fmt.Sprintf("%d %s", n, u)
		}
		n >>= 10
	}
	return fmt.Sprintf("%d GiB", n)
}

// errHeapGrew is the cause of a query stopped by watchHeap.
var errHeapGrew = errors.New("heap grew past the query's memory bound")

// heapPoll is how often watchHeap looks at the heap.
const heapPoll = 10 * time.Millisecond

// heapSamples are the runtime metrics watchHeap reads: the heap, and the
// garbage collector's goal.
func heapSamples() []metrics.Sample {
	return []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/goal:bytes"}}
}

// heapInUse is the heap's size now, garbage not yet collected included.
func heapInUse() uint64 {
	s := heapSamples()[:1]
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap returns a context that is cancelled with errHeapGrew once the
// program's heap passes the garbage collector's present goal by limit bytes,
// that bound, and a function that stops watching. Cancelling interrupts the
// query's JavaScript. The goal, not the heap, is the base: the heap counts
// garbage not yet collected, which the collector lets grow up to the goal.
func watchHeap(ctx context.Context, limit uint64) (context.Context, uint64, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	sample := heapSamples()
	metrics.Read(sample)
	bound := sample[1].Value.Uint64() + limit
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(heapPoll)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if heapInUse() > bound {
					cancel(errHeapGrew)
					return
				}
			}
		}
	}()
	return ctx, bound, func() {
		close(done)
		cancel(nil)
	}
}
