package storetest

import (
	"runtime"
	"strings"
	"time"
)

// GizmoAttack is a Gizmo query written to end the process that runs it, or
// to run on after its answer: each must end with an error that says one of
// Want, as a 4xx from the server and a usage error from the command.
type GizmoAttack struct {
	Name, Query string
	Want        []string // one of these is in the error message
}

// mkGetter defines mk, which makes an object whose property x is a getter
// that returns a new such object on every read: copied naively, it nests
// without end.
const mkGetter = `function mk() { return Object.defineProperty({}, "x", {enumerable: true, get: mk}) } `

// GizmoCrashes ended the process with a fatal Go stack overflow, panic or
// allocation, which no recover stops.
var GizmoCrashes = []GizmoAttack{
	{"a getter that answers itself from its second read", `var n = 0, o = {}; Object.defineProperty(o, "x", {enumerable: true, get: function () { n++; return n <= 1 ? 1 : o }}); g.Emit(o)`, []string{"getter"}},
	{"a getter that makes a new object every read", mkGetter + `g.Emit(mk())`, []string{"getter"}},
	{"such a getter passed to a path", mkGetter + `g.V().Has("<http://schema.org/name>", mk()).All()`, []string{"getter"}},
	{"such a getter passed to the graph", mkGetter + `g.V(mk()).All()`, []string{"getter"}},
	{"such a getter passed to iri", mkGetter + `g.V(iri(mk())).All()`, []string{"getter"}},
	{"such a getter passed to a filter", mkGetter + `g.V().Filter(lt(mk())).All()`, []string{"getter"}},
	{"a getter on an array", `var a = [1]; Object.defineProperty(a, 0, {get: function () { return [a] }}); g.Emit(a)`, []string{"getter"}},
	{"a getter on an array's element, as an argument", mkGetter + `var a = []; Object.defineProperty(a, 0, {enumerable: true, get: mk}); g.V(a).All()`, []string{"getter"}},
	{"such a getter thrown", mkGetter + `throw mk()`, []string{"[object Object]"}},
	{"such a getter as an error's property", mkGetter + `var e = new Error("deep"); e.deep = mk(); throw e`, []string{"deep"}},
	{"a Proxy whose every property is a new Proxy", `function p() { return new Proxy({}, {ownKeys: function () { return ["x"] }, getOwnPropertyDescriptor: function () { return {value: p(), enumerable: true, configurable: true} }, get: function () { return p() }}) } g.Emit(p())`, []string{"Proxy"}},
	{"a Proxy of an array", `g.Emit(new Proxy([1, 2], {}))`, []string{"Proxy"}},
	{"a Proxy passed to the graph", `g.V(new Proxy({}, {get: function () { return "<x>" }})).All()`, []string{"Proxy"}},
	{"toJSON that nests without end", `function mk() { return {toJSON: function () { return {a: mk()} }} } JSON.stringify(mk())`, []string{"nests deeper"}},
	{"a toJSON emitted", `g.Emit({toJSON: function () { return this }})`, []string{"function is not JSON"}},
	{"Maps nested ten thousand deep", `var m = new Map(); for (var i = 0; i < 1e4; i++) m = new Map([[0, m]]); g.Emit(m)`, []string{"Map is not JSON"}},
	{"Sets nested ten thousand deep", `var s = new Set(); for (var i = 0; i < 1e4; i++) s = new Set([s]); g.Emit(s)`, []string{"Set is not JSON"}},
	{"arrays nested ten thousand deep, emitted", `var a = []; for (var i = 0; i < 1e4; i++) a = [a]; g.Emit(a)`, []string{"nests deeper"}},
	{"arrays nested ten thousand deep, joined", `var a = []; for (var i = 0; i < 1e4; i++) a = [a]; String(a)`, []string{"nested deeper"}},
	{"arrays nested ten thousand deep, flattened", `var a = []; for (var i = 0; i < 1e4; i++) a = [a]; a.flat(Infinity)`, []string{"nested deeper"}},
	{"JSON nested three million deep", `var n = 3000000; JSON.parse("[".repeat(n) + "]".repeat(n)); g.Emit(1)`, []string{"nests 3000000 levels"}},
	{"source nested a million deep, in eval", `eval("(".repeat(1e6) + "1" + ")".repeat(1e6))`, []string{"opening brackets"}},
	{"source nested a million deep, in new Function", `new Function("return " + "[".repeat(1e6))`, []string{"opening brackets"}},
	{"source nested a million deep, in a generator's Function", `Object.getPrototypeOf(function* () {}).constructor("[".repeat(1e6))`, []string{"opening brackets"}},
	{"apply four billion", `g.Emit(Math.max.apply(null, {length: 4294967295}))`, []string{"at most"}},
	{"a typed array from four billion", `g.Emit(Float64Array.from({length: 4294967295}).length)`, []string{"at most"}},
	{"a Go panic in the engine", `g.Emit(String(BigInt.asUintN(2**53 - 1, -1n)).length)`, []string{"engine failed"}},
}

// GizmoRunaways ran in Go for minutes after their answer, out of reach of
// any interrupt, or took gigabytes in one step.
var GizmoRunaways = []GizmoAttack{
	{"fill four billion", `var a = new Array(4294967295); a.fill(1); g.Emit(a.length)`, []string{"at most"}},
	{"indexOf over four billion", `var a = [1]; a.length = 4294967295; g.Emit(a.indexOf(2))`, []string{"at most"}},
	{"join four billion", `g.Emit(new Array(4294967295).join("").length)`, []string{"at most"}},
	{"copy four billion", `g.Emit([].concat(new Array(4294967295)).length)`, []string{"at most"}},
	{"an array-like of four billion", `g.Emit(Array.prototype.indexOf.call({length: 4294967295}, 1))`, []string{"at most"}},
	{"Array.from four billion", `g.Emit(Array.from({length: 4294967295}).length)`, []string{"at most"}},
	{"spread four billion", `g.Emit([...new Array(4294967295)].length)`, []string{"memory", "time limit"}},
	{"split into 32 million", `var s = "x"; for (var i = 0; i < 25; i++) s += s; g.Emit(s.split("").length)`, []string{"at most"}},
	{"match 32 million", `var s = "x"; for (var i = 0; i < 25; i++) s += s; g.Emit(s.match(/x/g).length)`, []string{"at most"}},
	{"replace a million by a million", `var s = "x".repeat(1 << 20); g.Emit(s.replaceAll("x", s).length)`, []string{"Invalid string length"}},
	{"stringify an object nested ten thousand deep", `var o = {}; for (var i = 0; i < 1e4; i++) o = {a: o}; g.Emit(JSON.stringify(o).length)`, []string{"nests deeper"}},
	{"stringify a string into 32 million characters", `var s = "x".repeat(1 << 10), a = []; a.length = 1 << 15; g.Emit(JSON.stringify(a.fill(s)).length)`, []string{"Invalid string length", "time limit"}},
	{"a 2 GiB ArrayBuffer", `var b = new ArrayBuffer(2147483647); g.Emit(b.byteLength)`, []string{"memory"}},
	{"a typed array of four billion", `g.Emit(new Uint8Array(4294967295).length)`, []string{"at most", "memory"}},
}

// Wanted reports whether msg says one of a.Want.
func (a GizmoAttack) Wanted(msg string) bool {
	for _, w := range a.Want {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// QueryGoroutines counts the goroutines that run Gizmo queries: Cayley
// runs each in a goroutine of its own, started by its iterator's Next.
func QueryGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	return strings.Count(string(buf), "gizmo.(*results).Next.func1")
}

// WaitForQueryGoroutines waits up to within for every query goroutine to
// end and returns how many are left.
func WaitForQueryGoroutines(within time.Duration) int {
	deadline := time.Now().Add(within)
	for {
		n := QueryGoroutines()
		if n == 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}
