package store

import (
	"fmt"
	"math"

	"github.com/dop251/goja"
)

// Bounds on what one call of a built-in may do in a query. goja runs its
// built-ins in Go, where an interrupt does not reach: "x".repeat(1e10)
// would take ten gigabytes in one step, and new Array(2**32-1).fill(1)
// runs for minutes after its query's answer and grows the heap to the
// machine's end. Bounded, each call ends within about a second.
const (
	// maxString bounds the strings that built-ins build, in UTF-16 units,
	// as JavaScript engines bound theirs, if lower: goja builds some a
	// piece at a time ("x".repeat(2**28) loops 268 million times), and a
	// query's results are bounded at 16 MiB anyway.
	maxString = 1 << 24
	// maxElements bounds the elements a built-in loops over or makes in one
	// call: the length of an array a method of Array.prototype works on,
	// the length of a typed array, the characters of a JSON text.
	maxElements = 1 << 24
	// maxSourceBrackets bounds the opening brackets of source code a query
	// compiles (its own text, eval, new Function): goja's parser recurses
	// once per level of brackets, 3 KiB of Go stack a level, and at a
	// few hundred thousand levels the stack overflows and the process ends.
	// Every bracket counts, nested or not, strings and comments included:
	// a count that tried to skip strings could be fooled into skipping code.
	maxSourceBrackets = 1 << 14
	// checkpointEvery is how many steps a Go loop of the sandbox takes
	// between two chances for an interrupt to land (see checkpoint).
	checkpointEvery = 1 << 10
)

// installBuiltins bounds the built-ins of the runtime that would otherwise
// run away in Go. Each replacement converts its arguments once, checks the
// bound, and calls the original with the converted values, so that a
// getter or a valueOf that answers differently the second time cannot slip
// a larger size past the check.
func (sb *sandbox) installBuiltins() error {
	rt := sb.rt
	global := rt.GlobalObject()
	str, arr := sb.stringProto, sb.arrayProto
	for name, wrap := range map[string]func(goja.Callable) func(goja.FunctionCall) goja.Value{
		"repeat":     sb.boundRepeat,
		"padStart":   sb.boundPad("padStart"),
		"padEnd":     sb.boundPad("padEnd"),
		"split":      sb.boundSplit,
		"replace":    sb.boundReplace("replace"),
		"replaceAll": sb.boundReplace("replaceAll"),
		"match":      sb.boundMatch("match"),
	} {
		if err := sb.replace(str, name, wrap); err != nil {
			return err
		}
	}
	regexpProto := global.Get("RegExp").ToObject(rt).Get("prototype").ToObject(rt)
	for sym, wrap := range map[*goja.Symbol]func(goja.Callable) func(goja.FunctionCall) goja.Value{
		goja.SymSplit:   sb.boundRegexpSplit,
		goja.SymReplace: sb.boundRegexpReplace,
		goja.SymMatch:   sb.boundMatch("[Symbol.match]"),
	} {
		orig, ok := goja.AssertFunction(regexpProto.GetSymbol(sym))
		if !ok {
			return fmt.Errorf("RegExp.prototype[%s] is not a function", sym)
		}
		f := sb.native(wrap(orig), regexpProto.GetSymbol(sym).ToObject(rt))
		if err := regexpProto.DefineDataPropertySymbol(sym, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}

	for name, mutates := range arrayLoops {
		if err := sb.replace(arr, name, func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
			return sb.boundLoop(name, mutates, orig)
		}); err != nil {
			return err
		}
	}
	for name, f := range map[string]func(goja.FunctionCall) goja.Value{
		"join":           func(c goja.FunctionCall) goja.Value { return sb.join(c.This, c.Argument(0), false) },
		"toLocaleString": func(c goja.FunctionCall) goja.Value { return sb.join(c.This, goja.Undefined(), true) },
		"flat":           sb.flat,
		"flatMap":        sb.flatMap,
		"concat":         sb.concat,
	} {
		if err := sb.replace(arr, name, func(goja.Callable) func(goja.FunctionCall) goja.Value { return f }); err != nil {
			return err
		}
	}
	array := global.Get("Array").ToObject(rt)
	if err := sb.replace(array, "from", sb.boundFrom("Array.from")); err != nil {
		return err
	}
	if err := sb.replace(sb.functionProto, "apply", sb.boundApply("Function.prototype.apply", 1)); err != nil {
		return err
	}
	reflectObj := global.Get("Reflect").ToObject(rt)
	if err := sb.replace(reflectObj, "apply", sb.boundApply("Reflect.apply", 2)); err != nil {
		return err
	}
	if err := sb.replace(reflectObj, "construct", sb.boundApply("Reflect.construct", 1)); err != nil {
		return err
	}
	json := global.Get("JSON").ToObject(rt)
	if err := sb.replace(json, "parse", sb.boundParse); err != nil {
		return err
	}
	if err := sb.replace(json, "stringify", sb.boundStringify); err != nil {
		return err
	}
	if err := sb.replace(global, "eval", sb.boundEval); err != nil {
		return err
	}
	if err := sb.boundCompilers(); err != nil {
		return err
	}
	if err := sb.boundBuffers(); err != nil {
		return err
	}
	return sb.interruptibleIterators()
}

// replace puts a Go function in the place of the method name of obj, with
// the name and length of the method it replaces; wrap gets the original.
func (sb *sandbox) replace(obj *goja.Object, name string, wrap func(goja.Callable) func(goja.FunctionCall) goja.Value) error {
	v := obj.Get(name)
	orig, ok := goja.AssertFunction(v)
	if !ok {
		return fmt.Errorf("%s is not a function", name)
	}
	f := sb.native(wrap(orig), v.ToObject(sb.rt))
	return obj.DefineDataProperty(name, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// native makes f a JavaScript function named and sized as like.
func (sb *sandbox) native(f any, like *goja.Object) *goja.Object {
	o := sb.rt.ToValue(f).(*goja.Object)
	o.DefineDataProperty("name", like.Get("name"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	o.DefineDataProperty("length", like.Get("length"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return o
}

// call calls f and throws what it throws.
func (sb *sandbox) call(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
	v, err := f(this, args...)
	if err != nil {
		panic(err)
	}
	return v
}

// checkpoint lets an interrupt of the runtime land in a Go loop: every
// checkpointEvery calls it calls a JavaScript function, and goja checks
// for an interrupt whenever it runs JavaScript.
func (sb *sandbox) checkpoint() {
	sb.ticks++
	if sb.ticks < checkpointEvery {
		return
	}
	sb.ticks = 0
	sb.call(sb.tick, goja.Undefined())
}

// rangeErrorf is a RangeError to throw.
func (sb *sandbox) rangeErrorf(format string, args ...any) *goja.Object {
	o, err := sb.rt.New(sb.rangeError, sb.rt.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	return o
}

// syntaxErrorf is a SyntaxError to throw.
func (sb *sandbox) syntaxErrorf(format string, args ...any) *goja.Object {
	o, err := sb.rt.New(sb.syntaxError, sb.rt.ToValue(fmt.Sprintf(format, args...)))
	if err != nil {
		panic(err)
	}
	return o
}

// tooLong is the error of a string past maxString, in the words browsers use.
func (sb *sandbox) tooLong() *goja.Object {
	return sb.rangeErrorf("Invalid string length: the query asks for a string longer than %d", maxString)
}

// tooMany is the error of a built-in asked to handle more than maxElements.
func (sb *sandbox) tooMany(what string, n int64) *goja.Object {
	return sb.rangeErrorf("%s of %d elements: a query's built-ins take at most %d at once", what, n, maxElements)
}

// reserve throws when allocating n bytes at once would take the heap past
// the query's memory bound: the heap watcher looks only every few
// milliseconds, and one allocation can take gigabytes in between.
func (sb *sandbox) reserve(n int64, what string) {
	if n > 0 && heapInUse()+uint64(n) > sb.memBound {
		panic(sb.rangeErrorf("%s: %s at once would pass the query's memory limit; narrow it", what, byteSize(n)))
	}
}

// toInteger is ToIntegerOrInfinity, as a float so that Infinity stays one.
func toInteger(v goja.Value) float64 {
	if v == nil {
		return 0
	}
	f := v.ToFloat()
	if math.IsNaN(f) {
		return 0
	}
	return math.Trunc(f)
}

// strLen is the length of a string value in UTF-16 units.
func strLen(v goja.Value) int64 {
	if s, ok := v.(goja.String); ok {
		return int64(s.Length())
	}
	return int64(len(v.String()))
}

// asString is ToString of v, once, as a goja string: goja's ToString
// leaves a number a number.
func (sb *sandbox) asString(v goja.Value) goja.String {
	s := v.ToString()
	if gs, ok := s.(goja.String); ok {
		return gs
	}
	return sb.rt.ToValue(s.String()).(goja.String)
}
