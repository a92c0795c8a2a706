package store

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/dop251/goja"
)

// boundParse bounds JSON.parse: goja's parser recurses in Go once per
// level of nesting, and JSON.parse("[".repeat(3e6)) overflowed the stack.
func (sb *sandbox) boundParse(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		text := c.Argument(0).ToString()
		if n := strLen(text); n > maxElements {
			panic(sb.tooMany("JSON.parse of a text", n))
		}
		if d := jsonNesting(text.String()); d > maxNesting {
			panic(sb.syntaxErrorf("JSON.parse: the text nests %d levels deep; a query's JSON may nest %d", d, maxNesting))
		}
		return sb.call(orig, c.This, text, c.Argument(1))
	}
}

// jsonNesting is the deepest nesting of arrays and objects in a JSON text.
func jsonNesting(text string) int {
	depth, deepest, inString := 0, 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// boundStringify bounds JSON.stringify: goja's recurses in Go once per
// level, calling toJSON first, so a toJSON that returns a new object every
// time nests without end. A replacer of the sandbox's own sees every value
// before goja descends into it and refuses to pass maxNesting or to build
// more than maxString; the query's replacer, if any, runs first.
func (sb *sandbox) boundStringify(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		st := &stringifier{sb: sb, depth: map[*goja.Object]int{}}
		switch r := c.Argument(1).(type) {
		case *goja.Object:
			if f, ok := goja.AssertFunction(r); ok {
				st.replacer = f
			} else if a, ok := genuineArray(r); ok {
				st.keys = map[string]bool{}
				for _, k := range sb.arrayLike(a, "JSON.stringify's list of keys").Keys() {
					st.keys[a.Get(k).String()] = true
				}
			}
		}
		space := c.Argument(2)
		if o, ok := space.(*goja.Object); ok {
			switch o.ClassName() {
			case "Number":
				space = sb.rt.ToValue(o.ToFloat())
			case "String":
				space = o.ToString()
			}
		}
		switch {
		case space.ExportType() != nil && space.ExportType().Kind() == reflect.String:
			st.gap = min(10, strLen(space))
		case !goja.IsUndefined(space):
			st.gap = int64(min(10, max(0, toInteger(space))))
		}
		return sb.call(orig, c.This, c.Argument(0), sb.rt.ToValue(st.replace), space)
	}
}

// stringifier is one JSON.stringify in progress.
type stringifier struct {
	sb       *sandbox
	replacer goja.Callable
	keys     map[string]bool // the query's list of keys, if it gave one
	gap      int64
	depth    map[*goja.Object]int // of each object met, the outermost being 1
	size     int64                // of the text so far, roughly
	calls    int
}

func (st *stringifier) replace(c goja.FunctionCall) goja.Value {
	sb := st.sb
	sb.checkpoint()
	st.calls++
	holder, _ := c.This.(*goja.Object)
	key, v := c.Argument(0), c.Argument(1)
	if st.keys != nil && st.calls > 1 {
		if _, isArray := genuineArray(holder); !isArray && !st.keys[key.String()] {
			return goja.Undefined()
		}
	}
	if st.replacer != nil {
		v = sb.call(st.replacer, holder, key, v)
	}
	d := st.depth[holder] + 1
	st.size += strLen(key) + 4 + int64(d)*st.gap
	switch x := v.(type) {
	case *goja.Object:
		if d > maxNesting {
			panic(sb.rangeErrorf("JSON.stringify: the value nests deeper than %d levels", maxNesting))
		}
		st.depth[x] = d
	case goja.String:
		st.size += int64(x.Length()) + 2
	}
	if st.size > maxString {
		panic(sb.tooLong())
	}
	return v
}

// boundEval and boundCompilers bound the source code a query compiles at
// run time, as prepare bounds its own text (see checkSource). eval is
// called indirectly, as a plain function: it sees globals, not the
// caller's variables.
func (sb *sandbox) boundEval(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		src := c.Argument(0)
		if s, ok := src.(goja.String); ok {
			if err := checkSource(s.String()); err != nil {
				panic(sb.syntaxErrorf("%v", err))
			}
		}
		return sb.call(orig, goja.Undefined(), src)
	}
}

// checkSource bounds source code before goja parses it (see
// maxSourceBrackets).
func checkSource(src string) error {
	if n := strings.Count(src, "(") + strings.Count(src, "[") + strings.Count(src, "{"); n > maxSourceBrackets {
		return fmt.Errorf("the source has %d opening brackets; a query may have %d, nested or not", n, maxSourceBrackets)
	}
	return nil
}

var compilerPrototypes = goja.MustCompile("compilers.js", `[Function.prototype, Object.getPrototypeOf(function* () {}), Object.getPrototypeOf(async function () {})]`, true)

// boundCompilers bounds Function and its kin for generators and async
// functions, which compile their arguments.
func (sb *sandbox) boundCompilers() error {
	protos, err := sb.rt.RunProgram(compilerPrototypes)
	if err != nil {
		return err
	}
	list := protos.ToObject(sb.rt)
	for _, k := range list.Keys() {
		proto := list.Get(k).ToObject(sb.rt)
		orig := proto.Get("constructor").ToObject(sb.rt)
		var wrapper *goja.Object
		wrapper = sb.native(func(c goja.ConstructorCall) *goja.Object {
			args := make([]any, len(c.Arguments))
			var all strings.Builder
			for i, a := range c.Arguments {
				s := a.ToString()
				args[i] = s
				all.WriteString(s.String())
				all.WriteByte(' ')
			}
			if err := checkSource(all.String()); err != nil {
				panic(sb.syntaxErrorf("%v", err))
			}
			return sb.construct(orig, wrapper, c.NewTarget, args)
		}, orig)
		if err := sb.swapConstructor(orig, wrapper); err != nil {
			return err
		}
		if k == "0" {
			if err := sb.rt.GlobalObject().DefineDataProperty("Function", wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
				return err
			}
		}
	}
	return nil
}
