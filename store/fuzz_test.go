package store_test

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// FuzzLoad loads arbitrary text, in each format the loader reads, into an
// empty store of every kind that writes in its own way: memory (Cayley's
// writer), bolt in place and bolt by swap (the bulk writer, validating
// before or while it writes) and PostgreSQL (COPY). An oracle that shares
// nothing with the load path but the quad parsers and the validator decides
// what each load must do: text with any problem fails with an Invalid error
// and leaves the store empty; any other text leaves the store holding
// exactly its distinct quads, as Dump writes them, and the report counts
// them.
func FuzzLoad(f *testing.F) {
	f.Add(uint8(0), newFacts)
	f.Add(uint8(0), brokenFacts)
	f.Add(uint8(0), newFacts+"<https://rustbelt.dev/id/person/test-official> <https://rustbelt.dev/ns/date> \"2024-02-30\" <https://rustbelt.dev/id/source/test> .\n")
	f.Add(uint8(0), "<ex:a> <ex:b> \"multi\\nline \\\"quoted\\\" \\u0041\" <ex:g> .\n<ex:a> <ex:b> <ex:c> .\n<ex:a> <ex:b> <ex:c> .\n")
	f.Add(uint8(0), "<ex:a> <ex:b> .\n<ex:a <ex:b> <ex:c> .\n\x00\xff")
	f.Add(uint8(0), typedLiterals)
	f.Add(uint8(0), oneNodeOrTwo)
	f.Add(uint8(0), "<ex:a> <ex:b> \"0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n<ex:a> <ex:b> \"-0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n")
	f.Add(uint8(0), "")
	f.Add(uint8(0), "# nothing but a comment\n")
	f.Add(uint8(0), "<ex:a> <ex:b> _:x .\n_:x <ex:b> \"x\"@en-GB _:g .\n<ex:a> <ex:b> _:x .\n")
	f.Add(uint8(1), `{"@context": {"name": "http://schema.org/name"}, "@id": "https://rustbelt.dev/id/person/x", "name": "X"}`)
	f.Add(uint8(1), `{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:n": [{"@value": "7", "@type": "http://www.w3.org/2001/XMLSchema#integer"}, {"@value": "x", "@language": "de"}], "ex:k": {"ex:n": "blank"}}`)
	f.Add(uint8(1), `{"@context": {"@version": 1.1, "@import": "http://127.0.0.1:9/context.jsonld"}, "@id": "http://example.org/a", "http://schema.org/name": "A"}`)
	f.Add(uint8(2), `[{"subject": "<a>", "predicate": "<b>", "object": "\"c\"", "label": "<g>"}]`)
	f.Add(uint8(3), "\x00\x01garbage")
	targets := loadTargets(f)
	f.Fuzz(func(t *testing.T, format uint8, text string) {
		checkLoad(t, targets, format, text)
	})
}

// checkLoad loads text, in the input format numbered format (0 is the
// default), into an empty store of every target, and holds each load to
// what expectLoad says of the text.
func checkLoad(t *testing.T, targets []loadTarget, format uint8, text string) {
	t.Helper()
	formats := append([]string{""}, store.InputFormats()...)
	in := stringInput("fuzz", text)
	in.Format = formats[int(format)%len(formats)]
	want := expectLoad(t, in.Format, text)
	name := cmp.Or(in.Format, schema.NQuads)
	for _, target := range targets {
		s, done := target.open(t)
		rep, err := target.load(func() (store.LoadReport, error) {
			return s.Load(context.Background(), []store.Input{in}, store.LoadOptions{})
		})
		got := dumpLines(t, s)
		done()
		switch {
		case !want.valid && err == nil:
			t.Fatalf("%s: a %s load of text with problems succeeded: %+v\nproblems: %v", target.name, name, rep, want.problems)
		case !want.valid && fail.CodeOf(err) != fail.Invalid:
			t.Fatalf("%s: a %s load of text with problems failed with %v, not an Invalid error", target.name, name, err)
		case !want.valid && len(got) > 0:
			t.Fatalf("%s: a failed %s load left %d quads", target.name, name, len(got))
		case want.valid && err != nil:
			t.Fatalf("%s: a %s load of valid text failed: %v", target.name, name, err)
		case want.valid && !slices.Equal(got, want.quads):
			t.Fatalf("%s: a %s load left other quads than the text holds:\n got %q\nwant %q", target.name, name, got, want.quads)
		case want.valid && (rep.Read != want.read || rep.Added != int64(len(want.quads)) || rep.Duplicates != want.read-int64(len(want.quads))):
			t.Fatalf("%s: a %s load reports %+v; the text holds %d quads, %d distinct", target.name, name, rep, want.read, len(want.quads))
		}
	}
}

// typedLiterals are quads whose objects the stores keep as native values
// (numbers, booleans, times) next to ones they keep as typed strings.
const typedLiterals = `<ex:a> <ex:n> "7"^^<http://www.w3.org/2001/XMLSchema#integer> <ex:g> .
<ex:a> <ex:n> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .
<ex:a> <ex:n> "-2.5"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:a> <ex:n> "1e300"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:a> <ex:b> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<ex:a> <ex:b> "false"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<ex:a> <ex:t> "2024-02-29T12:30:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<ex:a> <ex:t> "2024-02-29T12:30:00.123456789+08:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<ex:a> <ex:n> "seven"^^<http://www.w3.org/2001/XMLSchema#integer> .
<ex:a> <ex:n> "x"^^<http://example.org/type> .
<ex:a> <ex:n> "x"^^<http://www.w3.org/2001/XMLSchema#string> .
`

// oneNodeOrTwo are values on which Go's == and Cayley's identity of nodes
// (the hash of the value's String) disagree: -0 and 0 are two nodes, a NaN
// and a NaN one, as are one instant in two zones and two times apart by
// less than a second (Cayley writes times in whole seconds).
const oneNodeOrTwo = `<ex:a> <ex:b> "-0"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:a> <ex:b> "0"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:a> <ex:c> "NaN"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:a> <ex:c> "NaN"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:b> <ex:c> "NaN"^^<http://www.w3.org/2001/XMLSchema#double> .
<ex:a> <ex:t> "2024-02-29T04:30:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<ex:a> <ex:t> "2024-02-29T12:30:00+08:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<ex:b> <ex:t> "2024-02-29T12:30:00.1Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<ex:b> <ex:t> "2024-02-29T12:30:00.2Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
`

// expectation is what the oracle says a load must do.
type expectation struct {
	valid    bool
	problems schema.Problems
	read     int64    // quads in the text, repeats counted
	quads    []string // its distinct quads as Dump writes them, sorted
}

// expectLoad reads text with the quad parsers and the validator alone, as
// the oracle of FuzzLoad.
func expectLoad(t *testing.T, format, text string) expectation {
	t.Helper()
	var quads []quad.Quad
	collect := func(_ schema.Pos, q quad.Quad) error {
		quads = append(quads, q)
		return nil
	}
	var problems schema.Problems
	var err error
	switch format {
	case "", schema.NQuads:
		problems, err = schema.ScanNQuads(strings.NewReader(text), "fuzz", collect)
	case "jsonld":
		problems = jsonldQuads(text, collect)
	default:
		qr := quad.FormatByName(format).Reader(strings.NewReader(text))
		problems, err = schema.ScanQuads(qr, "fuzz", format, collect)
		qr.Close()
	}
	if err != nil {
		t.Fatalf("oracle: read %s: %v", format, err)
	}
	v := schema.NewValidator(false)
	for _, q := range quads {
		v.Check(schema.Pos{File: "fuzz", Quad: q.NQuad()}, q)
	}
	problems = append(problems, v.Problems()...)
	if len(problems) > 0 {
		return expectation{problems: problems}
	}
	distinct := map[string]bool{}
	for _, q := range quads {
		distinct[strings.TrimSuffix(schema.FullTypes(q).NQuad(), "\n")] = true
	}
	return expectation{valid: true, read: int64(len(quads)), quads: slices.Sorted(maps.Keys(distinct))}
}

// jsonldQuads reads a JSON-LD document as the oracle: with the JSON-LD
// processor itself, whose document loader here refuses every remote
// document, so that a document that needs one is a problem.
func jsonldQuads(text string, each func(schema.Pos, quad.Quad) error) schema.Problems {
	problem := func(err error) schema.Problems {
		return schema.Problems{{Pos: schema.Pos{File: "fuzz"}, Msg: "jsonld: " + err.Error()}}
	}
	var doc any
	if err := json.NewDecoder(strings.NewReader(text)).Decode(&doc); err != nil {
		return problem(err)
	}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = noRemoteDocuments{}
	data, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
	if err != nil {
		return problem(err)
	}
	var problems schema.Problems
	for name, graph := range data.(*ld.RDFDataset).Graphs {
		var label quad.Value
		if name != "@default" {
			label = quad.IRI(name)
		}
		for _, lq := range graph {
			q := quad.Quad{Subject: ldValue(lq.Subject), Predicate: ldValue(lq.Predicate), Object: ldValue(lq.Object), Label: label}
			if !q.IsValid() {
				problems = append(problems, schema.Problem{Pos: schema.Pos{File: "fuzz"}, Msg: "incomplete quad"})
				continue
			}
			each(schema.Pos{File: "fuzz"}, q)
		}
	}
	return problems
}

// noRemoteDocuments is a JSON-LD document loader that loads nothing: a load
// must never reach the network.
type noRemoteDocuments struct{}

func (noRemoteDocuments) LoadDocument(u string) (*ld.RemoteDocument, error) {
	return nil, fmt.Errorf("remote document %q", u)
}

// ldValue is the quad value of a JSON-LD term: typed literals of the types
// Cayley knows become native values, as in every quad reader.
func ldValue(n ld.Node) quad.Value {
	switch n := n.(type) {
	case *ld.IRI:
		return quad.IRI(n.Value)
	case *ld.BlankNode:
		return quad.BNode(strings.TrimPrefix(n.Attribute, "_:"))
	case *ld.Literal:
		switch {
		case n.Language != "":
			return quad.LangString{Value: quad.String(n.Value), Lang: n.Language}
		case n.Datatype != "" && n.Datatype != ld.XSDString:
			ts := quad.TypedString{Value: quad.String(n.Value), Type: quad.IRI(n.Datatype)}
			if v, err := ts.ParseValue(); err == nil {
				return v
			}
			return ts
		}
		return quad.String(n.Value)
	}
	return nil
}

// loadTarget is one kind of empty store that FuzzLoad loads into.
type loadTarget struct {
	name string
	// open returns an empty store, and what to call when done with it.
	open func(t *testing.T) (s *store.Store, done func())
	// load runs a load down this target's road.
	load func(func() (store.LoadReport, error)) (store.LoadReport, error)
}

// loadTargets lists memory, bolt in place, bolt by swap and, when
// RUSTBELT_TEST_POSTGRES is set, PostgreSQL.
func loadTargets(f *testing.F) []loadTarget {
	direct := func(load func() (store.LoadReport, error)) (store.LoadReport, error) { return load() }
	bySwap := func(load func() (store.LoadReport, error)) (store.LoadReport, error) {
		defer store.SetInPlaceMax(0)()
		return load()
	}
	bolt := emptyBolt(f)
	targets := []loadTarget{
		{"memory", func(t *testing.T) (*store.Store, func()) { return openEmpty(t, "memory:") }, direct},
		{"bolt in place", bolt, direct},
		{"bolt by swap", bolt, bySwap},
	}
	if pg := emptyPostgres(f); pg != nil {
		targets = append(targets, loadTarget{"postgres", pg, direct})
	}
	return targets
}

// openEmpty opens an empty store at addr, and returns it with its Close.
func openEmpty(t *testing.T, addr string) (*store.Store, func()) {
	t.Helper()
	s, err := store.Open(context.Background(), addr, store.Options{NoSeed: true})
	if err != nil {
		t.Fatalf("open %s: %v", addr, err)
	}
	return s, func() { s.Close() }
}

// emptyBolt makes an empty bolt store once and returns a function that
// puts a copy of it in place of the last input's store and opens it, which
// costs a fraction of creating one.
func emptyBolt(f *testing.F) func(t *testing.T) (*store.Store, func()) {
	dir := f.TempDir()
	pristine := filepath.Join(dir, "empty.bolt")
	s, err := store.Open(context.Background(), pristine, store.Options{NoSeed: true})
	if err != nil {
		f.Fatal(err)
	}
	s.Close()
	empty, err := os.ReadFile(pristine)
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(dir, "store.bolt")
	return func(t *testing.T) (*store.Store, func()) {
		if err := os.WriteFile(path, empty, 0o644); err != nil {
			t.Fatal(err)
		}
		return openEmpty(t, path)
	}
}

// emptyPostgres creates one database for this process (a fuzzing worker
// is a process of its own) on the server RUSTBELT_TEST_POSTGRES names, opens
// it once, and returns a function that empties it and hands it out: opening
// a PostgreSQL store costs more than most loads. It returns nil without the
// variable. Databases of workers that died without dropping theirs are
// dropped first.
func emptyPostgres(f *testing.F) func(t *testing.T) (*store.Store, func()) {
	base := os.Getenv(postgresEnv)
	if base == "" {
		f.Logf("PostgreSQL not fuzzed: set %s=postgres://user@host/db to fuzz its COPY loader", postgresEnv)
		return nil
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { admin.Close() })
	dropDeadFuzzDatabases(f, admin)
	name := fuzzDatabasePrefix + strconv.Itoa(os.Getpid())
	if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
		f.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		f.Fatalf("create the fuzzing database: %v", err)
	}
	f.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	addr := replaceDatabase(base, name)
	s, err := store.Open(context.Background(), addr, store.Options{NoSeed: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { s.Close() })
	db, err := sql.Open("postgres", addr)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	return func(t *testing.T) (*store.Store, func()) {
		// DELETE, not TRUNCATE: quicker on a few rows. Cayley's store
		// caches only what a hash names, which no write changes, and
		// sizes, which loads recount.
		if _, err := db.Exec("DELETE FROM quads; DELETE FROM nodes"); err != nil {
			t.Fatalf("empty the fuzzing database: %v", err)
		}
		return s, func() {}
	}
}

const fuzzDatabasePrefix = "rustbelt_fuzz_"

// dropDeadFuzzDatabases drops the fuzzing databases of processes that are
// gone: the fuzzing engine kills its workers, which cannot clean up.
func dropDeadFuzzDatabases(f *testing.F, admin *sql.DB) {
	rows, err := admin.Query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", fuzzDatabasePrefix)
	if err != nil {
		f.Fatal(err)
	}
	var dead []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			f.Fatal(err)
		}
		pid, err := strconv.Atoi(strings.TrimPrefix(name, fuzzDatabasePrefix))
		if err == nil && errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			dead = append(dead, name)
		}
	}
	if err := rows.Err(); err != nil {
		f.Fatal(err)
	}
	rows.Close()
	for _, name := range dead {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	}
}

// dumpLines dumps s as N-Quads, one quad a line, sorted.
func dumpLines(t *testing.T, s *store.Store) []string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.Dump(context.Background(), &buf, schema.NQuads); err != nil {
		t.Fatalf("dump: %v", err)
	}
	lines := strings.Split(buf.String(), "\n")
	lines = slices.DeleteFunc(lines, func(l string) bool { return l == "" })
	slices.Sort(lines)
	return lines
}

var (
	fuzzStoreOnce sync.Once
	fuzzStore     *store.Store
	fuzzStoreErr  error
)

// seededMemory is one seeded memory store shared by the fuzz targets that
// only read, so that each input costs a lookup rather than a seeding.
func seededMemory(t testing.TB) *store.Store {
	fuzzStoreOnce.Do(func() {
		fuzzStore, fuzzStoreErr = store.Open(context.Background(), "memory:", store.Options{})
	})
	if fuzzStoreErr != nil {
		t.Fatal(fuzzStoreErr)
	}
	return fuzzStore
}

// FuzzQueryParams binds arbitrary keys and values as Gizmo parameters: the
// query sees each exactly as given (as JavaScript holds text: invalid UTF-8
// becomes U+FFFD), never as code.
func FuzzQueryParams(f *testing.F) {
	for _, kv := range [][2]string{{"place", "Jilin"}, {"name", `Cao Lubao"); g.Emit("pwned`}, {"x", "\\\"\n</script><script>alert(1)</script>"}, {"__proto__", "{}"}, {"constructor", "<a> <b> <c> ."}, {"", "empty key"}, {"k", "\xff\xfe"}} {
		f.Add(kv[0], kv[1])
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, key, value string) {
		s := seededMemory(t)
		res, err := s.Query(ctx, `for (var k in params) g.Emit({k: k, v: params[k]})`, store.QueryOptions{Params: map[string]string{key: value}})
		if err != nil {
			t.Fatalf("query with param %q=%q: %v", key, value, err)
		}
		want := map[string]any{"k": strings.ToValidUTF8(key, "\uFFFD"), "v": strings.ToValidUTF8(value, "\uFFFD")}
		if !utf8.ValidString(key) || !utf8.ValidString(value) {
			// Go and JavaScript may split invalid bytes into replacement
			// characters differently; compare the JSON the user would see.
			got, _ := json.Marshal(res.Result)
			if !utf8.Valid(got) {
				t.Fatalf("result is not valid UTF-8: %q", got)
			}
			return
		}
		if len(res.Result) != 1 {
			t.Fatalf("param %q=%q: %d results %v, want 1", key, value, len(res.Result), res.Result)
		}
		got, _ := res.Result[0].(map[string]any)
		if got["k"] != want["k"] || got["v"] != want["v"] {
			t.Fatalf("param %q=%q came back as %q=%q", key, value, got["k"], got["v"])
		}
	})
}
