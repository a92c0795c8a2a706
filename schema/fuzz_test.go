package schema_test

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// FuzzValidateNQuads feeds arbitrary text to the scanner and the validator:
// neither may panic, every problem must point at a line of the input, and
// every quad handed on must be whole.
func FuzzValidateNQuads(f *testing.F) {
	f.Add([]byte(`<https://rustbelt.dev/id/person/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/s> .` + "\n"))
	f.Add([]byte(`<https://rustbelt.dev/id/a> <https://rustbelt.dev/ns/date> "2024-13" <https://rustbelt.dev/id/source/s> .` + "\n"))
	f.Add([]byte(`<https://rustbelt.dev/id/a> <https://rustbelt.dev/ns/amount> "1e9" <https://rustbelt.dev/id/source/s> .` + "\n# comment\n\n<a> <b> \"c\\n\\\"d\" .\n"))
	f.Add([]byte(`<https://rustbelt.dev/id/appointment/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Appointment> <https://rustbelt.dev/id/source/s> .` + "\n" +
		`<https://rustbelt.dev/id/appointment/x> <https://rustbelt.dev/ns/datePrecision> "range" <https://rustbelt.dev/id/source/s> .` + "\n"))
	f.Add([]byte("_:b <p> \"x\"@en .\n<s> <p> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> <g> .\n<s> <p"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, strict := range []bool{false, true} {
			v := schema.NewValidator(strict)
			syntax, err := schema.ScanNQuads(bytes.NewReader(data), "in.nq", func(pos schema.Pos, q quad.Quad) error {
				if !q.IsValid() {
					t.Fatalf("%v: incomplete quad %v handed on", pos, q)
				}
				v.Check(pos, q)
				return nil
			})
			if err != nil {
				t.Fatalf("reading from memory failed: %v", err)
			}
			for _, p := range append(syntax, v.Problems()...) {
				if p.Pos.File != "in.nq" || p.Pos.Line < 1 || p.Pos.Line > lines || p.Msg == "" {
					t.Fatalf("problem %q points outside the %d-line input", p.Error(), lines)
				}
			}
		}
	})
}

// FuzzValidDate checks the date rule against the calendar: a date the
// vocabulary accepts is a real year, month or day, and a real day written
// as YYYY-MM-DD (years 1000-9999) is accepted.
func FuzzValidDate(f *testing.F) {
	for _, s := range []string{"2024", "2024-02", "2024-02-29", "2023-02-29", "2024-13", "2024-1-01", "0000-00-00", "2024-04-31", " 2024", "２０２４"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok := schema.ValidDate(s)
		layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(s)]
		_, perr := time.Parse(layout, s)
		if ok && layout == "" {
			t.Fatalf("ValidDate(%q) accepted a date of length %d", s, len(s))
		}
		if ok && perr != nil && len(s) != 10 {
			t.Fatalf("ValidDate(%q) accepted what the calendar rejects: %v", s, perr)
		}
		if !ok && perr == nil && layout != "" && s[0] != '0' {
			t.Fatalf("ValidDate(%q) rejected a real date", s)
		}
	})
}

// FuzzValidNumber checks the number rule: what it accepts parses as a
// finite float with no exponent or separators, and a plain decimal that Go
// formats is accepted.
func FuzzValidNumber(f *testing.F) {
	for _, s := range []string{"5.4", "-11000000", "1e9", "NaN", "Inf", "-infinity", "0x1p-2", "1_000", "1,000", ".5", "5.", "+3", "", "١٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if schema.ValidNumber(s) {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "eEpPxX_, ") {
				t.Fatalf("ValidNumber(%q) accepted what is not a plain finite decimal (%v, %v)", s, v, err)
			}
		}
		if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			plain := strconv.FormatFloat(v, 'f', -1, 64)
			if !schema.ValidNumber(plain) {
				t.Fatalf("ValidNumber(%q) rejected the plain decimal %q", plain, s)
			}
		}
	})
}
