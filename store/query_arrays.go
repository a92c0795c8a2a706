package store

import (
	"strconv"

	"github.com/dop251/goja"
)

// length is ToLength of o.length, read once.
func length(o *goja.Object) int64 {
	v := o.Get("length")
	if v == nil {
		return 0
	}
	n := toInteger(v)
	return int64(max(0, min(n, 1<<53-1)))
}

// genuineArray reports whether v is an Array, not a Proxy of one: its
// length is a data property, which no code runs to read.
func genuineArray(v goja.Value) (*goja.Object, bool) {
	o, ok := v.(*goja.Object)
	if !ok || o.ClassName() != "Array" || o.ExportType() != typeSlice {
		return nil, false
	}
	return o, true
}

// arrayLoops are the methods of Array.prototype whose Go code loops over
// the array's length, and whether each changes the array. join,
// toLocaleString, flat, flatMap and concat, which also walk the arrays in
// the array or in the arguments, are rewritten instead.
var arrayLoops = map[string]bool{
	"copyWithin": true, "every": false, "fill": true, "filter": false,
	"find": false, "findIndex": false, "findLast": false, "findLastIndex": false,
	"forEach": false, "includes": false, "indexOf": false, "lastIndexOf": false,
	"map": false, "reduce": false, "reduceRight": false, "reverse": true,
	"shift": true, "slice": false, "some": false, "sort": true, "splice": true,
	"toReversed": false, "toSorted": false, "toSpliced": false, "unshift": true,
	"with": false,
}

// boundLoop bounds a method of Array.prototype that loops over the array:
// an array of more than maxElements (a sparse one may claim four billion)
// is refused. Anything else that is not an array is copied first, length
// and elements read once, and a method that changes the array refuses it.
func (sb *sandbox) boundLoop(name string, mutates bool, orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		this := sb.receiver(c.This, "Array.prototype."+name, mutates)
		args := c.Arguments
		if name == "with" && len(args) > 0 {
			// with converts its index before it reads the length: convert
			// it here, so that no code runs in between.
			args = append([]goja.Value{sb.rt.ToValue(toInteger(args[0]))}, args[1:]...)
		}
		return sb.call(orig, this, args...)
	}
}

// receiver is what a method of Array.prototype works on: this if it is an
// array of at most maxElements, else a copy of it (see arrayLike).
func (sb *sandbox) receiver(this goja.Value, what string, mutates bool) goja.Value {
	if o, ok := genuineArray(this); ok {
		if n := length(o); n > maxElements {
			panic(sb.tooMany(what, n))
		}
		return o
	}
	if this == nil || goja.IsUndefined(this) || goja.IsNull(this) {
		panic(sb.rt.NewTypeError("%s called on null or undefined", what))
	}
	if mutates {
		panic(sb.rt.NewTypeError("%s in a query changes arrays only, not other objects", what))
	}
	return sb.arrayLike(this, what)
}

// arrayLike copies an array-like value into a new array: its length read
// once and at most maxElements, each element read once, holes kept.
func (sb *sandbox) arrayLike(v goja.Value, what string) *goja.Object {
	o := v.ToObject(sb.rt)
	n := length(o)
	if n > maxElements {
		panic(sb.tooMany(what, n))
	}
	out := sb.rt.NewArray()
	for i := int64(0); i < n; i++ {
		sb.checkpoint()
		k := strconv.FormatInt(i, 10)
		if e := o.Get(k); e != nil {
			out.DefineDataProperty(k, e, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		}
	}
	out.Set("length", n)
	return out
}

// iterable copies the values an iterable yields into a new array, at most
// maxElements of them, iterating once; an object that is not iterable is
// copied as array-like.
func (sb *sandbox) iterable(o *goja.Object, what string) *goja.Object {
	m := o.GetSymbol(goja.SymIterator)
	if m == nil || goja.IsUndefined(m) || goja.IsNull(m) {
		return sb.arrayLike(o, what)
	}
	method, ok := goja.AssertFunction(m)
	if !ok {
		panic(sb.rt.NewTypeError("%s: the value is not iterable", what))
	}
	it, ok := sb.call(method, o).(*goja.Object)
	if !ok {
		panic(sb.rt.NewTypeError("%s: the iterator is not an object", what))
	}
	next, ok := goja.AssertFunction(it.Get("next"))
	if !ok {
		panic(sb.rt.NewTypeError("%s: the iterator has no next method", what))
	}
	out := sb.rt.NewArray()
	for n := int64(0); ; n++ {
		sb.checkpoint()
		r, ok := sb.call(next, it).(*goja.Object)
		if !ok {
			panic(sb.rt.NewTypeError("%s: the iterator's result is not an object", what))
		}
		if done := r.Get("done"); done != nil && done.ToBoolean() {
			break
		}
		if n >= maxElements {
			panic(sb.tooMany(what, n+1))
		}
		v := r.Get("value")
		if v == nil {
			v = goja.Undefined()
		}
		out.DefineDataProperty(strconv.FormatInt(n, 10), v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	return out
}

// elementSource is what Array.from and the typed arrays take their elements
// from, bounded: an array or typed array as it is, a string of at most
// maxElements, anything else copied (see iterable).
func (sb *sandbox) elementSource(v goja.Value, what string) goja.Value {
	switch x := v.(type) {
	case *goja.Object:
		if o, ok := genuineArray(x); ok {
			if n := length(o); n > maxElements {
				panic(sb.tooMany(what, n))
			}
			return o
		}
		if isTypedArray(x) {
			return x
		}
		return sb.iterable(x, what)
	case goja.String:
		if n := int64(x.Length()); n > maxElements {
			panic(sb.tooMany(what, n))
		}
	}
	return v
}

func (sb *sandbox) boundFrom(what string) func(goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			args := append([]goja.Value{sb.elementSource(c.Argument(0), what)}, c.Arguments[min(1, len(c.Arguments)):]...)
			return sb.call(orig, c.This, args...)
		}
	}
}

// boundApply bounds apply and construct, whose Go code makes a list of
// the arguments at once: argument list is their argument at index list.
func (sb *sandbox) boundApply(what string, list int) func(goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			args := append([]goja.Value(nil), c.Arguments...)
			if list < len(args) {
				if o, ok := args[list].(*goja.Object); ok {
					if a, ok := genuineArray(o); ok {
						if n := length(a); n > maxElements {
							panic(sb.tooMany(what, n))
						}
					} else {
						args[list] = sb.arrayLike(o, what)
					}
				}
			}
			return sb.call(orig, c.This, args...)
		}
	}
}

// join is Array.prototype.join, or toLocaleString with locale, in Go with
// bounds: goja's join recurses in Go into arrays in the array (through
// their toString), so an array nested a million deep overflowed the
// stack. Here the nesting is bounded, an array inside itself joins as ""
// as engines do, and the string is bounded by maxString.
func (sb *sandbox) join(this, sep goja.Value, locale bool) goja.Value {
	what := "Array.prototype.join"
	if locale {
		what = "Array.prototype.toLocaleString"
	}
	if this == nil || goja.IsUndefined(this) || goja.IsNull(this) {
		panic(sb.rt.NewTypeError("%s called on null or undefined", what))
	}
	o := this.ToObject(sb.rt)
	for _, a := range sb.joining {
		if a == o {
			return sb.rt.ToValue("")
		}
	}
	if len(sb.joining) >= maxNesting {
		panic(sb.rangeErrorf("%s: arrays nested deeper than %d levels", what, maxNesting))
	}
	sb.joining = append(sb.joining, o)
	defer func() { sb.joining = sb.joining[:len(sb.joining)-1] }()
	n := length(o)
	if n > maxElements {
		panic(sb.tooMany(what, n))
	}
	sepStr := sb.asString(sb.rt.ToValue(","))
	if !locale && !goja.IsUndefined(sep) {
		sepStr = sb.asString(sep)
	}
	sepLen := strLen(sepStr)
	if n > 0 && float64(n-1)*float64(sepLen) > maxString {
		panic(sb.tooLong())
	}
	var b goja.StringBuilder
	total := int64(0)
	for i := int64(0); i < n; i++ {
		sb.checkpoint()
		if i > 0 {
			b.WriteString(sepStr)
			total += sepLen
		}
		e := o.Get(strconv.FormatInt(i, 10))
		if e == nil || goja.IsUndefined(e) || goja.IsNull(e) {
			continue
		}
		if locale {
			f, ok := goja.AssertFunction(e.ToObject(sb.rt).Get("toLocaleString"))
			if !ok {
				panic(sb.rt.NewTypeError("toLocaleString is not a function"))
			}
			e = sb.call(f, e)
		}
		s := sb.asString(e)
		if total += int64(s.Length()); total > maxString {
			panic(sb.tooLong())
		}
		b.WriteString(s)
	}
	return b.String()
}

// arrayOf reports whether v is an array for flattening and
// concatenating: an Array, or a Proxy of one, which is copied.
func (sb *sandbox) arrayOf(v goja.Value) (*goja.Object, bool) {
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, false
	}
	if a, ok := genuineArray(o); ok {
		return a, true
	}
	for t := o; t.ExportType() == typeProxy; {
		t = t.Export().(goja.Proxy).Target()
		if t == nil {
			return nil, false
		}
		if _, ok := genuineArray(t); ok {
			return sb.arrayLike(o, "a Proxy of an array"), true
		}
	}
	return nil, false
}

// flattener builds the array of flat, flatMap and concat, in Go with
// bounds: goja's flat recurses in Go into nested arrays and loops over
// each one's length.
type flattener struct {
	sb  *sandbox
	out *goja.Object
	n   int64
	src string
}

func (f *flattener) add(v goja.Value) {
	if f.n >= maxElements {
		panic(f.sb.tooMany(f.src, f.n+1))
	}
	f.out.DefineDataProperty(strconv.FormatInt(f.n, 10), v, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	f.n++
}

// flatten adds the elements of src, flattening arrays in it depth levels.
func (f *flattener) flatten(src *goja.Object, depth float64, level int) {
	if level >= maxNesting {
		panic(f.sb.rangeErrorf("%s: arrays nested deeper than %d levels", f.src, maxNesting))
	}
	n := length(src)
	if n > maxElements {
		panic(f.sb.tooMany(f.src, n))
	}
	for i := int64(0); i < n; i++ {
		f.sb.checkpoint()
		e := src.Get(strconv.FormatInt(i, 10))
		if e == nil {
			continue // a hole
		}
		if a, ok := f.sb.arrayOf(e); ok && depth >= 1 {
			f.flatten(a, depth-1, level+1)
			continue
		}
		f.add(e)
	}
}

func (sb *sandbox) flat(c goja.FunctionCall) goja.Value {
	this := sb.receiver(c.This, "Array.prototype.flat", false).(*goja.Object)
	depth := 1.0
	if d := c.Argument(0); !goja.IsUndefined(d) {
		depth = toInteger(d)
	}
	f := &flattener{sb: sb, out: sb.rt.NewArray(), src: "Array.prototype.flat"}
	f.flatten(this, depth, 0)
	return f.out
}

func (sb *sandbox) flatMap(c goja.FunctionCall) goja.Value {
	this := sb.receiver(c.This, "Array.prototype.flatMap", false).(*goja.Object)
	fn, ok := goja.AssertFunction(c.Argument(0))
	if !ok {
		panic(sb.rt.NewTypeError("Array.prototype.flatMap: the callback is not a function"))
	}
	f := &flattener{sb: sb, out: sb.rt.NewArray(), src: "Array.prototype.flatMap"}
	n := length(this)
	for i := int64(0); i < n; i++ {
		sb.checkpoint()
		k := strconv.FormatInt(i, 10)
		e := this.Get(k)
		if e == nil {
			continue
		}
		r := sb.call(fn, c.Argument(1), e, sb.rt.ToValue(i), this)
		if a, ok := sb.arrayOf(r); ok {
			f.flatten(a, 0, 1)
			continue
		}
		f.add(r)
	}
	return f.out
}

// concat is Array.prototype.concat in Go: goja's reads whether each
// argument is spreadable, then reads it again to spread it, and a getter
// could answer differently; here each is read once, and the result holds
// at most maxElements.
func (sb *sandbox) concat(c goja.FunctionCall) goja.Value {
	what := "Array.prototype.concat"
	if c.This == nil || goja.IsUndefined(c.This) || goja.IsNull(c.This) {
		panic(sb.rt.NewTypeError("%s called on null or undefined", what))
	}
	f := &flattener{sb: sb, out: sb.rt.NewArray(), src: what}
	for _, v := range append([]goja.Value{c.This.ToObject(sb.rt)}, c.Arguments...) {
		o, ok := v.(*goja.Object)
		if !ok {
			f.add(v)
			continue
		}
		spread := o.GetSymbol(goja.SymIsConcatSpreadable)
		var a *goja.Object
		switch {
		case spread != nil && !goja.IsUndefined(spread):
			if spread.ToBoolean() {
				a = sb.arrayLike(o, what)
			}
		default:
			a, _ = sb.arrayOf(o)
		}
		if a == nil {
			f.add(o)
			continue
		}
		n := length(a)
		if f.n+n > maxElements {
			panic(sb.tooMany(what, f.n+n))
		}
		for i := int64(0); i < n; i++ {
			sb.checkpoint()
			if e := a.Get(strconv.FormatInt(i, 10)); e != nil {
				f.out.DefineDataProperty(strconv.FormatInt(f.n+i, 10), e, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			}
		}
		f.n += n
	}
	f.out.Set("length", f.n)
	return f.out
}

// interruptibleIterators puts JavaScript functions in front of the next
// methods of the array, string and regular expression iterators. goja's
// spread ([...a], f(...a)) and other Go loops step iterators by calling
// next; when next is JavaScript, an interrupt lands there, and
// [...new Array(2**32-1)] stops when its query is stopped instead of
// filling the heap for minutes.
func (sb *sandbox) interruptibleIterators() error {
	_, err := sb.rt.RunProgram(iteratorsProgram)
	return err
}

var iteratorsProgram = goja.MustCompile("iterators.js", `(function () {
	var bind = Function.prototype.bind, call = Function.prototype.call;
	var defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf;
	[getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(""[Symbol.iterator]()), getPrototypeOf(/x/[Symbol.matchAll](""))].forEach(function (proto) {
		var next = bind.call(call, proto.next);
		defineProperty(proto, "next", {value: {next: function () { return next(this) }}.next, writable: true, configurable: true});
	});
})()`, true)
