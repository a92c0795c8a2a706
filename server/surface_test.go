package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/server"
)

// TestHostAndOriginAreChecked sends a real server on 127.0.0.1 what a web
// page of another site can make a browser send: requests under a rebound
// name (Host: evil.example), cross-origin fetches and form posts (Origin),
// and no-cors loads such as <img src> (Sec-Fetch-Site without Origin). Only
// the server's own names and origin, the --allow-host names and the --cors
// origins get through; a --cors origin gets CORS headers and its preflight.
func TestHostAndOriginAreChecked(t *testing.T) {
	s := openStore(t)
	const app = "http://app.example:8080"
	run := start(t, server.Config{Store: s, AllowHosts: []string{"Rustbelt.Example"}, CORSOrigins: []string{app}})
	own := strings.TrimPrefix(run.url, "http://")
	_, port, _ := net.SplitHostPort(own)
	const query = `g.V("<https://rustbelt.dev/id/person/cao-lubao>").All()`
	getQuery := "/api/v2/query?lang=gizmo&qu=" + url.QueryEscape(query)
	tests := []struct {
		name         string
		method, path string
		host         string            // the Host header; the URL's when empty
		header       map[string]string // other request headers
		status       int
		allowOrigin  string // the Access-Control-Allow-Origin wanted
	}{
		{"own address", "GET", getQuery, "", nil, 200, ""},
		{"localhost on a loopback server", "GET", getQuery, "localhost:" + port, nil, 200, ""},
		{"an allowed host, any case, any port", "GET", getQuery, "rustbelt.EXAMPLE:9999", nil, 200, ""},
		{"an allowed host with a final dot", "GET", "/healthz", "rustbelt.example.", nil, 200, ""},
		{"a rebound name", "GET", getQuery, "evil.example:" + port, nil, 403, ""},
		{"a rebound name, page", "GET", "/", "evil.example:" + port, nil, 403, ""},
		{"a rebound name posting a query", "POST", "/api/v1/query/gizmo", "evil.example:" + port, nil, 403, ""},
		{"a name that ends like an allowed one", "GET", "/healthz", "evil-rustbelt.example", nil, 403, ""},
		{"another address of the machine", "GET", "/healthz", "10.1.2.3:" + port, nil, 403, ""},
		{"a cross-origin fetch", "GET", getQuery, "", map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 403, ""},
		{"a cross-origin form post", "POST", "/api/v1/query/gizmo", "", map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}, 403, ""},
		{"another port of the same host", "POST", "/api/v1/query/gizmo", "", map[string]string{"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site"}, 403, ""},
		{"a sandboxed page", "POST", "/api/v1/query/gizmo", "", map[string]string{"Origin": "null"}, 403, ""},
		{"an origin even on health", "GET", "/healthz", "", map[string]string{"Origin": "http://evil.example"}, 403, ""},
		{"a no-cors load of a query", "GET", getQuery, "", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}, 403, ""},
		{"a link from another site to a task", "GET", "/api/appointments?to=Jilin", "", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, 403, ""},
		{"a link from another site to the page", "GET", "/", "", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, 200, ""},
		{"the page's own fetch", "GET", getQuery, "", map[string]string{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"}, 200, ""},
		{"the page's own post", "POST", "/api/v1/query/gizmo", "", map[string]string{"Origin": run.url, "Sec-Fetch-Site": "same-origin"}, 200, ""},
		{"a typed address", "GET", getQuery, "", map[string]string{"Sec-Fetch-Site": "none"}, 200, ""},
		{"a --cors origin", "POST", "/api/v1/query/gizmo", "", map[string]string{"Origin": app, "Sec-Fetch-Site": "cross-site"}, 200, app},
		{"a --cors origin's error", "GET", "/api/appointments?to=Atlantis", "", map[string]string{"Origin": app, "Sec-Fetch-Site": "cross-site"}, 404, app},
		{"a --cors origin's preflight", "OPTIONS", "/api/v1/query/gizmo", "", map[string]string{"Origin": app, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}, 204, app},
		{"another origin's preflight", "OPTIONS", "/api/v1/query/gizmo", "", map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, 403, ""},
		{"the --cors origin on another port", "POST", "/api/v1/query/gizmo", "", map[string]string{"Origin": "http://app.example:8081"}, 403, ""},
	}
	client := &http.Client{Timeout: time.Minute}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.method == "POST" {
				body = strings.NewReader(query)
			}
			req, err := http.NewRequest(tt.method, run.url+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			r := response{resp.StatusCode, resp.Header, b}
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tt.status, b)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tt.allowOrigin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.allowOrigin)
			}
			switch {
			case r.status == http.StatusForbidden:
				wantError("forbidden", "")(t, r)
				if !strings.Contains(string(b), "--allow-host") && !strings.Contains(string(b), "--cors") {
					t.Errorf("the refusal does not say how to allow the request: %s", b)
				}
			case tt.status == http.StatusNoContent:
				if m := r.header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "POST") {
					t.Errorf("preflight allows methods %q, want POST among them", m)
				}
				if h := strings.ToLower(r.header.Get("Access-Control-Allow-Headers")); !strings.Contains(h, "content-type") {
					t.Errorf("preflight allows headers %q, want Content-Type among them", h)
				}
			case tt.allowOrigin != "":
				if !strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "X-Rustbelt-Note") {
					t.Errorf("the notes are not exposed to the --cors origin: %v", r.header)
				}
			}
		})
	}
	if log := run.log.String(); strings.Contains(log, "level=ERROR") {
		t.Errorf("refusals were logged as errors:\n%s", log)
	}
}

// TestHostsOfAWildcardListener serves on every address (0.0.0.0): any IP
// address names the server, a name must still be allowed.
func TestHostsOfAWildcardListener(t *testing.T) {
	l, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatalf("listen on every address: %v", err)
	}
	run := serveOn(t, l, server.Config{Store: openStore(t)})
	_, port, _ := net.SplitHostPort(l.Addr().String())
	client := &http.Client{Timeout: time.Minute}
	for host, want := range map[string]int{
		"127.0.0.1:" + port:    200,
		"[::1]:" + port:        200,
		"192.0.2.7":            200,
		"localhost:" + port:    200,
		"evil.example:" + port: 403,
	} {
		req, err := http.NewRequest("GET", "http://127.0.0.1:"+port+"/healthz", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d", host, resp.StatusCode, want)
		}
	}
	// HTTP/1.0 lets a request name no host at all: no name, no answer.
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.0\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("no Host: status %d, want 403", resp.StatusCode)
	}
	if strings.Contains(run.log.String(), "level=ERROR") {
		t.Errorf("refusals were logged as errors:\n%s", run.log.String())
	}
}

// TestSlowBodyIs408 sends request bodies slower than the server's read
// timeout: the answer is 408 and the log has a warning, not a 500 and an
// error, on the query and the write endpoints.
func TestSlowBodyIs408(t *testing.T) {
	s, _ := writableStore(t)
	const token = "slow-body-token-0123"
	run := start(t, server.Config{Store: s, ReadTimeout: 300 * time.Millisecond, WriteToken: token})
	addr := strings.TrimPrefix(run.url, "http://")
	for _, path := range []string{"/api/v1/query/gizmo", "/api/v2/query?lang=gizmo", "/api/v2/write", "/api/v1/delete"} {
		t.Run(path, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// Part of the body, then nothing: the server's read timeout
			// passes while the handler reads it.
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Length: 1000\r\n\r\ng.V(", path, addr, token)
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no answer to a slow body: %v", err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			r := response{resp.StatusCode, resp.Header, b}
			if r.status != http.StatusRequestTimeout {
				t.Fatalf("status %d, want 408: %s", r.status, b)
			}
			wantError("request_timeout", "body")(t, r)
		})
	}
	log := run.log.String()
	if strings.Contains(log, "level=ERROR") || !strings.Contains(log, "level=WARN") {
		t.Errorf("a slow body must be logged as a warning, not an error:\n%s", log)
	}
	// The server still answers.
	get(t, &http.Client{Timeout: 10 * time.Second}, run.url+"/healthz")
}

// TestNotesAreDeduplicatedAndBounded repeats a center 5000 times, and
// spells an ambiguous name in many ways: the answer has each note once and
// a bounded number of notes.
func TestNotesAreDeduplicatedAndBounded(t *testing.T) {
	s := openStore(t)
	run := start(t, server.Config{Store: s})
	do := networkSend(&http.Client{Timeout: time.Minute}, run.url)

	r := do(t, "GET", "/api/export?depth=0&center="+strings.Repeat("Jilin&center=", 4999)+"Jilin", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %.300s", r.status, r.body)
	}
	if notes := r.header.Values("X-Rustbelt-Note"); len(notes) != 1 || !strings.Contains(notes[0], "place/jilin-city") {
		t.Errorf("%d notes for one name repeated, want the one on the other Jilin: %.300q", len(notes), notes)
	}

	// 64 spellings of Jilin: 64 different notes.
	var spellings []string
	for mask := 0; mask < 64; mask++ {
		b := []byte("jilin!")
		for i := range 5 {
			if mask&(1<<i) != 0 {
				b[i] -= 'a' - 'A'
			}
		}
		spellings = append(spellings, "center="+string(b[:5])+strings.Repeat("+", mask>>5))
	}
	r = do(t, "GET", "/api/export?depth=0&"+strings.Join(spellings, "&"), nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %.300s", r.status, r.body)
	}
	notes := r.header.Values("X-Rustbelt-Note")
	size := 0
	seen := map[string]bool{}
	for _, n := range notes {
		size += len(n)
		if seen[n] {
			t.Errorf("note %q given twice", n)
		}
		seen[n] = true
	}
	if len(notes) > 20 || size > 8<<10 {
		t.Errorf("%d notes of %d bytes, want at most 20 and 8 KiB", len(notes), size)
	}
	if len(notes) == 0 || !strings.Contains(notes[len(notes)-1], "more notes") {
		t.Errorf("the notes do not say that some were left out: %q", notes)
	}
}

// TestParametersAreReadAlike checks the rules every endpoint shares: an
// empty parameter is refused everywhere, as is a date the calendar lacks.
func TestParametersAreReadAlike(t *testing.T) {
	s := openStore(t)
	do := handlerSend(server.New(server.Config{Store: s}).Handler())
	tests := []struct {
		method, path string
		status       int
		msg          string
	}{
		{"GET", "/api/appointments?to=", 400, `"to" is empty`},
		{"GET", "/api/appointments?from=&to=Jilin", 400, `"from" is empty`},
		{"GET", "/api/appointments?person=", 400, `"person" is empty`},
		{"GET", "/api/policies?place=", 400, `"place" is empty`},
		{"GET", "/api/investments?place=", 400, `"place" is empty`},
		{"GET", "/api/investments?company=", 400, `"company" is empty`},
		{"GET", "/api/indicators?place=Jilin&place=", 400, `"place" is empty`},
		{"GET", "/api/indicators?indicator=", 400, `"indicator" is empty`},
		{"GET", "/api/timeline?place=", 400, `"place" is empty`},
		{"GET", "/api/search?q=", 400, `"q" is empty`},
		{"GET", "/api/export?center=", 400, `"center" is empty`},
		{"GET", "/api/export?center=Jilin&format=", 400, `"format" is empty`},
		{"GET", "/api/appointments?to=Jilin&since=", 400, `"since" is empty`},
		{"GET", "/api/v2/query?lang=gizmo&qu=", 400, `"qu" is empty`},
		{"GET", "/api/v2/query?lang=&qu=g.V().All()", 400, `"lang" is empty`},
		{"POST", "/api/v1/query/gizmo?limit=", 400, `"limit" is empty`},
		{"GET", "/api/appointments?to=Jilin&pretty", 400, `"pretty" is empty`},
		{"GET", "/api/appointments?since=2019-02-29", 400, "2019-02-29"},
		{"GET", "/api/appointments?until=2023-04-31", 400, "30 days"},
		{"GET", "/api/policies?place=Harbin&since=2100-02-29", 400, "28 days"},
		{"GET", "/api/investments?place=Shenyang&until=2023-06-31", 400, "no such day"},
		{"GET", "/api/export?center=Jilin&since=2023-11-31", 400, "no such day"},
		{"GET", "/api/appointments?to=Jilin&since=2024-02-29", 200, ""},
		{"GET", "/api/appointments?to=Jilin&since=2000-02-29&until=2024-12-31", 200, ""},
	}
	for _, tt := range tests {
		r := do(t, tt.method, tt.path, strings.NewReader("g.V().All()"))
		if r.status != tt.status {
			t.Errorf("%s %s: status %d, want %d: %.300s", tt.method, tt.path, r.status, tt.status, r.body)
			continue
		}
		if tt.status != 200 {
			wantError("invalid", tt.msg)(t, r)
		}
	}
}

// TestErrorBodiesAreBounded sends 600 KB queries whose errors quote what
// was sent, among them a GraphQL syntax error, which Cayley's parser both
// echoes and takes minutes to report on one long line: each answer says
// what is wrong, promptly, without echoing it all.
func TestErrorBodiesAreBounded(t *testing.T) {
	s := openStore(t)
	do := handlerSend(server.New(server.Config{Store: s}).Handler())
	long := strings.Repeat("x", 600<<10)
	lines := strings.Repeat("    id\n", 600<<10/7)
	tests := []struct {
		path, body string
		msg        string
	}{
		{"/api/v2/query?lang=graphql", "{ nodes(" + long, "GraphQL lines are limited"},
		{"/api/v2/query?lang=graphql", `{ nodes(: "` + long + `") { id } }`, "GraphQL lines are limited"},
		{"/api/v2/query?lang=graphql", "{\r  nodes(\r" + long + ": 1) { id } }", "GraphQL lines are limited"},
		{"/api/v2/query?lang=graphql", "{\n  nodes {\n" + lines + "  (\n} }", "Syntax Error"},
		{"/api/v2/query?lang=mql", "[{" + long, ""},
		{"/api/v1/query/gizmo", "g.V(" + long + ")", long[:100]},
		{"/api/v1/query/gizmo", "g.V(" + long, ""},
		{"/api/v1/query/gizmo", `g.V().Out("` + long + `").All(`, ""},
	}
	for _, tt := range tests {
		var r response
		took := timed(func() { r = do(t, "POST", tt.path, strings.NewReader(tt.body)) })
		name := fmt.Sprintf("%s %.20q", tt.path, tt.body)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400: %.300s", name, r.status, r.body)
			continue
		}
		if len(r.body) > 4<<10 {
			t.Errorf("%s: a %d-byte error body: %.300s", name, len(r.body), r.body)
		}
		wantError("invalid", tt.msg)(t, r)
		if took > 20*time.Second { // a generous bound: milliseconds are expected
			t.Errorf("%s: answered after %s", name, took)
		}
	}
}
