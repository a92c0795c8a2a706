package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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

// lockedBuffer is a buffer that a running server and the test may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serving runs `rustbelt ARGS` (a serve command listening on port 0)
// in-process and returns its base URL, its stderr and a function that stops
// it and waits for it to end.
func serving(t *testing.T, args ...string) (string, *lockedBuffer, func()) {
	t.Helper()
	var stderr lockedBuffer
	m := NewMain(strings.NewReader(""), io.Discard, &stderr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, append([]string{"rustbelt"}, args...)) }()
	stop := sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)
	url := regexp.MustCompile(`url=(http://\S+)/`)
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(20 * time.Millisecond) {
		if m := url.FindStringSubmatch(stderr.String()); m != nil {
			return m[1], &stderr, stop
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, stderr.String())
		default:
		}
	}
	t.Fatalf("serve did not start:\n%s", stderr.String())
	return "", nil, nil
}

// postQuads sends N-Quads to base's Cayley write endpoint with token, if
// any, and returns the status.
func postQuads(t *testing.T, base, token, quads string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v2/write", strings.NewReader(quads))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeTakesWritesOnlyWhenWritableAndWithTheToken(t *testing.T) {
	db := testDB(t)
	if r := run(t, "", "--db", db, "init", "--empty"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	const token = "0123456789abcdef-token"
	tokenFile := write(t, "token", token+"\n")

	base, _, stop := serving(t, "--db", db, "serve", "--addr", "127.0.0.1:0")
	if status := postQuads(t, base, token, theirQuads); status != http.StatusForbidden {
		t.Errorf("write to a server without --writable: %d, want 403", status)
	}
	stop()

	base, _, stop = serving(t, "--db", db, "serve", "--addr", "127.0.0.1:0", "--writable", "--token-file", tokenFile)
	if status := postQuads(t, base, "", theirQuads); status != http.StatusForbidden {
		t.Errorf("write without the token: %d, want 403", status)
	}
	if status := postQuads(t, base, token, theirQuads); status != http.StatusOK {
		t.Errorf("write with the token: %d, want 200", status)
	}
	stop()
	if n := storeQuads(t, db); n != 5 {
		t.Errorf("after the write the store holds %d quads, want 5", n)
	}

	// Without a token file the server makes a token and shows it once.
	base, stderr, _ := serving(t, "--db", db, "serve", "--addr", "127.0.0.1:0", "--writable")
	made := regexp.MustCompile(`shown this once.*\n([0-9a-f]{64})\n`).FindStringSubmatch(stderr.String())
	if made == nil {
		t.Fatalf("no token on stderr:\n%s", stderr.String())
	}
	if status := postQuads(t, base, made[1], "<erin> <follows> <alice> .\n"); status != http.StatusOK {
		t.Errorf("write with the made token: %d, want 200", status)
	}
	if status := postQuads(t, base, token, "<erin> <follows> <bob> .\n"); status != http.StatusForbidden {
		t.Errorf("write with another server's token: %d, want 403", status)
	}

	for _, args := range [][]string{
		{"serve", "--token-file", tokenFile},
		{"serve", "--writable", "--token-file", write(t, "short", "abc\n")},
		{"serve", "--writable", "--token-file", filepath.Join(t.TempDir(), "missing")},
	} {
		if r := run(t, "", append([]string{"--db", testDB(t)}, args...)...); r.code != exitUsage {
			t.Errorf("%v: exit %d, want %d; %s", args, r.code, exitUsage, r.stderr)
		}
	}
}
