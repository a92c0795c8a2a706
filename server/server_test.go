package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/export"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/server"
	"github.com/rustbelt/rustbelt/store"
)

const nameIRI = "<http://schema.org/name>"

// twin is a second person named Li Kai, so that one name is ambiguous.
const twin = `<https://rustbelt.dev/id/person/li-kai-2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> <https://rustbelt.dev/id/source/server-test> .
<https://rustbelt.dev/id/person/li-kai-2> <http://schema.org/name> "Li Kai" <https://rustbelt.dev/id/source/server-test> .
<https://rustbelt.dev/id/source/server-test> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> <https://rustbelt.dev/id/source/server-test> .
<https://rustbelt.dev/id/source/server-test> <http://schema.org/name> "Server test" <https://rustbelt.dev/id/source/server-test> .
`

// openStore makes a bolt store with the bundled dataset and the twin, and
// opens it read-only, as serve does.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rustbelt.bolt")
	w, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := store.Input{Name: "twin.nq", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(twin)), nil }}
	_, err = w.Load(ctx, []store.Input{in}, store.LoadOptions{})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// response is what a test reads of an answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// decode unmarshals the body, failing the test on anything but JSON.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want JSON; body: %s", ct, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error      string         `json:"error"`
	Code       string         `json:"code"`
	Candidates []graph.Entity `json:"candidates"`
}

// send runs one request against a server: in-process or over the network.
type send func(t *testing.T, method, target string, body io.Reader) response

// handlerSend calls the handler directly, through httptest.
func handlerSend(h http.Handler) send {
	return func(t *testing.T, method, target string, body io.Reader) response {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, target, body))
		return response{rec.Code, rec.Result().Header, rec.Body.Bytes()}
	}
}

// networkSend sends real requests to base, a server's URL.
func networkSend(client *http.Client, base string) send {
	return func(t *testing.T, method, target string, body io.Reader) response {
		t.Helper()
		req, err := http.NewRequest(method, base+target, body)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("read answer of %s %s: %v", method, target, err)
		}
		return response{resp.StatusCode, resp.Header, b}
	}
}

// sameJSON fails unless got is the JSON encoding of want, compared as
// decoded values: what the command line's --format json prints for want.
func sameJSON(t *testing.T, r response, want any) {
	t.Helper()
	var g, w any
	r.decode(t, &g)
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("answer differs from the library's\n got: %.600s\nwant: %.600s", r.body, b)
	}
}

// wantError checks an error answer's code and message.
func wantError(code, msg string) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var e errorBody
		r.decode(t, &e)
		if e.Code != code || !strings.Contains(e.Error, msg) {
			t.Errorf("error = %q (%s), want code %s and a message with %q", e.Error, e.Code, code, msg)
		}
	}
}

// wantCandidate checks that an answer's candidates include id.
func wantCandidate(id string) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var e errorBody
		r.decode(t, &e)
		for _, c := range e.Candidates {
			if c.ID == id {
				return
			}
		}
		t.Errorf("candidates %v lack %s", e.Candidates, id)
	}
}

// queryResult is Cayley's query answer.
type queryResult struct {
	Result    []any `json:"result"`
	Truncated bool  `json:"truncated"`
}

// wantResults checks a query answer's size and truncation flag (body and
// header).
func wantResults(n int, truncated bool) func(*testing.T, response) {
	return func(t *testing.T, r response) {
		t.Helper()
		var q queryResult
		r.decode(t, &q)
		hdr := r.header.Get("X-Rustbelt-Truncated") == "true"
		if len(q.Result) != n || q.Truncated != truncated || hdr != truncated {
			t.Errorf("%d results, truncated %v (header %v); want %d, %v", len(q.Result), q.Truncated, hdr, n, truncated)
		}
	}
}

// testLimit is the servers' default result cap in these tests: small
// enough that g.V().All() is cut.
const testLimit = 50

// apiCase is one request and what its answer must be.
type apiCase struct {
	name         string
	method, path string
	body         string
	status       int
	check        func(*testing.T, response)
}

// apiCases covers every endpoint: answers equal the library's (so the
// JSON keys are the command line's), and each kind of bad input.
func apiCases(t *testing.T, s *store.Store) []apiCase {
	ctx := context.Background()
	caoQuery := `g.V().Has("` + nameIRI + `","Cao Lubao").Out().All()`
	cao, err := s.Query(ctx, caoQuery, store.QueryOptions{Limit: testLimit})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Query(ctx, "g.V().All()", store.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Result) <= testLimit {
		t.Fatalf("the seed has %d nodes; the truncation cases need more than %d", len(all.Result), testLimit)
	}
	// lib is a library answer, computed before the requests.
	lib := func(v any, _ graph.Notes, err error) any {
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	jilin := lib(graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: "Jilin"}))
	same := func(v any) func(*testing.T, response) {
		return func(t *testing.T, r response) { t.Helper(); sameJSON(t, r, v) }
	}
	cases := []apiCase{
		{"appointments into a province", "GET", "/api/appointments?to=Jilin", "", 200, func(t *testing.T, r response) {
			sameJSON(t, r, jilin)
			if !strings.Contains(r.header.Get("X-Rustbelt-Note"), "place/jilin-city") {
				t.Errorf("no note on the other Jilin: %v", r.header)
			}
		}},
		{"appointments by date", "GET", "/api/appointments?to=Northeast&since=2024&until=2024-12", "", 200,
			same(lib(graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: "Northeast", DateRange: graph.DateRange{Since: "2024", Until: "2024-12"}})))},
		{"appointments by person and origin", "GET", "/api/appointments?person=cao+lubao&from=Jiangsu", "", 200,
			same(lib(graph.New(s).Appointments(ctx, graph.AppointmentFilter{Person: "cao lubao", From: "Jiangsu"})))},
		{"an unknown place lists the closest", "GET", "/api/appointments?to=Jillin", "", 404, wantCandidate("place/jilin")},
		{"a malformed date says what is expected", "GET", "/api/appointments?since=June", "", 400, wantError("invalid", "YYYY")},
		{"a misspelt parameter is refused", "GET", "/api/appointments?too=Jilin", "", 400, wantError("invalid", "takes from, to, person")},
		{"a repeated parameter is refused", "GET", "/api/appointments?to=Jilin&to=Liaoning", "", 400, wantError("invalid", "given 2 times")},
		{"a malformed query string", "GET", "/api/appointments?to=%zz", "", 400, wantError("invalid", "malformed")},
		{"policies", "GET", "/api/policies?place=Harbin", "", 200, same(lib(graph.New(s).Policies(ctx, graph.PolicyFilter{Place: "Harbin"})))},
		{"policies inside, by date", "GET", "/api/policies?place=Liaoning&inside=true&since=2017", "", 200,
			same(lib(graph.New(s).Policies(ctx, graph.PolicyFilter{Place: "Liaoning", Inside: true, DateRange: graph.DateRange{Since: "2017"}})))},
		{"policies need a place", "GET", "/api/policies", "", 400, wantError("invalid", "place is required")},
		{"a bad boolean", "GET", "/api/policies?place=Harbin&inside=maybe", "", 400, wantError("invalid", "true or false")},
		{"investments", "GET", "/api/investments?place=Shenyang", "", 200, same(lib(graph.New(s).Investments(ctx, graph.InvestmentFilter{Place: "Shenyang"})))},
		{"investments of a company", "GET", "/api/investments?company=BMW", "", 200, same(lib(graph.New(s).Investments(ctx, graph.InvestmentFilter{Company: "BMW"})))},
		{"indicators of two places", "GET", "/api/indicators?place=Liaoning&place=Jilin&indicator=gdp-growth", "", 200,
			same(lib(graph.New(s).Indicators(ctx, graph.IndicatorFilter{Places: []string{"Liaoning", "Jilin"}, Indicator: "gdp-growth"})))},
		{"an unknown indicator", "GET", "/api/indicators?indicator=happiness", "", 404, wantError("not_found", "happiness")},
		{"timeline", "GET", "/api/timeline?place=Jilin", "", 200, same(lib(graph.New(s).Timeline(ctx, "Jilin")))},
		{"timeline of a person is refused", "GET", "/api/timeline?place=Cao+Lubao", "", 404, wantCandidate("person/cao-lubao")},
		{"an entity by id", "GET", "/api/entities/person/cao-lubao", "", 200, same(lib(graph.New(s).Card(ctx, "person/cao-lubao")))},
		{"an entity by name", "GET", "/api/entities/Shenyang", "", 200, same(lib(graph.New(s).Card(ctx, "Shenyang")))},
		{"an ambiguous name lists the entities", "GET", "/api/entities/Li%20Kai", "", 409, wantCandidate("person/li-kai")},
		{"an unknown entity", "GET", "/api/entities/Atlantis", "", 404, wantError("not_found", "Atlantis")},
		{"search a name", "GET", "/api/search?q=Cao+Lubao", "", 200, func(t *testing.T, r response) {
			var res struct{ Match *graph.Resolution }
			r.decode(t, &res)
			if res.Match == nil || res.Match.ID != "person/cao-lubao" {
				t.Errorf("match = %+v, want person/cao-lubao", res.Match)
			}
		}},
		{"search the start of a name", "GET", "/api/search?q=cao", "", 200, wantCandidate("person/cao-lubao")},
		{"search an ambiguous name", "GET", "/api/search?q=li+kai", "", 200, wantCandidate("person/li-kai-2")},
		{"search a misspelt name", "GET", "/api/search?q=Harbinn", "", 404, wantCandidate("place/harbin")},
		{"search nothing", "GET", "/api/search?q=", "", 400, wantError("invalid", "empty name")},
		{"export formats", "GET", "/api/export/formats", "", 200, func(t *testing.T, r response) {
			var got []struct{ Name, Ext string }
			r.decode(t, &got)
			if want := export.Formats(); len(got) != len(want) || got[0].Name != want[0].Name || got[0].Ext != want[0].Ext {
				t.Errorf("formats = %+v, want those of package export", got)
			}
		}},
		{"export needs a known format", "GET", "/api/export?center=Jilin&format=xml", "", 400, wantError("invalid", "graphml")},
		{"export around an unknown name", "GET", "/api/export?center=Atlantis", "", 404, wantError("not_found", "Atlantis")},
		{"export with a bad depth", "GET", "/api/export?center=Jilin&depth=deep", "", 400, wantError("invalid", "depth")},
		{"export with a bad type", "GET", "/api/export?center=Jilin&type=dragon", "", 400, wantError("invalid", "dragon")},
		{"gizmo", "POST", "/api/v1/query/gizmo", caoQuery, 200, same(cao)},
		{"gizmo cut at the server's limit", "POST", "/api/v1/query/gizmo", "g.V().All()", 200, wantResults(testLimit, true)},
		{"gizmo cut at the request's limit", "POST", "/api/v1/query/gizmo?limit=2", "g.V().All()", 200, wantResults(2, true)},
		{"gizmo without a limit", "POST", "/api/v1/query/gizmo?limit=0", "g.V().All()", 200, wantResults(len(all.Result), false)},
		{"a bad limit", "POST", "/api/v1/query/gizmo?limit=-1", "g.V().All()", 400, wantError("invalid", "whole number")},
		{"an empty query", "POST", "/api/v1/query/gizmo", " \n", 400, wantError("invalid", "empty")},
		{"a syntax error", "POST", "/api/v1/query/gizmo", "g.V(", 400, wantError("invalid", "query")},
		{"a script error", "POST", "/api/v1/query/gizmo", "g.V().Nope()", 400, wantError("invalid", "Nope")},
		{"an unknown language", "POST", "/api/v1/query/sparql", "SELECT", 400, wantError("invalid", "sparql")},
		{"v2 gizmo", "POST", "/api/v2/query?lang=gizmo", caoQuery, 200, same(cao)},
		{"v2 gizmo by GET", "GET", "/api/v2/query?lang=gizmo&qu=" + strings.ReplaceAll(caoQuery, " ", "+"), "", 200, same(cao)},
		{"v2 gizmo with a limit", "POST", "/api/v2/query?lang=gizmo&limit=3", "g.V().All()", 200, wantResults(3, true)},
		{"v2 graphql", "POST", "/api/v2/query?lang=graphql", `{ nodes(` + nameIRI + `: "Cao Lubao") { id } }`, 200, func(t *testing.T, r response) {
			sameJSON(t, r, map[string]any{"data": map[string]any{"nodes": map[string]any{"id": "https://rustbelt.dev/id/person/cao-lubao"}}})
		}},
		{"v2 mql", "POST", "/api/v2/query?lang=mql", `[{"id": null, "` + nameIRI + `": "Cao Lubao"}]`, 200, wantResults(1, false)},
		{"v2 needs a language", "POST", "/api/v2/query", "g.V().All()", 400, wantError("invalid", "lang=gizmo")},
		{"v2 query in two places", "POST", "/api/v2/query?lang=gizmo&qu=g.V().All()", "g.V().All()", 400, wantError("invalid", "body")},
		{"an unknown endpoint", "GET", "/api/nothing", "", 404, wantError("not_found", "/api/nothing")},
		{"health", "GET", "/healthz", "", 200, func(t *testing.T, r response) {
			var h struct {
				Status   string `json:"status"`
				ReadOnly bool   `json:"read_only"`
			}
			r.decode(t, &h)
			if h.Status != "ok" || !h.ReadOnly {
				t.Errorf("health = %+v, want ok and read-only", h)
			}
		}},
		{"the page", "GET", "/", "", 200, func(t *testing.T, r response) {
			if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'self'") {
				t.Errorf("no content security policy: %v", r.header)
			}
			if !bytes.Contains(r.body, []byte(`src="app.js"`)) {
				t.Errorf("/ is not the built page: %.300s", r.body)
			}
		}},
	}
	cases = append(cases, exportCases(t, s)...)
	return append(cases, []apiCase{
		// Last, so that the requests above are counted.
		{"metrics", "GET", "/metrics", "", 200, func(t *testing.T, r response) {
			for _, want := range []string{
				`rustbelt_http_requests_total{code="404",method="get",route="/api/appointments"} 1`,
				`rustbelt_http_request_duration_seconds_count{method="post",route="/api/v1/query/{lang}"}`,
				`rustbelt_http_requests_total{code="409",method="get",route="/api/entities/{id...}"} 1`,
				"go_goroutines",
			} {
				if !bytes.Contains(r.body, []byte(want)) {
					t.Errorf("metrics lack %s", want)
				}
			}
		}},
	}...)
}

// exportCases ask for the same subgraph in every export format: each
// answer must be what package export writes, with its content type and a
// file name with its extension.
func exportCases(t *testing.T, s *store.Store) []apiCase {
	sg, _, err := graph.New(s).Subgraph(context.Background(), graph.SubgraphOptions{
		Centers: []string{"Cao Lubao"}, Depth: 2, Types: []string{"person", "place", "appointment"}, DateRange: graph.DateRange{Since: "2020"},
	})
	if err != nil || len(sg.Edges) == 0 {
		t.Fatalf("subgraph around Cao Lubao: %d edges, %v", len(sg.Edges), err)
	}
	var cases []apiCase
	for _, f := range export.Formats() {
		var want bytes.Buffer
		if err := export.Write(&want, f.Name, sg); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, apiCase{"export as " + f.Name, "GET",
			"/api/export?center=Cao+Lubao&depth=2&type=person&type=place&type=appointment&since=2020&format=" + f.Name, "", 200,
			func(t *testing.T, r response) {
				if ct := r.header.Get("Content-Type"); ct != f.ContentType {
					t.Errorf("Content-Type = %q, want %q", ct, f.ContentType)
				}
				if cd := r.header.Get("Content-Disposition"); !strings.HasSuffix(cd, `cao-lubao`+f.Ext+`"`) {
					t.Errorf("Content-Disposition = %q, want a file name ending in %s", cd, f.Ext)
				}
				if !bytes.Equal(r.body, want.Bytes()) {
					t.Errorf("body differs from export.Write's:\n%.300s", r.body)
				}
			}})
	}
	return cases
}

func runCases(t *testing.T, s *store.Store, do send) {
	for _, tc := range apiCases(t, s) {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			r := do(t, tc.method, tc.path, body)
			if r.status != tc.status {
				t.Fatalf("%s %s: status %d, want %d; body: %s", tc.method, tc.path, r.status, tc.status, r.body)
			}
			tc.check(t, r)
		})
	}
}

// TestHandlers runs every endpoint in-process.
func TestHandlers(t *testing.T) {
	s := openStore(t)
	srv := server.New(server.Config{Store: s, QueryLimit: testLimit})
	runCases(t, s, handlerSend(srv.Handler()))
}

// TestPretty checks that answers are compact unless pretty=true asks for
// indentation, on a task endpoint, a query endpoint and an error.
func TestPretty(t *testing.T) {
	s := openStore(t)
	do := handlerSend(server.New(server.Config{Store: s, QueryLimit: testLimit}).Handler())
	query := `g.V("<https://rustbelt.dev/id/person/cao-lubao>").All()`
	tests := []struct {
		method, path, body string
		status             int
		indented           bool
	}{
		{"GET", "/api/appointments?to=Jilin", "", 200, false},
		{"GET", "/api/appointments?to=Jilin&pretty=true", "", 200, true},
		{"GET", "/api/appointments?to=Jilin&pretty=false", "", 200, false},
		{"POST", "/api/v1/query/gizmo", query, 200, false},
		{"POST", "/api/v1/query/gizmo?pretty=1", query, 200, true},
		{"GET", "/api/policies?place=Harbni&pretty=true", "", 404, true},
		{"GET", "/api/appointments?to=Jilin&pretty=very", "", 400, false},
	}
	for _, tt := range tests {
		r := do(t, tt.method, tt.path, strings.NewReader(tt.body))
		if r.status != tt.status {
			t.Errorf("%s %s: status %d, want %d; body: %s", tt.method, tt.path, r.status, tt.status, r.body)
			continue
		}
		var v any
		r.decode(t, &v)
		if indented := bytes.Contains(r.body, []byte("\n  ")); indented != tt.indented {
			t.Errorf("%s %s: indented = %v, want %v; body: %.200s", tt.method, tt.path, indented, tt.indented, r.body)
		}
	}
}

// syncBuffer is a log sink the server writes from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// running is a server started with Serve on a loopback port.
type running struct {
	url    string
	stop   context.CancelFunc
	served chan error // Serve's return value
	log    *syncBuffer
}

// start serves cfg on 127.0.0.1 at a free port until the test ends.
func start(t *testing.T, cfg server.Config) *running {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveOn(t, l, cfg)
}

// serveOn serves cfg on l until the test ends.
func serveOn(t *testing.T, l net.Listener, cfg server.Config) *running {
	t.Helper()
	run := &running{url: "http://" + l.Addr().String(), served: make(chan error, 1), log: &syncBuffer{}}
	cfg.Logger = slog.New(slog.NewTextHandler(run.log, nil))
	ctx, cancel := context.WithCancel(context.Background())
	run.stop = cancel
	go func() { run.served <- server.New(cfg).Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-run.served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return run
}

// TestEndToEnd runs every endpoint against a real server on 127.0.0.1
// over a real bolt store, then what only a network shows: request logs,
// the body limit on a streamed body, a runaway query and shutdown.
func TestEndToEnd(t *testing.T) {
	s := openStore(t)
	run := start(t, server.Config{Store: s, QueryLimit: testLimit, MaxBodyBytes: 4096})
	do := networkSend(&http.Client{Timeout: time.Minute}, run.url)
	runCases(t, s, do)

	t.Run("requests are logged", func(t *testing.T) {
		do(t, "GET", "/api/timeline?place=Harbin", nil)
		if log := run.log.String(); !strings.Contains(log, "path=/api/timeline") || !strings.Contains(log, "status=200") {
			t.Errorf("log lacks the request:\n%s", log)
		}
	})
	big := strings.Repeat("/", 5000) + "g.V().All()"
	t.Run("a body over the limit", func(t *testing.T) {
		r := do(t, "POST", "/api/v1/query/gizmo", strings.NewReader(big))
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413: %s", r.status, r.body)
		}
		wantError("too_large", "too large")(t, r)
	})
	t.Run("a streamed body over the limit", func(t *testing.T) {
		// No Content-Length: the limit must hold while reading.
		r := do(t, "POST", "/api/v1/query/gizmo", io.MultiReader(strings.NewReader(big)))
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413: %s", r.status, r.body)
		}
	})
	t.Run("a body at the limit", func(t *testing.T) {
		q := strings.Repeat(" ", 4096-len("g.V().All()")) + "g.V().All()"
		if r := do(t, "POST", "/api/v1/query/gizmo?limit=1", strings.NewReader(q)); r.status != http.StatusOK {
			t.Fatalf("status %d, want 200: %s", r.status, r.body)
		}
	})
}

// TestRunawayQuery sends a query that never ends: the server answers 504
// within its timeout (the client gives up well after it) and keeps serving.
func TestRunawayQuery(t *testing.T) {
	s := openStore(t)
	const limit = 500 * time.Millisecond
	run := start(t, server.Config{Store: s, QueryTimeout: limit})
	do := networkSend(&http.Client{Timeout: limit + 10*time.Second}, run.url)
	for _, path := range []string{"/api/v1/query/gizmo", "/api/v2/query?lang=gizmo"} {
		r := do(t, "POST", path, strings.NewReader("while(true){}"))
		if r.status != http.StatusGatewayTimeout {
			t.Fatalf("%s: status %d, want 504: %s", path, r.status, r.body)
		}
		wantError("timeout", "time limit")(t, r)
	}
	r := do(t, "POST", "/api/v1/query/gizmo", strings.NewReader(`g.V().Has("`+nameIRI+`","Cao Lubao").All()`))
	if r.status != http.StatusOK {
		t.Fatalf("after a runaway query: status %d: %s", r.status, r.body)
	}
	wantResults(1, false)(t, r)
}

// TestGracefulShutdown stops a server while a query runs: the query gets
// its answer, Serve returns nil, and the port no longer answers.
func TestGracefulShutdown(t *testing.T) {
	s := openStore(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- server.New(server.Config{Store: s}).Serve(ctx, l) }()

	// The query busy-waits for a while, then answers: long enough to be in
	// flight when the shutdown starts.
	slow := `var t = new Date().getTime(); while (new Date().getTime() - t < 700) {}
g.V().Has("` + nameIRI + `","Cao Lubao").All()`
	answered := make(chan error, 1) // the test's goroutine judges the answer
	go func() {
		resp, err := http.Post(url+"/api/v1/query/gizmo", "text/plain", strings.NewReader(slow))
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("status %d: %s", resp.StatusCode, b)
			}
		}
		answered <- err
	}()
	waitFor(t, func() bool { return inFlight(t, url) })
	cancel()
	if err := <-answered; err != nil {
		t.Fatalf("query in flight at shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve = %v, want nil after a graceful shutdown", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Fatal("the server still answers after shutdown")
	}
}

// inFlight reads, from /metrics, how many requests are being answered.
func inFlight(t *testing.T, url string) bool {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte("\nrustbelt_http_requests_in_flight 1\n"))
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 10s")
}
