package main

import (
	"os"
	"strings"
	"testing"
)

// The path of a user coming from Cayley: their own N-Quads and JSON-LD,
// loaded into an empty store or next to the curated graph, queried with
// their Gizmo, GraphQL and MQL, dumped and loaded back.

// theirQuads is a Cayley user's file: relative IRIs, no labels but one.
const theirQuads = `<alice> <follows> <bob> .
<bob> <follows> <fred> .
<bob> <status> "cool_person" .
<dani> <follows> <bob> .
<greg> <status> "smart_person" <smart_graph> .
`

// theirJSONLD is a Cayley user's JSON-LD, with absolute IRIs as JSON-LD needs.
const theirJSONLD = `{"@id": "http://example.org/mill",
  "http://schema.org/name": "Old mill",
  "http://example.org/near": {"@id": "http://example.org/river"}}`

func TestInitMakesEmptyOrSeededStoresOnPurpose(t *testing.T) {
	empty := testDB(t)
	if r := run(t, "", "--db", empty, "init", "--empty"); r.code != 0 || r.stdout != "created store "+empty+" (bolt), empty\n" {
		t.Errorf("init --empty: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if n := storeQuads(t, empty); n != 0 {
		t.Errorf("empty store holds %d quads", n)
	}
	seeded := testDB(t)
	r := run(t, "", "--db", seeded, "init")
	if r.code != 0 || !strings.Contains(r.stdout, "with the bundled dataset") {
		t.Errorf("init: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "--db", seeded, "init", "--empty")
	if r.code != exitUsage || !strings.Contains(r.stderr, "already exists and holds") {
		t.Errorf("init --empty over a full store: exit %d, %q", r.code, r.stderr)
	}
	noSeed := testDB(t)
	if r := run(t, theirQuads, "--db", noSeed, "--no-seed", "load", "-"); r.code != 0 || storeQuads(t, noSeed) != 5 {
		t.Errorf("--no-seed load: exit %d, %q, store holds %d quads, want 5", r.code, r.stderr, storeQuads(t, noSeed))
	}
}

func TestTheirDataLoadsNextToTheCuratedGraph(t *testing.T) {
	db := testDB(t)
	before := storeQuads(t, db)
	nq, jsonld := write(t, "theirs.nq", theirQuads), write(t, "mill.jsonld", theirJSONLD)
	r := run(t, "", "--db", db, "load", nq, jsonld)
	if r.code != 0 || !strings.Contains(r.stdout, "loaded 7 new quads from 2 file(s)") {
		t.Fatalf("load: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, theirJSONLD, "--db", db, "load", "--format", "jsonld", "-"); r.code != 0 || !strings.Contains(r.stdout, "2 duplicates skipped") {
		t.Errorf("JSON-LD on standard input: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "--db", db, "load", "--format", "turtle", nq); r.code != exitUsage || !strings.Contains(r.stderr, "jsonld") {
		t.Errorf("unknown --format: exit %d, %q", r.code, r.stderr)
	}
	r = run(t, "", "--db", db, "stats", "--format", "json")
	if !strings.Contains(r.stdout, `"unsourced": 6`) || !strings.Contains(r.stdout, `"id": "smart_graph"`) || storeQuads(t, db) != before+7 {
		t.Errorf("stats after their load: %s", r.stdout)
	}
	// The curated graph still answers, and so does theirs.
	if r := run(t, "", "--db", db, "appointments", "--to", "Jilin", "--format", "json"); r.code != 0 || r.stdout == "[]\n" {
		t.Errorf("curated appointments: exit %d, %q", r.code, r.stderr)
	}
	for _, tc := range []struct{ lang, query, want string }{
		{"gizmo", `g.V("<bob>").In("<follows>").All()`, `"<dani>"`},
		{"gizmo", `g.V().Has("<http://schema.org/name>", "Old mill").Out("<http://example.org/near>").All()`, `"<http://example.org/river>"`},
		{"graphql", `{ people(status: "cool_person") { id follows { id } } }`, `"fred"`},
		{"mql", `[{"id": "<bob>", "!<follows>": []}]`, `"<alice>"`},
	} {
		r := run(t, "", "--db", db, "query", "--lang", tc.lang, "-e", tc.query)
		if r.code != 0 || !strings.Contains(r.stdout, tc.want) {
			t.Errorf("query --lang %s %s: exit %d, %q %q; want %s", tc.lang, tc.query, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

func TestDumpLoadsBackIntoAnEmptyStore(t *testing.T) {
	db := testDB(t)
	if r := run(t, "", "--db", db, "load", write(t, "theirs.nq", theirQuads)); r.code != 0 {
		t.Fatal(r.stderr)
	}
	out := write(t, "dump.nq", "stale contents")
	r := run(t, "", "--db", db, "dump", "-o", out)
	if r.code != 0 || !strings.Contains(r.stderr, "dumped") {
		t.Fatalf("dump -o: exit %d, %q", r.code, r.stderr)
	}
	fresh := testDB(t)
	if r := run(t, "", "--db", fresh, "--no-seed", "load", out); r.code != 0 || !strings.Contains(r.stdout, " 0 duplicates") {
		t.Fatalf("load the dump: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	dumped, _ := os.ReadFile(out)
	if r := run(t, "", "--db", fresh, "dump"); r.code != 0 || r.stdout != string(dumped) {
		t.Errorf("the reloaded store dumps differently: exit %d, %q", r.code, r.stderr)
	}
	if r := run(t, "", "--db", db, "dump", "--format", "jsonld", "-o", out); r.code != exitUsage || !strings.Contains(r.stderr, "relative IRIs") {
		t.Errorf("JSON-LD dump of relative IRIs: exit %d, %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(out); string(after) != string(dumped) {
		t.Error("a failed dump changed the file it was asked to write")
	}
}
