package store

import (
	"math"
	"strings"

	"github.com/dop251/goja"
)

// thisString is ToString of the this of a String.prototype method, once.
func (sb *sandbox) thisString(this goja.Value, method string) goja.Value {
	if this == nil || goja.IsUndefined(this) || goja.IsNull(this) {
		panic(sb.rt.NewTypeError("String.prototype.%s called on null or undefined", method))
	}
	return this.ToString()
}

func (sb *sandbox) boundRepeat(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		s := sb.thisString(c.This, "repeat")
		n := toInteger(c.Argument(0))
		if n > 0 && float64(strLen(s))*n > maxString {
			panic(sb.tooLong())
		}
		return sb.call(orig, s, sb.rt.ToValue(n))
	}
}

func (sb *sandbox) boundPad(name string) func(goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			s := sb.thisString(c.This, name)
			n := toInteger(c.Argument(0))
			if n > maxString {
				panic(sb.tooLong())
			}
			fill := c.Argument(1)
			if !goja.IsUndefined(fill) {
				fill = fill.ToString()
			}
			return sb.call(orig, s, sb.rt.ToValue(n), fill)
		}
	}
}

// splitLimit is the limit of a split, converted once and capped so that no
// split makes more than maxElements pieces: past that it fails.
func (sb *sandbox) splitLimit(v goja.Value) (capped goja.Value, asked float64) {
	asked = math.MaxUint32
	if !goja.IsUndefined(v) {
		asked = float64(uint32(int64(toInteger(v))))
		if f := v.ToFloat(); math.IsInf(f, 0) || math.IsNaN(f) {
			asked = 0
		}
	}
	return sb.rt.ToValue(min(asked, maxElements+1)), asked
}

func (sb *sandbox) checkPieces(pieces goja.Value, asked float64) goja.Value {
	if o, ok := pieces.(*goja.Object); ok && asked > maxElements {
		if n := length(o); n > maxElements {
			panic(sb.tooMany("split", n))
		}
	}
	return pieces
}

func (sb *sandbox) boundSplit(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		s := sb.thisString(c.This, "split")
		sep := c.Argument(0)
		limit, asked := sb.splitLimit(c.Argument(1))
		if _, isObj := sep.(*goja.Object); !isObj && !goja.IsUndefined(sep) {
			// A string separator: count the pieces before making them.
			sep = sb.asString(sep)
			pieces := strLen(s)
			if p := sep.String(); p != "" {
				pieces = int64(strings.Count(s.String(), p)) + 1
			}
			if pieces > maxElements && asked > maxElements {
				panic(sb.tooMany("split", pieces))
			}
		}
		return sb.checkPieces(sb.call(orig, s, sep, limit), asked)
	}
}

func (sb *sandbox) boundRegexpSplit(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		s := c.Argument(0).ToString()
		limit, asked := sb.splitLimit(c.Argument(1))
		return sb.checkPieces(sb.call(orig, c.This, s, limit), asked)
	}
}

// boundMatch bounds match, whose Go code collects every match of a global
// pattern at once: at most one per character, so the string is bounded.
// matchAll, which finds them one at a time, is not.
func (sb *sandbox) boundMatch(name string) func(goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			if name == "match" {
				s := sb.thisString(c.This, name)
				if n := strLen(s); n > maxElements {
					panic(sb.tooMany("match over a string", n))
				}
				return sb.call(orig, s, c.Arguments...)
			}
			s := c.Argument(0).ToString()
			if n := strLen(s); n > maxElements {
				panic(sb.tooMany("match over a string", n))
			}
			return sb.call(orig, c.This, s)
		}
	}
}

// replaceBound is the longest string a replace can make of a string of n
// units, with at most matches matches and the replacement text r: r
// itself for each match, what $&, $1 or $<name> refer to (matched text,
// at most n over all matches, for each reference), and what $` and $'
// refer to (up to n for each match, for each reference).
func replaceBound(n, matches float64, r string) float64 {
	matched := float64(strings.Count(r, "$&") + strings.Count(r, "$<"))
	for d := '0'; d <= '9'; d++ {
		matched += float64(strings.Count(r, "$"+string(d)))
	}
	around := float64(strings.Count(r, "$`") + strings.Count(r, "$'"))
	return n + matches*float64(len(r)) + matched*n + matches*around*n
}

func (sb *sandbox) boundReplace(name string) func(goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(orig goja.Callable) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			s := sb.thisString(c.This, name)
			pattern, with := c.Argument(0), c.Argument(1)
			if _, ok := goja.AssertFunction(with); ok {
				return sb.call(orig, s, pattern, with) // the function runs, and is interrupted, per match
			}
			with = with.ToString()
			n := float64(strLen(s))
			matches := n + 1 // a pattern that is not a string may match everywhere
			if _, isObj := pattern.(*goja.Object); !isObj {
				pattern = pattern.ToString()
				matches = 1
				if name == "replaceAll" {
					if p := pattern.String(); p == "" {
						matches = n + 1
					} else {
						matches = float64(strings.Count(s.String(), p))
					}
				}
			}
			if replaceBound(n, matches, with.String()) > maxString {
				panic(sb.tooLong())
			}
			return sb.call(orig, s, pattern, with)
		}
	}
}

func (sb *sandbox) boundRegexpReplace(orig goja.Callable) func(goja.FunctionCall) goja.Value {
	return func(c goja.FunctionCall) goja.Value {
		s, with := c.Argument(0).ToString(), c.Argument(1)
		if _, ok := goja.AssertFunction(with); !ok {
			with = with.ToString()
			if n := float64(strLen(s)); replaceBound(n, n+1, with.String()) > maxString {
				panic(sb.tooLong())
			}
		}
		return sb.call(orig, c.This, s, with)
	}
}
