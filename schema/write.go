package schema

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/jsonld" // registers the JSON-LD writer

	"github.com/rustbelt/rustbelt/fail"
)

// NQuads is the name of the N-Quads format, the one rustbelt's own files use.
const NQuads = "nquads"

// DumpFormats lists the formats that dumps and exports of quads are written
// in: those that a load reads back without loss.
var DumpFormats = []string{NQuads, "jsonld"}

// CheckDumpFormat says whether format is one of DumpFormats.
func CheckDumpFormat(format string) error {
	for _, d := range DumpFormats {
		if d == format {
			return nil
		}
	}
	return fail.Errorf(fail.Invalid, "cannot dump as %q (formats: %s)", format, strings.Join(DumpFormats, ", "))
}

// WriteQuads writes quads to w in format, one of DumpFormats, and returns
// how many it wrote.
func WriteQuads(w io.Writer, format string, quads []quad.Quad) (int64, error) {
	if err := CheckDumpFormat(format); err != nil {
		return 0, err
	}
	if format == "jsonld" {
		quads = append([]quad.Quad(nil), quads...)
		if err := prepareJSONLD(quads); err != nil {
			return 0, err
		}
	}
	qw := quad.FormatByName(format).Writer(w)
	for i, q := range quads {
		if err := qw.WriteQuad(q); err != nil {
			qw.Close()
			return int64(i), fmt.Errorf("write quad %d as %s: %w", i+1, format, err)
		}
	}
	if err := qw.Close(); err != nil {
		return int64(len(quads)), fmt.Errorf("write %s: %w", format, err)
	}
	return int64(len(quads)), nil
}

// FullTypes writes the datatypes of numbers, booleans and times in full.
// The store holds them as native values whose N-Quads form abbreviates the
// type (<xsd:integer>), which other RDF tools do not read; the full form
// reads back as the same value.
func FullTypes(q quad.Quad) quad.Quad {
	full := func(v quad.Value) quad.Value {
		if ts, ok := v.(quad.TypedStringer); ok {
			t := ts.TypedString()
			t.Type = t.Type.Full()
			return t
		}
		return v
	}
	q.Subject, q.Predicate, q.Object, q.Label = full(q.Subject), full(q.Predicate), full(q.Object), full(q.Label)
	return q
}

// schemeRE matches the start of an absolute IRI.
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// prepareJSONLD checks that every IRI of quads is absolute, as JSON-LD
// needs, and mends blank nodes for the JSON-LD writer of Cayley's quad
// library, which hands them to the JSON-LD processor without their "_:" and
// so turns them into relative IRIs (jsonldReader has the mirror image).
func prepareJSONLD(quads []quad.Quad) error {
	var n int
	var example quad.IRI
	for i, q := range quads {
		relative := false
		for _, v := range []*quad.Value{&q.Subject, &q.Predicate, &q.Object, &q.Label} {
			switch x := (*v).(type) {
			case quad.BNode:
				*v = quad.BNode("_:" + x)
			case quad.IRI:
				if !schemeRE.MatchString(string(x)) && !relative {
					relative = true
					if n++; n == 1 {
						example = x
					}
				}
			}
		}
		quads[i] = q
	}
	if n > 0 {
		return fail.Errorf(fail.Invalid, "cannot dump as JSON-LD: %d quads use relative IRIs such as %s, which JSON-LD cannot hold; dump as nquads", n, example)
	}
	return nil
}
