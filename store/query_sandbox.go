package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/dop251/goja"

	"github.com/rustbelt/rustbelt/fail"
)

// maxCallDepth bounds JavaScript recursion. Without it a query that
// recurses through a built-in (function f(){[1].map(f)}) grows the Go
// stack until the process dies, and plain recursion grows the heap until
// the timeout.
const maxCallDepth = 1000

// A sandbox is a Gizmo session whose JavaScript runtime is readied to run
// queries nobody vetted. Cayley's session runs a query in a goroutine of its
// own, where a Go panic or a fatal stack overflow ends the whole process,
// and goja's built-ins run in Go, where no interrupt reaches them. So:
//
//   - The query's text is compiled and run by a Go function (the runner)
//     that Cayley's session calls; it recovers panics, and keeps what the
//     query throws from reaching Cayley as a JavaScript value, which
//     Cayley would copy into Go recursively. Its brackets are counted
//     first (see checkSource): goja's parser recurses on them.
//   - Cayley's graph and path objects, and the functions Cayley adds to the
//     global object, are reached through guards (see guarded): each call
//     copies its arguments into plain Go data once (see snapshot), bounded
//     in depth and size, and hands the results back as plain JavaScript.
//   - The built-ins that would build a string, an array or a buffer of a
//     size the query names in one Go call, or recurse in Go through values
//     the query nests, are bounded (see installBuiltins).
//
// A sandbox runs one query at a time; a Session runs many in turn.
type sandbox struct {
	rt      *goja.Runtime
	session *gizmo.Session

	// The query the runner is to run next, set by prepare; armed keeps a
	// query from calling the runner itself.
	source string
	armed  bool
	repl   bool
	// maxBytes bounds each value passed to the graph (see snapshot).
	maxBytes int64
	// memBound is the heap size past which the query is stopped (see
	// watchHeap); built-ins that allocate in one step check it first.
	memBound uint64
	// failure is what stopped the last query from the Go side: a damaged
	// store, a panic, a JavaScript error. The query's goroutine sets it,
	// and may still be stopping when the answer reads it.
	failureMu sync.Mutex
	failure   error

	intrinsics
	// methods holds one guarded function per method name, shared by every
	// guard: the function finds its Cayley object through `this`.
	methods map[string]goja.Value
	// joining holds the arrays that Array.prototype.join is joining, for
	// cycles and depth.
	joining []*goja.Object
	// ticks counts the steps of Go loops since the last checkpoint.
	ticks int
}

// intrinsics are the built-ins the sandbox calls, taken before any query
// runs: a query may replace the globals, not these.
type intrinsics struct {
	arrayProto, stringProto, functionProto *goja.Object
	getOwnPropertyDescriptor               goja.Callable
	reflectConstruct                       goja.Callable
	rangeError, syntaxError                *goja.Object
	// tick is a JavaScript function that does nothing: a Go loop calls it
	// now and then so that an interrupt of the runtime lands in it.
	tick goja.Callable
}

var tickProgram = goja.MustCompile("tick.js", `(function () {})`, true)

// runnerName is the global through which Cayley's session runs a query:
// the session runs the constant program runnerSource, which calls the
// runner with the query's text kept aside by prepare.
const runnerName = "__rustbelt_run__"

var runnerSource = runnerName + "()"

// newSandbox starts a Gizmo session on qs and readies its runtime.
func newSandbox(ctx context.Context, qs cgraph.QuadStore) (*sandbox, error) {
	s := gizmo.NewSession(qs)
	rt, err := gizmoRuntime(ctx, s)
	if err != nil {
		return nil, err
	}
	sb := &sandbox{rt: rt, session: s, methods: map[string]goja.Value{}}
	if err := sb.install(); err != nil {
		return nil, fail.Errorf(fail.Internal, "ready the query runtime (%s): %v", engineVersions(), err)
	}
	return sb, nil
}

// gizmoRuntime returns the JavaScript runtime of a Gizmo session. Cayley
// keeps it in an unexported field; what it does export is enough: a
// session runs JavaScript, and Emit hands a value to Go the way goja
// exports it, a JavaScript function as a Go function of the same runtime.
// Called with no `this`, a sloppy-mode function returns the global object;
// a Go function of goja's func(FunctionCall, *Runtime) kind, set on that
// object and called, receives the runtime. TestGizmoRuntimeIsTheSessions
// fails if a new Cayley or goja changes any of this.
func gizmoRuntime(ctx context.Context, s *gizmo.Session) (*goja.Runtime, error) {
	changed := func(what string) error {
		return fail.Errorf(fail.Internal, "cannot reach the Gizmo session's JavaScript runtime (%s): %s", engineVersions(), what)
	}
	it, err := s.Execute(ctx, `g.Emit(function () { return this })`, query.Options{Collation: query.Raw})
	if err != nil {
		return nil, changed(err.Error())
	}
	var global func(goja.FunctionCall) goja.Value
	for it.Next(ctx) {
		if r, ok := it.Result().(*gizmo.Result); ok {
			global, _ = r.Val.(func(goja.FunctionCall) goja.Value)
		}
	}
	if err := ctx.Err(); err != nil {
		it.Close()
		drain(it)
		return nil, err
	}
	if err := it.Err(); err != nil {
		return nil, changed(err.Error())
	}
	if global == nil {
		return nil, changed("Emit no longer exports a function as a Go function")
	}
	// The session's goroutine has ended: the runtime is idle, and may be
	// called from here.
	obj, ok := global(goja.FunctionCall{This: goja.Undefined()}).(*goja.Object)
	if !ok {
		return nil, changed("a function called without this does not see the global object")
	}
	var rt *goja.Runtime
	const probe = "__rustbelt_runtime__"
	if err := obj.Set(probe, func(_ goja.FunctionCall, r *goja.Runtime) goja.Value {
		rt = r
		return goja.Undefined()
	}); err != nil {
		return nil, changed(err.Error())
	}
	defer obj.Delete(probe)
	f, ok := goja.AssertFunction(obj.Get(probe))
	if !ok {
		return nil, changed("a Go function set on the global object is not callable")
	}
	if _, err := f(goja.Undefined()); err != nil {
		return nil, changed(err.Error())
	}
	if rt == nil || rt.GlobalObject() != obj {
		return nil, changed("the runtime passed to a Go function is not the session's")
	}
	return rt, nil
}

// engineVersions names the versions of Cayley and goja built in, for
// messages about what a new version changed. Test binaries do not record
// them; go.mod has them.
var engineVersions = sync.OnceValue(func() string {
	var found []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/cayleygraph/cayley" || m.Path == "github.com/dop251/goja" {
				found = append(found, m.Path+" "+m.Version)
			}
		}
	}
	if len(found) == 0 {
		return "the versions of github.com/cayleygraph/cayley and github.com/dop251/goja in go.mod"
	}
	return strings.Join(found, ", ")
})

// install readies a new sandbox's runtime: it takes the intrinsics, guards
// what Cayley added to the global object, bounds the built-ins and defines
// the runner. It runs before any query.
func (sb *sandbox) install() error {
	rt := sb.rt
	global := rt.GlobalObject()
	object := global.Get("Object").ToObject(rt)
	reflectObj := global.Get("Reflect").ToObject(rt)
	var ok bool
	sb.arrayProto = global.Get("Array").ToObject(rt).Get("prototype").ToObject(rt)
	sb.stringProto = global.Get("String").ToObject(rt).Get("prototype").ToObject(rt)
	sb.functionProto = global.Get("Function").ToObject(rt).Get("prototype").ToObject(rt)
	sb.rangeError = global.Get("RangeError").ToObject(rt)
	sb.syntaxError = global.Get("SyntaxError").ToObject(rt)
	if sb.getOwnPropertyDescriptor, ok = goja.AssertFunction(object.Get("getOwnPropertyDescriptor")); !ok {
		return errors.New("no Object.getOwnPropertyDescriptor")
	}
	if sb.reflectConstruct, ok = goja.AssertFunction(reflectObj.Get("construct")); !ok {
		return errors.New("no Reflect.construct")
	}
	tick, err := rt.RunProgram(tickProgram)
	if err != nil {
		return err
	}
	sb.tick, _ = goja.AssertFunction(tick)

	if err := sb.guardCayley(); err != nil {
		return err
	}
	if err := sb.installBuiltins(); err != nil {
		return err
	}
	return global.DefineDataProperty(runnerName, sb.named("query", sb.run), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
}

// cayleyGlobals are the names Cayley's Gizmo session adds to the global
// object of its runtime: those a plain goja runtime lacks. Listing a
// global object's names makes goja build every built-in, so it is done
// once, on a throwaway session.
var cayleyGlobals = sync.OnceValues(func() ([]string, error) {
	standard := map[string]bool{}
	for _, n := range goja.New().GlobalObject().GetOwnPropertyNames() {
		standard[n] = true
	}
	rt, err := gizmoRuntime(context.Background(), gizmo.NewSession(memstore.New()))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range rt.GlobalObject().GetOwnPropertyNames() {
		if !standard[n] {
			names = append(names, n)
		}
	}
	return names, nil
})

// guardCayley replaces what Cayley added to the global object (graph and
// its alias g, and functions such as iri, str and lt) with guards. They are
// found as the globals a plain goja runtime lacks, so that a function a new
// Cayley adds is guarded too.
func (sb *sandbox) guardCayley() error {
	names, err := cayleyGlobals()
	if err != nil {
		return err
	}
	global := sb.rt.GlobalObject()
	guards := map[*goja.Object]goja.Value{}
	for _, name := range names {
		obj, ok := global.Get(name).(*goja.Object)
		if !ok {
			continue
		}
		g, ok := guards[obj]
		if !ok {
			if f, isFunc := goja.AssertFunction(obj); isFunc {
				g = sb.named(name, func(c goja.FunctionCall) goja.Value {
					return sb.callCayley(f, goja.Undefined(), c.Arguments)
				})
			} else {
				g = sb.guard(obj)
			}
			guards[obj] = g
		}
		if err := global.Set(name, g); err != nil {
			return fmt.Errorf("guard %s: %w", name, err)
		}
	}
	if len(guards) == 0 {
		return errors.New("Cayley's graph object is not in the global object")
	}
	return nil
}

// guarded is one of Cayley's Gizmo objects (the graph, a path) as a query
// sees it: an object whose methods call Cayley's through callCayley, and
// which holds nothing else. Queries cannot reach the Cayley object itself.
type guarded struct {
	sb     *sandbox
	target *goja.Object
}

func (sb *sandbox) guard(target *goja.Object) goja.Value {
	return sb.rt.NewDynamicObject(&guarded{sb: sb, target: target})
}

// Get returns the guarded method of that name; nil (no such property)
// for a name Cayley's object lacks.
func (g *guarded) Get(key string) goja.Value {
	v := g.target.Get(key)
	if v == nil {
		return nil
	}
	if _, ok := goja.AssertFunction(v); !ok {
		return nil
	}
	return g.sb.method(key)
}

func (g *guarded) Set(string, goja.Value) bool { return false }
func (g *guarded) Has(key string) bool         { return g.Get(key) != nil }
func (g *guarded) Delete(string) bool          { return false }
func (g *guarded) Keys() []string              { return nil }

// typeGuarded is the type goja exports a guard as.
var typeGuarded = reflect.TypeOf((*guarded)(nil))

// unguard returns the Cayley object behind v, if v is a guard. It looks at
// the type first: goja exports other objects by copying them whole.
func unguard(v goja.Value) (*goja.Object, bool) {
	o, ok := v.(*goja.Object)
	if !ok || o.ExportType() != typeGuarded {
		return nil, false
	}
	return o.Export().(*guarded).target, true
}

// method returns the guarded method name, shared by all guards.
func (sb *sandbox) method(name string) goja.Value {
	if m, ok := sb.methods[name]; ok {
		return m
	}
	m := sb.named(name, func(c goja.FunctionCall) goja.Value {
		target, ok := unguard(c.This)
		if !ok {
			panic(sb.rt.NewTypeError("%s must be called on a Gizmo graph or path", name))
		}
		f, ok := goja.AssertFunction(target.Get(name))
		if !ok {
			panic(sb.rt.NewTypeError("Object has no member '%s'", name))
		}
		return sb.callCayley(f, target, c.Arguments)
	})
	sb.methods[name] = m
	return m
}

// named makes f a JavaScript function called name, as error messages
// show it.
func (sb *sandbox) named(name string, f func(goja.FunctionCall) goja.Value) *goja.Object {
	o := sb.rt.ToValue(f).(*goja.Object)
	o.DefineDataProperty("name", sb.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}

// callCayley calls a function of Cayley's Gizmo with its arguments made
// safe (see argument) and makes its result safe for the query (see
// fromCayley). A Go panic in Cayley (a nil shape in a union it optimized,
// for one, or a memory fault reading a damaged bolt file) becomes a
// JavaScript error: in Cayley's goroutine it would end the process.
func (sb *sandbox) callCayley(f goja.Callable, this goja.Value, args []goja.Value) goja.Value {
	safe := make([]goja.Value, len(args))
	for i, a := range args {
		safe[i] = sb.argument(a)
	}
	v, err, fault := callCatching(f, this, safe)
	switch {
	case isFault(fault):
		panic(sb.rt.NewGoError(sb.fail(damaged(fault))))
	case fault != nil:
		panic(sb.rt.NewGoError(fmt.Errorf("the query failed inside Cayley: %v", fault)))
	case err != nil:
		panic(err) // a JavaScript exception, an interrupt or the call stack limit, as they were
	}
	return sb.fromCayley(v)
}

// argument is a value passed to Cayley as Cayley may take it: a guard
// becomes its Cayley object, a function a callback that hands Cayley's
// values to the query safely, any other object a copy of its data.
func (sb *sandbox) argument(a goja.Value) goja.Value {
	o, ok := a.(*goja.Object)
	if !ok {
		return a
	}
	if target, ok := unguard(o); ok {
		return target
	}
	if f, ok := goja.AssertFunction(o); ok {
		return sb.named("callback", func(c goja.FunctionCall) goja.Value {
			args := make([]goja.Value, len(c.Arguments))
			for i, a := range c.Arguments {
				args[i] = sb.fromCayley(a)
			}
			v, err := f(goja.Undefined(), args...)
			if err != nil {
				panic(err)
			}
			return v
		})
	}
	data, err := sb.snapshot(o)
	if err != nil {
		panic(err)
	}
	return sb.rt.ToValue(data)
}

// fromCayley is a value Cayley returns (or passes to a callback) as the
// query may hold it. Cayley makes its values in Go: arrays and maps come
// wrapped by goja, which copies a value assigned into them into Go
// recursively, and that copy follows getters without end; they become
// plain JavaScript. Cayley's own objects (paths) are guarded.
func (sb *sandbox) fromCayley(v goja.Value) goja.Value {
	o, ok := v.(*goja.Object)
	if !ok {
		return v
	}
	switch t := o.ExportType(); {
	case t == typeGuarded:
		return v
	case t == typeSlice || t == typeMap || t == reflect.TypeOf([]map[string]any(nil)):
		return sb.plain(o.Export())
	case t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
		if _, ok := goja.AssertFunction(o); !ok {
			return sb.guard(o)
		}
	}
	return v
}

// plain is Go data Cayley made (strings, numbers, times, and the slices
// and maps that hold them) as plain JavaScript values.
func (sb *sandbox) plain(x any) goja.Value {
	switch x := x.(type) {
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = sb.plain(e)
		}
		return sb.rt.NewArray(items...)
	case []map[string]any:
		items := make([]any, len(x))
		for i, e := range x {
			items[i] = sb.plain(e)
		}
		return sb.rt.NewArray(items...)
	case map[string]any:
		obj := sb.rt.NewObject()
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			obj.Set(k, sb.plain(x[k]))
		}
		return obj
	}
	return sb.rt.ToValue(x)
}

// callCatching calls f and recovers a Go panic from it as fault, memory
// faults included: Cayley reads a bolt store through its memory map.
func callCatching(f goja.Callable, this goja.Value, args []goja.Value) (v goja.Value, err error, fault any) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { fault = recover() }()
	v, err = f(this, args...)
	return v, err, nil
}

// prepare readies the sandbox for one query: it clears an interrupt left
// by the last query, bounds recursion, binds the parameters and keeps the
// text for the runner.
func (sb *sandbox) prepare(text string, opt QueryOptions, memBound uint64) error {
	if err := checkSource(text); err != nil {
		return &fail.Error{Code: fail.Invalid, Msg: "query", Err: err}
	}
	sb.rt.ClearInterrupt()
	sb.rt.SetMaxCallStackSize(maxCallDepth)
	if err := bindParams(sb.rt, opt.Params); err != nil {
		return err
	}
	sb.source, sb.armed, sb.repl = text, true, opt.REPL
	sb.maxBytes, sb.memBound = opt.MaxBytes, memBound
	sb.failureMu.Lock()
	sb.failure = nil
	sb.failureMu.Unlock()
	sb.joining = sb.joining[:0]
	return nil
}

// Execute runs the query prepare kept, through Cayley's session.
func (sb *sandbox) Execute(ctx context.Context, text string, opt query.Options) (query.Iterator, error) {
	return sb.session.Execute(ctx, text, opt)
}

// outcome is what stopped the last query from the Go side, if anything.
func (sb *sandbox) outcome() error {
	sb.failureMu.Lock()
	defer sb.failureMu.Unlock()
	return sb.failure
}

// fail records err as what stopped the query, unless something did
// already (a damaged store stays the reason), and returns the reason.
func (sb *sandbox) fail(err error) error {
	sb.failureMu.Lock()
	defer sb.failureMu.Unlock()
	if sb.failure == nil {
		sb.failure = err
	}
	return sb.failure
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

// maxErrorText bounds the message of an error a query throws, as the
// answer repeats it.
const maxErrorText = 4 << 10

// run is the runner: it compiles and runs the query prepare kept, once.
// What the query throws reaches Cayley as a Go error with the message
// only: Cayley would copy a thrown value into Go recursively. The value
// the program ends with is shown by the REPL, as a copy (see replValue).
func (sb *sandbox) run(goja.FunctionCall) goja.Value {
	if !sb.armed {
		panic(sb.rt.NewTypeError("%s is not for queries to call", runnerName))
	}
	sb.armed = false
	prog, err := goja.Compile("", sb.source, false)
	if err != nil {
		sb.fail(&fail.Error{Code: fail.Invalid, Msg: "query", Err: err})
		panic(sb.rt.NewGoError(err))
	}
	var v goja.Value
	_, err, fault := callCatching(func(goja.Value, ...goja.Value) (goja.Value, error) {
		var err error
		v, err = sb.rt.RunProgram(prog)
		return v, err
	}, nil, nil)
	if fault != nil {
		if isFault(fault) {
			panic(sb.rt.NewGoError(sb.fail(damaged(fault))))
		}
		panic(sb.rt.NewGoError(sb.fail(fail.Errorf(fail.Invalid, "query stopped: the JavaScript engine failed on it: %v", fault))))
	}
	var ex *goja.Exception
	if errors.As(err, &ex) {
		msg := ex.Error()
		if len(msg) > maxErrorText {
			msg = msg[:maxErrorText] + "…"
		}
		panic(sb.rt.NewGoError(sb.fail(&fail.Error{Code: fail.Invalid, Msg: "query", Err: errors.New(msg)})))
	}
	if err != nil {
		panic(err) // an interrupt or the call stack limit, as they were
	}
	if !sb.repl {
		return goja.Undefined()
	}
	return sb.replValue(v)
}

// replValue is the value a program ends with as the REPL shows it: a copy
// of its data, or Cayley's own object for a path (which the REPL shows as
// an iterator).
func (sb *sandbox) replValue(v goja.Value) goja.Value {
	if target, ok := unguard(v); ok {
		return target
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return v
	}
	if _, ok := goja.AssertFunction(o); ok {
		return sb.rt.ToValue("[function]")
	}
	data, err := sb.snapshot(o)
	if err != nil {
		return sb.rt.ToValue(fmt.Sprintf("[cannot show: %v]", err))
	}
	return sb.rt.ToValue(data)
}
