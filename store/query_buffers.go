package store

import (
	"math"
	"reflect"

	"github.com/dop251/goja"
)

// isTypedArray reports whether o is a typed array, whose length no code
// can change and which holds at most maxElements (see boundBuffers).
func isTypedArray(o *goja.Object) bool {
	t := o.ExportType()
	return t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Interface
}

// construct calls the constructor orig that wrapper replaces, as new
// would with newTarget, so that subclasses keep their prototypes.
func (sb *sandbox) construct(orig, wrapper, newTarget *goja.Object, args []any) *goja.Object {
	if newTarget == nil || newTarget == wrapper {
		newTarget = orig
	}
	o, ok := sb.call(sb.reflectConstruct, goja.Undefined(), orig, sb.rt.NewArray(args...), newTarget).(*goja.Object)
	if !ok {
		panic(sb.rt.NewTypeError("a constructor returned no object"))
	}
	return o
}

// swapConstructor makes wrapper stand for orig: same prototype object,
// which names wrapper as its constructor, same parent (for inherited
// statics such as the typed arrays' from), same own static properties.
func (sb *sandbox) swapConstructor(orig, wrapper *goja.Object) error {
	proto := orig.Get("prototype")
	if err := wrapper.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := proto.ToObject(sb.rt).DefineDataProperty("constructor", wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if err := wrapper.SetPrototype(orig.Prototype()); err != nil {
		return err
	}
	for _, k := range orig.GetOwnPropertyNames() {
		switch k {
		case "prototype", "name", "length":
			continue
		}
		if err := wrapper.DefineDataProperty(k, orig.Get(k), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	return nil
}

// typedArrays are the typed array constructors goja has.
var typedArrays = []string{"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
	"Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"}

// boundBuffers bounds ArrayBuffer and the typed arrays: their Go code
// allocates the whole buffer at once, which the heap watcher sees only
// after the fact, and a typed array's methods loop over all of it in Go.
// A buffer counts against the query's memory bound before it is made
// (new ArrayBuffer(2147483647) took 2 GiB unseen), and a typed array holds
// at most maxElements.
func (sb *sandbox) boundBuffers() error {
	global := sb.rt.GlobalObject()
	orig := global.Get("ArrayBuffer").ToObject(sb.rt)
	var wrapper *goja.Object
	wrapper = sb.native(func(c goja.ConstructorCall) *goja.Object {
		n := toInteger(c.Argument(0))
		sb.reserve(int64(min(n, math.MaxInt64/2)), "new ArrayBuffer")
		args := []any{n}
		if len(c.Arguments) > 1 {
			args = append(args, c.Arguments[1])
		}
		return sb.construct(orig, wrapper, c.NewTarget, args)
	}, orig)
	if err := sb.swapConstructor(orig, wrapper); err != nil {
		return err
	}
	if err := global.DefineDataProperty("ArrayBuffer", wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	for _, name := range typedArrays {
		v := global.Get(name)
		if v == nil {
			continue
		}
		orig := v.ToObject(sb.rt)
		size := orig.Get("BYTES_PER_ELEMENT").ToInteger()
		var wrapper *goja.Object
		wrapper = sb.native(func(c goja.ConstructorCall) *goja.Object {
			args, n := sb.typedArrayArgs(c.Arguments, size, "new "+name)
			if n > maxElements {
				panic(sb.tooMany("new "+name, n))
			}
			sb.reserve(n*size, "new "+name)
			return sb.construct(orig, wrapper, c.NewTarget, args)
		}, orig)
		if err := sb.swapConstructor(orig, wrapper); err != nil {
			return err
		}
		if err := global.DefineDataProperty(name, wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return err
		}
	}
	// from on every typed array constructor is %TypedArray%.from.
	typedArray := global.Get("Uint8Array").ToObject(sb.rt).Prototype()
	return sb.replace(typedArray, "from", sb.boundFrom("TypedArray.from"))
}

// typedArrayArgs converts the arguments of a typed array constructor once
// and returns them with the number of elements the array will have.
func (sb *sandbox) typedArrayArgs(in []goja.Value, size int64, what string) ([]any, int64) {
	arg := goja.Undefined()
	if len(in) > 0 {
		arg = in[0]
	}
	o, ok := arg.(*goja.Object)
	if !ok {
		n := toInteger(arg)
		return []any{n}, int64(min(max(n, 0), math.MaxInt64/16))
	}
	if o.ExportType() == typeArrayBuffer {
		// A view: no allocation, but as many elements as the buffer holds.
		bytes := int64(len(o.Export().(goja.ArrayBuffer).Bytes()))
		offset := 0.0
		if len(in) > 1 {
			offset = toInteger(in[1])
		}
		n := (float64(bytes) - offset) / float64(size)
		args := []any{o, offset}
		if len(in) > 2 && !goja.IsUndefined(in[2]) {
			n = toInteger(in[2])
			args = append(args, n)
		}
		return args, int64(min(max(n, 0), math.MaxInt64/16))
	}
	src := sb.elementSource(o, what)
	if so, ok := src.(*goja.Object); ok && isTypedArray(so) {
		return []any{so}, int64(reflect.ValueOf(so.Export()).Len())
	}
	return []any{src}, length(src.ToObject(sb.rt))
}
