package store

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/dop251/goja"
)

// TestGizmoRuntimeIsTheSessions checks the way gizmoRuntime reaches the
// JavaScript runtime of a Cayley Gizmo session, which Cayley keeps
// unexported: the runtime found must be the one the session runs queries
// in. If a new Cayley or goja breaks this, the error names their versions.
func TestGizmoRuntimeIsTheSessions(t *testing.T) {
	ctx := context.Background()
	s := gizmo.NewSession(memstore.New())
	rt, err := gizmoRuntime(ctx, s)
	if err != nil {
		t.Fatalf("%v", err)
	}
	rt.Set("fromGo", "seen")
	it, err := s.Execute(ctx, `g.Emit(fromGo); var fromQuery = "seen too"`, query.Options{Collation: query.JSON})
	if err != nil {
		t.Fatal(err)
	}
	var got []any
	for it.Next(ctx) {
		if v := it.Result(); v != nil {
			got = append(got, v)
		}
	}
	if it.Err() != nil || len(got) != 1 || got[0] != "seen" {
		t.Fatalf("the session sees %v (%v) of a global set through the runtime found (%s)", got, it.Err(), engineVersions())
	}
	if v := rt.Get("fromQuery"); v == nil || v.String() != "seen too" {
		t.Fatalf("the runtime found does not see the session's globals (%s)", engineVersions())
	}
	if rt.Get("__rustbelt_runtime__") != nil {
		t.Error("the probe was left in the global object")
	}
}

// TestBoundedBuiltinsKeepTheirMeaning runs the built-ins the sandbox
// replaces or bounds the way queries use them, and compares their answers
// with plain goja's: the bounds must change nothing below them.
func TestBoundedBuiltinsKeepTheirMeaning(t *testing.T) {
	exprs := []string{
		`"ab".repeat(3)`, `"7".padStart(3, "0") + "7".padEnd(2) + "|" + "x".padEnd(4, {toString: function () { return "ab" }})`,
		`[1, "b", null, undefined, [2, [3]]].join("-")`, `[].join()`, `[1, 2].join(0)`, `String([1, [2, [3, [4]]]])`,
		`var a = [1]; a.push(a); String(a)`, `[1, 2.5, new Date(0)].toLocaleString().length > 0`,
		`[1, [2, [3, [4]]]].flat()`, `[1, [2, [3, [4]]]].flat(Infinity)`, `[1, , 3].flat()`,
		`[1, 2].flatMap(function (x) { return [x, [x * 2]] })`,
		`[1].concat(2, [3, [4]], {length: 1, 0: "no"}, Object.assign({length: 2, 0: "a", 1: "b"}, {[Symbol.isConcatSpreadable]: true}))`,
		`[1, , 3].concat([, 5]).length`,
		`Array.from("héllo")`, `Array.from(new Set([1, 2, 2, 3]))`, `Array.from({length: 3}, function (_, i) { return i * i })`,
		`Array.from(new Map([[1, 2]]))`, `Array.from((function* () { yield 1; yield 2 })())`,
		`Math.max.apply(null, [1, 5, 3])`, `Math.max.apply(null, {length: 2, 0: 4, 1: 9})`,
		`Reflect.apply(Math.min, null, [4, 2])`, `Reflect.construct(Date, [0]).getTime()`,
		`class D extends Date {}; Reflect.construct(Date, [0], D) instanceof D`,
		`[...[1, 2, 3], ..."ab"]`, `Math.max(...[1, 7, 3])`, `[..."a1b2".matchAll(/\d/g)].map(function (m) { return m[0] })`,
		`var r = []; for (var x of [1, 2]) r.push(x); for (var c of "hi") r.push(c); r`,
		`[[1, 2], [3, 4]].map(function (p) { var [a, b] = p; return a + b })`,
		`JSON.parse('{"a": [1, {"b": "]}"}]}')`, `JSON.parse('[1, 2]', function (k, v) { return typeof v === "number" ? v * 10 : v })`,
		`JSON.stringify({a: [1, {b: 2}], c: "x"})`, `JSON.stringify({a: 1, b: [1, 2]}, null, 2)`,
		`JSON.stringify({a: 1, b: 2, c: {a: 3, d: 4}}, ["a", "c"])`,
		`JSON.stringify({a: 1, b: "x"}, function (k, v) { return typeof v === "number" ? v + 1 : v })`,
		`JSON.stringify({d: new Date(0), t: {toJSON: function () { return "tj" }}, u: undefined, f: function () {}})`,
		`JSON.stringify([new Number(3), new String("s")], null, new Number(1))`,
		`"a,b,,c".split(",")`, `"a,b,c".split(",", 2)`, `"abc".split("")`, `"a1b2c".split(/\d/)`, `"abc".split()`,
		`"aXbX".replace("X", "-")`, `"aXbX".replaceAll("X", "[$&]")`, `"john smith".replace(/(\w+)\s(\w+)/, "$2, $1")`,
		`"abc".replace(/b/, "$'$` + "`" + `")`, `"aaa".replace(/a/g, function (m, i) { return i })`,
		`"a1b22".match(/\d+/g)`, `"abc".match(/b/).index`, `"x".repeat(3).match("x").length`,
		`Array.prototype.slice.call({length: 2, 0: "a", 1: "b"})`, `Array.prototype.map.call("ab", function (c) { return c + c })`,
		`(function () { return Array.prototype.slice.call(arguments, 1) })(1, 2, 3)`,
		`[3, 1, 2].sort()`, `[3, 1, 2].toSorted()`, `[1, 2, 3].with(1, 9)`, `[1, 2, 3].indexOf(2)`, `[1, 2, 3].includes(4)`,
		`new Array(5).fill(0)`, `[1, 2, 3, 4].copyWithin(0, 2)`, `[1, 2, 3].reverse()`, `[1, 2, 3].splice(1, 1)`,
		`var u = new Uint8Array([1, 2, 300]); Array.from(u)`, `new Float64Array(3).length`, `Array.from(Uint8Array.from([1, 2]))`,
		`new Int16Array(new ArrayBuffer(8), 2, 2).length`, `new ArrayBuffer(16).byteLength`, `new Uint8Array(new Set([5, 6]))[1]`,
		`class U extends Uint8Array {}; var u = new U(2); [u instanceof U, u instanceof Uint8Array, u.length]`,
		`new Uint8Array(4).subarray(1).length`, `Uint8Array.BYTES_PER_ELEMENT + Float64Array.BYTES_PER_ELEMENT`,
		`ArrayBuffer.isView(new Uint8Array(1))`, `new Uint8Array(2).constructor === Uint8Array`,
		`eval("1 + 2")`, `new Function("a", "b", "return a * b")(6, 7)`, `Function("return 5")()`,
		`(function () {}).constructor === Function`, `Object.getPrototypeOf(function* () {}).constructor("yield 1")().next().value`,
		`typeof Object.getPrototypeOf(async function () {}).constructor("return 1")`,
		`[String.prototype.repeat.name, String.prototype.repeat.length, Array.prototype.join.name, JSON.parse.length]`,
	}
	sb, err := newSandbox(context.Background(), memstore.New())
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.prepare("", QueryOptions{MaxBytes: DefaultMaxResultBytes}, math.MaxUint64); err != nil {
		t.Fatal(err)
	}
	// A length that grows on its second read: the sandbox reads it once.
	if v, err := sb.rt.RunString(`var n = 0; Array.prototype.lastIndexOf.call({get length() { return n++ ? 4294967295 : 1 }}, 2)`); err != nil || v.ToInteger() != -1 {
		t.Errorf("lastIndexOf of a length that grows = %v, %v; want -1", v, err)
	}
	plain := goja.New()
	for _, expr := range exprs {
		want, err := plain.RunString("JSON.stringify((function () { return " + expr + " })())")
		if err != nil {
			// A statement, not an expression: the last value is the answer.
			want, err = plain.RunString(expr)
			if err == nil {
				want = plain.ToValue(mustJSON(t, want.Export()))
			}
		}
		if err != nil {
			t.Fatalf("%s in plain goja: %v", expr, err)
		}
		got, err := sb.rt.RunString("JSON.stringify((function () { return " + expr + " })())")
		if err != nil {
			got, err = sb.rt.RunString(expr)
			if err == nil {
				got = sb.rt.ToValue(mustJSON(t, got.Export()))
			}
		}
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got.String() != want.String() {
			t.Errorf("%s = %s, want %s as in plain goja", expr, got, want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
