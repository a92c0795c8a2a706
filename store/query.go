package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"time"
	"unsafe"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
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
	// maxCallDepth bounds JavaScript recursion. Without it a query that
	// recurses through a built-in (function f(){[1].map(f)}) grows the Go
	// stack until the process dies, and plain recursion grows the heap until
	// the timeout.
	maxCallDepth = 1000
	// maxString bounds the strings that repeat, padStart, padEnd and join
	// may build, in characters, as JavaScript engines bound theirs.
	maxString = 1 << 28
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
	Timeout time.Duration
	// Params reach a Gizmo query as the global object `params`: data, never
	// text pasted into the query.
	Params map[string]string
	// REPL returns results as the text lines of Cayley's REPL, including the
	// value the program ends with ("=> 5" for a Count), instead of JSON values.
	REPL bool
	// MaxBytes stops a query whose results, as JSON, pass this many bytes;
	// zero means DefaultMaxResultBytes.
	MaxBytes int64
	// MaxMemory stops a Gizmo query when the program's heap passes the
	// garbage collector's goal at the start of the query by this many bytes;
	// zero means DefaultMaxMemory. The heap is the whole program's, so
	// queries running at once share the bound.
	MaxMemory int64
}

// QueryResult is a query's answer in Cayley's JSON shape.
type QueryResult struct {
	Result    []any `json:"result"`
	Truncated bool  `json:"truncated,omitempty"`
}

// Query runs a query in one of Languages against the store.
func (s *Store) Query(ctx context.Context, text string, opt QueryOptions) (*QueryResult, error) {
	qs, done := s.queryStore()
	defer done()
	var sess query.Session
	switch opt.Lang {
	case "", "gizmo":
		gs := gizmo.NewSession(qs)
		if err := guardGraph(gs); err != nil {
			return nil, err
		}
		sess = gs
	default:
		if len(opt.Params) > 0 {
			return nil, fail.Errorf(fail.Invalid, "query parameters work with gizmo only, not %s", opt.Lang)
		}
		sess = query.NewSession(qs, opt.Lang)
		if sess == nil {
			return nil, fail.Errorf(fail.Invalid, "unknown query language %q (known: gizmo, graphql, mql)", opt.Lang)
		}
	}
	return runQuery(ctx, sess, text, opt)
}

// Session runs Gizmo queries one after another in one JavaScript runtime,
// so that what one query defines is there for the next, as in a REPL.
type Session struct {
	store *Store
	gizmo *gizmo.Session
}

// NewSession starts a Gizmo session on the store.
func (s *Store) NewSession() *Session {
	qs, done := s.queryStore()
	defer done()
	return &Session{store: s, gizmo: gizmo.NewSession(qs)}
}

// Query runs one Gizmo query in the session; opt.Lang is ignored.
func (se *Session) Query(ctx context.Context, text string, opt QueryOptions) (*QueryResult, error) {
	_, done := se.store.quadStore()
	defer done()
	return runQuery(ctx, se.gizmo, text, opt)
}

func runQuery(ctx context.Context, sess query.Session, text string, opt QueryOptions) (*QueryResult, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultQueryTimeout
	}
	if opt.Limit < 0 {
		return nil, fail.Errorf(fail.Invalid, "limit must not be negative")
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxResultBytes
	}
	if opt.MaxMemory <= 0 {
		opt.MaxMemory = DefaultMaxMemory
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	if gs, ok := sess.(*gizmo.Session); ok {
		if err := prepareRuntime(gs, opt.Params); err != nil {
			return nil, err
		}
		var stopWatch func()
		ctx, stopWatch = watchHeap(ctx, uint64(opt.MaxMemory))
		defer stopWatch()
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
	if !finished || res.Truncated {
		stop(it, sess)
	}
	if resultErr != nil {
		return nil, resultErr
	}
	var deep *goja.StackOverflowError
	if errors.As(it.Err(), &deep) {
		return nil, fail.Errorf(fail.Invalid, "query stopped: it nested more than %d function calls (the call stack limit)", maxCallDepth)
	}
	if errors.Is(context.Cause(ctx), errHeapGrew) {
		return nil, fail.Errorf(fail.Invalid, "query stopped: it used more than %s of memory; narrow it", byteSize(opt.MaxMemory))
	}
	timedOut := fail.Errorf(fail.Timeout, "query stopped after %s (the time limit); narrow it or allow more time", opt.Timeout)
	if err := it.Err(); err != nil && !res.Truncated {
		if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded {
			return nil, timedOut
		}
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, &fail.Error{Code: fail.Invalid, Msg: "query", Err: err}
	}
	if ctx.Err() == context.DeadlineExceeded && !res.Truncated {
		return nil, timedOut
	}
	return res, nil
}

// stop ends a query that is still running and waits for its goroutine, so
// that nothing keeps running after the caller returns. Cayley's Gizmo stops a
// query by interrupting the JavaScript runtime; the interrupt stays set if
// the program had already finished, and prepareRuntime clears it before the
// session's next query.
func stop(it query.Iterator, sess query.Session) {
	it.Close()
	drain, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for it.Next(drain) {
	}
}

// prepareRuntime readies the session's JavaScript runtime for one query: it
// clears an interrupt left by the last query, bounds recursion and binds the
// parameters. Cayley's Gizmo session keeps its runtime private; the field is
// read through reflection, and a test fails if a Cayley upgrade moves it.
func prepareRuntime(s *gizmo.Session, params map[string]string) error {
	vm := gizmoRuntime(s)
	if vm == nil {
		return fail.Errorf(fail.Internal, "cannot bind query parameters: Cayley's Gizmo session changed shape")
	}
	vm.ClearInterrupt()
	vm.SetMaxCallStackSize(maxCallDepth)
	return bindParams(vm, params)
}

// bindParams sets the global `params`: the values are data, never code.
// The object has no prototype, so that every key, __proto__ included, is
// a plain entry.
func bindParams(vm *goja.Runtime, params map[string]string) error {
	obj := vm.CreateObject(nil)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := obj.Set(k, params[k]); err != nil {
			return fail.Errorf(fail.Invalid, "param %q: %v", k, err)
		}
	}
	vm.Set("params", obj)
	return nil
}

func gizmoRuntime(s *gizmo.Session) *goja.Runtime {
	f := reflect.ValueOf(s).Elem().FieldByName("vm")
	if !f.IsValid() || f.Type() != reflect.TypeOf((*goja.Runtime)(nil)) {
		return nil
	}
	return *(**goja.Runtime)(unsafe.Pointer(f.UnsafeAddr()))
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
		return fail.Errorf(fail.Invalid, "query results pass %s (the size limit); narrow the query or set a limit", byteSize(max))
	}
	return nil
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

// watchHeap returns a context that is cancelled with errHeapGrew once the
// program's heap passes the garbage collector's present goal by limit bytes,
// and a function that stops watching. Cancelling interrupts the query's
// JavaScript. The goal, not the heap, is the base: the heap counts garbage
// not yet collected, which the collector lets grow up to the goal.
func watchHeap(ctx context.Context, limit uint64) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(sample)
	bound := sample[1].Value.Uint64() + limit
	heap := func() uint64 {
		metrics.Read(sample[:1])
		return sample[0].Value.Uint64()
	}
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
				if heap() > bound {
					cancel(errHeapGrew)
					return
				}
			}
		}
	}()
	return ctx, func() {
		close(done)
		cancel(nil)
	}
}

// graphGuard wraps Gizmo's graph object and every path it returns so that
// each call into Cayley goes through call (see guardGraph), after a check
// that no argument contains itself: Cayley copies arguments out of
// JavaScript recursively, and a value that holds itself would grow the Go
// stack until the process dies. It also bounds the built-ins that build a
// string in one step (see maxString).
const graphGuard = `(function (global, call, maxString) {
	var targets = new WeakMap();
	function acyclic(v, seen) {
		if (v === null || typeof v !== "object" || targets.has(v)) return;
		if (seen.indexOf(v) >= 0) throw new TypeError("a value that contains itself cannot be passed to the graph");
		seen.push(v);
		var keys = Object.keys(v);
		for (var i = 0; i < keys.length; i++) acyclic(v[keys[i]], seen);
		seen.pop();
	}
	function guard(obj) {
		// The proxy's own target is empty: Cayley's properties are fixed,
		// and a proxy may not answer other than its target for those.
		var p = new Proxy({}, {
			get: function (_, name) {
				var t = obj, f = t[name];
				if (f === undefined && typeof name === "string" && !(name in t)) {
					throw new TypeError("Object has no member '" + name + "'");
				}
				if (typeof f !== "function") return f;
				return function () {
					var args = [f, t];
					for (var i = 0; i < arguments.length; i++) {
						var a = arguments[i];
						acyclic(a, []);
						args.push(a !== null && typeof a === "object" && targets.has(a) ? targets.get(a) : a);
					}
					var r = call.apply(null, args);
					return r !== null && typeof r === "object" && typeof r.All === "function" ? guard(r) : r;
				};
			}
		});
		targets.set(p, obj);
		return p;
	}
	global.graph = global.g = guard(global.graph);

	// Built-ins that make one string of a size the query names do it in a
	// single Go call, which no interrupt reaches: "x".repeat(1e10) would
	// take ten gigabytes at once. Past maxString they fail as browsers do.
	function bounded(length) {
		if (!(length <= maxString)) throw new RangeError("Invalid string length: the query asks for a string longer than " + maxString);
	}
	function wrap(proto, name, size) {
		var f = proto[name];
		proto[name] = function () {
			bounded(size(this, arguments));
			return f.apply(this, arguments);
		};
	}
	wrap(String.prototype, "repeat", function (s, a) { return String(s).length * Number(a[0]); });
	wrap(String.prototype, "padStart", function (s, a) { return Number(a[0]); });
	wrap(String.prototype, "padEnd", function (s, a) { return Number(a[0]); });
	wrap(Array.prototype, "join", function (arr, a) {
		var n = arr.length >>> 0, sep = a[0] === undefined ? 1 : String(a[0]).length, total = n > 0 ? (n - 1) * sep : 0;
		for (var i = 0; i < n && total <= maxString; i++) {
			if (typeof arr[i] === "string") total += arr[i].length;
		}
		return total;
	});
})`

var graphGuardProgram = goja.MustCompile("guard.js", graphGuard, true)

// guardGraph installs graphGuard in a fresh session. Its call turns a panic
// inside Cayley (a nil shape in a union it optimized, for one) into a
// JavaScript error: the panic would otherwise end the whole process, since
// Cayley runs the query in a goroutine of its own. The REPL's session is
// not guarded: its display of paths needs Cayley's own objects.
func guardGraph(s *gizmo.Session) error {
	vm := gizmoRuntime(s)
	if vm == nil {
		return fail.Errorf(fail.Internal, "cannot guard the query: Cayley's Gizmo session changed shape")
	}
	install, err := vm.RunProgram(graphGuardProgram)
	if err != nil {
		return fail.Errorf(fail.Internal, "guard the query: %v", err)
	}
	fn, _ := goja.AssertFunction(install)
	call := func(c goja.FunctionCall) goja.Value {
		f, ok := goja.AssertFunction(c.Argument(0))
		if !ok {
			panic(vm.NewTypeError("not a function"))
		}
		v, err, fault := callCatching(f, c.Argument(1), c.Arguments[2:])
		switch {
		case isFault(fault):
			panic(vm.NewGoError(damaged(fault)))
		case fault != nil:
			panic(vm.NewGoError(fmt.Errorf("the query failed inside Cayley: %v", fault)))
		}
		if err != nil {
			panic(err) // a JavaScript exception, an interrupt or the call stack limit, as they were
		}
		return v
	}
	if _, err := fn(goja.Undefined(), vm.GlobalObject(), vm.ToValue(call), vm.ToValue(maxString)); err != nil {
		return fail.Errorf(fail.Internal, "guard the query: %v", err)
	}
	return nil
}

// callCatching calls f and recovers a Go panic from it as fault, memory
// faults included: Cayley reads a bolt store through its memory map.
func callCatching(f goja.Callable, this goja.Value, args []goja.Value) (v goja.Value, err error, fault any) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { fault = recover() }()
	v, err = f(this, args...)
	return v, err, nil
}
