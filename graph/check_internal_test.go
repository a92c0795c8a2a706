package graph

import (
	"encoding/json"
	"testing"
)

// TestFiguresDisagreeWhenNoValueFitsBoth holds the reading of figures that
// check and indicators compare: a value is itself, "about" a value is what
// rounds to it as written, a bound is everything beyond it.
func TestFiguresDisagreeWhenNoValueFitsBoth(t *testing.T) {
	type fig struct {
		value, bound string
		approx       bool
	}
	tests := []struct {
		a, b     fig
		disagree bool
	}{
		{fig{"5.3", "", false}, fig{"5.3", "", false}, false},
		{fig{"5.3", "", false}, fig{"5.4", "", false}, true},
		{fig{"5.3", "", false}, fig{"5.30", "", false}, false},
		{fig{"73", "", true}, fig{"72.6", "", false}, false},  // about 73 is 72.5 to 73.5
		{fig{"73", "", true}, fig{"72.4", "", false}, true},   //
		{fig{"3.4", "", true}, fig{"3.44", "", false}, false}, // about 3.4 is 3.35 to 3.45
		{fig{"3400000000", "", true}, fig{"3440000000", "", false}, false},
		{fig{"3400000000", "", true}, fig{"3460000000", "", false}, true},
		{fig{"3000000000000", "more than", false}, fig{"3000000000000", "", false}, true}, // more than is not equal
		{fig{"3000000000000", "at least", false}, fig{"3000000000000", "", false}, false},
		{fig{"3000000000000", "more than", false}, fig{"3100000000000", "", false}, false},
		{fig{"3000000000000", "more than", false}, fig{"2000000000000", "less than", false}, true},
		{fig{"3", "at least", false}, fig{"3", "at most", false}, false}, // 3 fits both
		{fig{"3", "more than", false}, fig{"3", "at most", false}, true},
		{fig{"3", "more than", false}, fig{"5", "more than", false}, false},
		{fig{"-11000000", "", false}, fig{"-11000000", "", true}, false},
	}
	src := func(id string) []SourceRef { return []SourceRef{{ID: id}} }
	for _, tt := range tests {
		a := Observation{Value: json.Number(tt.a.value), Bound: tt.a.bound, Approximate: tt.a.approx, Unit: "u", Sources: src("a")}
		b := Observation{Value: json.Number(tt.b.value), Bound: tt.b.bound, Approximate: tt.b.approx, Unit: "u", Sources: src("b")}
		if got := disagree(a, b); got != tt.disagree {
			t.Errorf("%+v against %+v: disagree %v, want %v", tt.a, tt.b, got, tt.disagree)
		}
		if got := disagree(b, a); got != tt.disagree {
			t.Errorf("%+v against %+v: disagree %v, want %v", tt.b, tt.a, got, tt.disagree)
		}
		// One source's figures are not held against each other, nor
		// figures in other units.
		b.Sources = src("a")
		if disagree(a, b) {
			t.Errorf("%+v and %+v of one source disagree", tt.a, tt.b)
		}
		b.Sources, b.Unit = src("b"), "v"
		if disagree(a, b) {
			t.Errorf("%+v and %+v in other units disagree", tt.a, tt.b)
		}
	}
}
