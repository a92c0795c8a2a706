package store_test

import (
	"bytes"
	"context"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/store"
)

// ownQuads is a Cayley user's N-Quads: relative IRIs, a blank node, typed
// and language-tagged literals, quads with and without a label.
const ownQuads = `<alice> <follows> <bob> .
<bob> <status> "cool_person" .
<bob> <age> "42"^^<http://www.w3.org/2001/XMLSchema#integer> <survey> .
<bob> <motto> "carpe diem"@la <survey> .
<bob> <knows> _:someone .
_:someone <status> "mysterious" <survey> .
<http://example.org/mill> <http://schema.org/name> "Old mill" .
`

// dumpString dumps s in format.
func dumpString(t *testing.T, s *store.Store, format string) string {
	t.Helper()
	var buf bytes.Buffer
	n, err := s.Dump(context.Background(), &buf, format)
	if err != nil {
		t.Fatalf("dump %s: %v", format, err)
	}
	if want := quadCount(t, s); n != want {
		t.Errorf("dump %s wrote %d quads, store holds %d", format, n, want)
	}
	return buf.String()
}

// withoutBlankLabels renames every blank node to _:b and sorts the lines,
// so that two dumps compare equal when they differ only in how a reader
// named the blank nodes.
func withoutBlankLabels(nq string) string {
	lines := strings.SplitAfter(regexp.MustCompile(`_:\w+`).ReplaceAllString(nq, "_:b"), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "")
}

func TestDumpRoundTripsThroughLoad(t *testing.T) {
	ctx := context.Background()
	var first string // the N-Quads dump of the first backend, for the others to match
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := mustOpen(t, b.Addr(t), store.Options{})
			inputs := []store.Input{stringInput("own.nq", ownQuads), fileInput(t, writeFile(t, "lab.jsonld", labJSONLD))}
			if _, err := s.Load(ctx, inputs, store.LoadOptions{}); err != nil {
				t.Fatal(err)
			}
			nq := dumpString(t, s, "nquads")
			if again := dumpString(t, s, "nquads"); again != nq {
				t.Error("two dumps of the same store differ")
			}
			if first == "" {
				first = nq
			} else if nq != first {
				t.Errorf("%s dumps differently from the first backend", b.Name)
			}
			if !strings.Contains(nq, `<bob> <age> "42"^^<http://www.w3.org/2001/XMLSchema#integer> <survey> .`) {
				t.Error("dump does not write the datatype of a number in full")
			}
			fresh := mustOpen(t, b.Addr(t), store.Options{NoSeed: true})
			rep, err := fresh.Load(ctx, []store.Input{fileInput(t, writeFile(t, "dump.nq", nq))}, store.LoadOptions{})
			if err != nil {
				t.Fatalf("load the dump: %v", err)
			}
			if rep.Duplicates != 0 || rep.Added != quadCount(t, s) {
				t.Errorf("load of the dump: %+v, want %d added and no duplicates", rep, quadCount(t, s))
			}
			if got := dumpString(t, fresh, "nquads"); got != nq {
				t.Error("the reloaded store dumps differently from the original")
			}
		})
	}
}

// absoluteQuads is ownQuads with absolute IRIs, which JSON-LD can hold.
var absoluteQuads = regexp.MustCompile(`<(alice|bob|follows|status|age|motto|knows|survey)>`).ReplaceAllString(ownQuads, "<http://example.org/$1>")

func TestDumpRoundTripsThroughJSONLD(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory:", store.Options{})
	if _, err := s.Load(ctx, []store.Input{stringInput("own.nq", absoluteQuads)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	jsonld := dumpString(t, s, "jsonld")
	if again := dumpString(t, s, "jsonld"); again != jsonld {
		t.Error("two JSON-LD dumps of the same store differ")
	}
	fresh := mustOpen(t, "memory:", store.Options{NoSeed: true})
	if _, err := fresh.Load(ctx, []store.Input{fileInput(t, writeFile(t, "dump.jsonld", jsonld))}, store.LoadOptions{}); err != nil {
		t.Fatalf("load the dump: %v", err)
	}
	// JSON-LD names blank nodes afresh; everything else must come back.
	if withoutBlankLabels(dumpString(t, fresh, "nquads")) != withoutBlankLabels(dumpString(t, s, "nquads")) {
		t.Errorf("JSON-LD round trip changed the quads")
	}
}

func TestDumpRefusesWhatTheFormatCannotHold(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{NoSeed: true})
	if _, err := s.Load(context.Background(), []store.Input{stringInput("own.nq", ownQuads)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ format, want string }{
		{"graphml", "cannot dump as \"graphml\""},
		{"jsonld", "6 quads use relative IRIs such as <alice>"},
	} {
		var buf bytes.Buffer
		_, err := s.Dump(context.Background(), &buf, tc.format)
		if fail.CodeOf(err) != fail.Invalid || err == nil || !strings.Contains(err.Error(), tc.want) || buf.Len() > 0 {
			t.Errorf("dump as %s: %v, wrote %d bytes; want Invalid saying %q and nothing written", tc.format, err, buf.Len(), tc.want)
		}
	}
}
