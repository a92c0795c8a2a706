package graph

import (
	"reflect"
	"sync"
)

// cloneRow returns a copy of row that shares no slice, pointer or map with
// it, however deep: a row handed out from a cache is the caller's to
// change. It reads the row's type, not a list of its fields, so that a
// field added to a row later is copied too.
func cloneRow[T any](row T) T {
	deepen(reflect.ValueOf(&row).Elem())
	return row
}

// deepen replaces every slice, pointer and map reachable from v, which is
// settable, with a copy.
func deepen(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for _, i := range deepFields(v.Type()) {
			deepen(v.Field(i))
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		if isDeep(v.Type().Elem()) {
			for i := range c.Len() {
				deepen(c.Index(i))
			}
		}
		v.Set(c)
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		c := reflect.New(v.Type().Elem())
		c.Elem().Set(v.Elem())
		deepen(c.Elem())
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(it.Value())
			deepen(val)
			c.SetMapIndex(it.Key(), val)
		}
		v.Set(c)
	}
}

// isDeep reports whether a value of type t may share memory with a copy
// of it made by assignment.
func isDeep(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Pointer, reflect.Map:
		return true
	case reflect.Struct:
		return len(deepFields(t)) > 0
	}
	return false
}

// deepFieldsOf caches deepFields by type.
var deepFieldsOf sync.Map // reflect.Type → []int

// deepFields lists the exported fields of struct type t that isDeep.
func deepFields(t reflect.Type) []int {
	if f, ok := deepFieldsOf.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && isDeep(f.Type) {
			out = append(out, i)
		}
	}
	deepFieldsOf.Store(t, out)
	return out
}
