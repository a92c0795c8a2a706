package store

import (
	"reflect"
	"strconv"
	"time"

	"github.com/dop251/goja"
)

// maxNesting bounds how deep the values a query builds may nest where Go
// code walks them by recursion: values passed to the graph, JSON.parse and
// JSON.stringify, joins and flattening of nested arrays, and the brackets
// of source code. goja and Cayley recurse in Go once per level, and a Go
// stack that overflows ends the process.
const maxNesting = 1000

// Types goja exports JavaScript values as.
var (
	typeProxy       = reflect.TypeOf(goja.Proxy{})
	typeArrayBuffer = reflect.TypeOf(goja.ArrayBuffer{})
	typeMapEntries  = reflect.TypeOf([][2]any(nil))
	typeSlice       = reflect.TypeOf([]any(nil))
	typeMap         = reflect.TypeOf(map[string]any(nil))
	typeTime        = reflect.TypeOf(time.Time{})
)

// snapshot copies the data of o into Go values, reading each property once,
// as Cayley takes them: maps, slices, strings, numbers, booleans, nil, times,
// and Cayley's own values as they are. Cayley copies JavaScript values into
// Go by recursion, following getters and cycles: a getter that returns a
// new object on every read made it recurse until the Go stack overflowed
// and the process died. The copy here reads values, never calls a getter,
// and fails on:
//   - a getter or setter (an accessor property): it is code, not data;
//   - a value that contains itself, or nests deeper than maxNesting;
//   - a Proxy, a Map or a Set: not JSON data;
//   - a function inside the value;
//   - more than sb.maxBytes of data, roughly as JSON.
//
// The error is a JavaScript error to throw.
func (sb *sandbox) snapshot(o *goja.Object) (any, *goja.Object) {
	s := copier{sb: sb, budget: sb.maxBytes}
	return s.value(o)
}

// copier is one snapshot in progress.
type copier struct {
	sb     *sandbox
	budget int64          // bytes left, roughly as JSON
	path   []*goja.Object // the objects being copied, outermost first
}

func (s *copier) spend(n int64) *goja.Object {
	s.budget -= n
	if s.budget < 0 {
		return s.sb.rangeErrorf("a value passed to the graph passes %s (the size limit); narrow the query or set a limit", byteSize(s.sb.maxBytes))
	}
	return nil
}

func (s *copier) value(v goja.Value) (any, *goja.Object) {
	o, ok := v.(*goja.Object)
	if !ok {
		if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
			return nil, s.spend(4)
		}
		x := v.Export()
		if str, ok := x.(string); ok {
			return x, s.spend(int64(len(str)) + 2)
		}
		return x, s.spend(8)
	}
	if target, ok := unguard(o); ok {
		return target.Export(), s.spend(8)
	}
	for _, p := range s.path {
		if p == o {
			return nil, s.sb.rt.NewTypeError("a value that contains itself cannot be passed to the graph")
		}
	}
	if len(s.path) >= maxNesting {
		return nil, s.sb.rangeErrorf("a value passed to the graph nests deeper than %d levels", maxNesting)
	}
	s.sb.checkpoint()
	s.path = append(s.path, o)
	defer func() { s.path = s.path[:len(s.path)-1] }()

	t := o.ExportType()
	if _, ok := goja.AssertFunction(o); ok {
		return nil, s.sb.rt.NewTypeError("a function is not JSON data and cannot be passed to the graph")
	}
	switch {
	case t == typeProxy:
		return nil, s.sb.rt.NewTypeError("a Proxy is not JSON data; copy what it holds into a plain object")
	case t == typeMapEntries:
		return nil, s.sb.rt.NewTypeError("a Map is not JSON data; pass Object.fromEntries(map) or Array.from(map)")
	case t == typeSlice && o.ClassName() == "Array":
		return s.array(o)
	case t == typeSlice:
		// goja exports a Set, and nothing else a query can make, as a
		// slice of values.
		return nil, s.sb.rt.NewTypeError("a Set is not JSON data; pass Array.from(set)")
	case t == typeMap:
		return s.object(o)
	case t == typeTime, t == typeArrayBuffer:
		return o.Export(), s.spend(32)
	}
	switch o.ClassName() {
	case "Number", "String", "Boolean", "Symbol", "BigInt":
		x := o.Export()
		if str, ok := x.(string); ok {
			return x, s.spend(int64(len(str)) + 2)
		}
		return x, s.spend(8)
	}
	if isTypedArray(o) {
		// A typed array: numbers, exported as a Go slice of them.
		x := o.Export()
		return x, s.spend(int64(reflect.ValueOf(x).Len())*4 + 2)
	}
	if t != nil && (t.PkgPath() != "" || t.Kind() == reflect.Pointer && t.Elem().PkgPath() != "") {
		// A Go value Cayley made (an IRI, a filter): it holds no JavaScript.
		return o.Export(), s.spend(8)
	}
	return s.object(o)
}

func (s *copier) array(o *goja.Object) (any, *goja.Object) {
	n := o.Get("length").ToInteger()
	if err := s.spend(n + 2); err != nil { // a comma or bracket an element at least
		return nil, err
	}
	out := make([]any, n)
	for i := range out {
		v, err := s.property(o, strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		out[i], err = s.value(v)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *copier) object(o *goja.Object) (any, *goja.Object) {
	keys := o.Keys()
	out := make(map[string]any, len(keys))
	for _, k := range keys {
		if err := s.spend(int64(len(k)) + 4); err != nil {
			return nil, err
		}
		v, err := s.property(o, k)
		if err != nil {
			return nil, err
		}
		if out[k], err = s.value(v); err != nil {
			return nil, err
		}
	}
	return out, s.spend(2)
}

// property reads an own data property of o, without calling a getter; a
// property o lacks (a hole in an array) is undefined.
func (s *copier) property(o *goja.Object, key string) (goja.Value, *goja.Object) {
	desc, ok := s.sb.call(s.sb.getOwnPropertyDescriptor, goja.Undefined(), o, s.sb.rt.ToValue(key)).(*goja.Object)
	if !ok {
		return goja.Undefined(), nil
	}
	if g := desc.Get("get"); g != nil && !goja.IsUndefined(g) {
		return nil, s.sb.rt.NewTypeError("property %q has a getter: a getter is code, not data, and cannot be passed to the graph; copy the value into a plain object", key)
	}
	if st := desc.Get("set"); st != nil && !goja.IsUndefined(st) {
		return nil, s.sb.rt.NewTypeError("property %q has a setter: pass plain data to the graph", key)
	}
	return desc.Get("value"), nil
}
