package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/server"
	"github.com/rustbelt/rustbelt/store"
)

const writeToken = "s3cret-token"

// millQuads are a user's own quads, next to the curated graph.
const millQuads = `<http://example.org/mill> <http://schema.org/name> "Old mill" .
<http://example.org/mill> <http://example.org/near> <https://rustbelt.dev/id/place/jilin> <http://example.org/survey> .
`

// writable serves a seeded bolt store open for writing, taking writes with
// token (none when empty); it returns the store and the base URL.
func writable(t *testing.T, token string, readOnly bool) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rustbelt.bolt")
	if readOnly {
		s, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	s, err := store.Open(ctx, path, store.Options{ReadOnly: readOnly})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := httptest.NewServer(server.New(server.Config{Store: s, WriteToken: token, MaxBodyBytes: 4096}).Handler())
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// post sends body to path with the given Content-Type and Authorization.
func post(t *testing.T, url, contentType, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: answer is not JSON: %s", url, data)
	}
	return resp.StatusCode, m
}

// millName asks over HTTP, as the next client would, for the mill's name.
func millName(t *testing.T, base string) []any {
	t.Helper()
	_, m := post(t, base+"/api/v2/query?lang=gizmo", "", "", `g.V("<http://example.org/mill>").Out("<http://schema.org/name>").All()`)
	res, _ := m["result"].([]any)
	return res
}

// unchanged fails the test if the store's dump differs from before.
func unchanged(t *testing.T, s *store.Store, before string, what string) {
	t.Helper()
	if dump(t, s) != before {
		t.Errorf("%s changed the store", what)
	}
}

func dump(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	if _, err := s.Dump(context.Background(), &b, schema.NQuads); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestWritesAreRefusedUnlessTheServerTakesThemWithItsToken(t *testing.T) {
	for _, tc := range []struct {
		name, token, auth string
		readOnly          bool
		want              string
	}{
		{"off by default", "", "Bearer " + writeToken, false, "takes no writes"},
		{"off by default, no token given", "", "", false, "takes no writes"},
		{"no token", writeToken, "", false, "need the server's token"},
		{"wrong token", writeToken, "Bearer wrong", false, "need the server's token"},
		{"token as a prefix", writeToken, "Bearer " + writeToken[:4], false, "need the server's token"},
		{"not a bearer", writeToken, "Basic " + writeToken, false, "need the server's token"},
		{"read-only store", writeToken, "Bearer " + writeToken, true, "read-only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, base := writable(t, tc.token, tc.readOnly)
			before := dump(t, s)
			for _, path := range []string{"/api/v2/write", "/api/v2/delete", "/api/v1/write", "/api/v1/delete"} {
				status, m := post(t, base+path, "", tc.auth, millQuads)
				if msg, _ := m["error"].(string); status != http.StatusForbidden || !strings.Contains(msg, tc.want) {
					t.Errorf("%s: %d %v, want 403 saying %q", path, status, m, tc.want)
				}
			}
			unchanged(t, s, before, "a refused write")
		})
	}
}

func TestAValidWriteIsSeenByTheNextQuery(t *testing.T) {
	_, base := writable(t, writeToken, false)
	auth := "Bearer " + writeToken
	// curl's default type, read as N-Quads as Cayley reads it.
	status, m := post(t, base+"/api/v2/write", "application/x-www-form-urlencoded", auth, millQuads)
	if status != http.StatusOK || m["result"] != "Successfully wrote 2 quads." || m["count"] != 2.0 || m["added"] != 2.0 {
		t.Fatalf("write: %d %v", status, m)
	}
	if got := millName(t, base); len(got) != 1 || got[0].(map[string]any)["id"] != "Old mill" {
		t.Errorf("after the write the mill's name is %v", got)
	}
	// The same quads again, as Cayley's JSON quads: skipped and counted.
	jsonQuads := `[{"subject": "<http://example.org/mill>", "predicate": "<http://schema.org/name>", "object": "Old mill"},
		{"subject": "<http://example.org/mill>", "predicate": "<http://example.org/built>", "object": "\"1921\"^^<http://www.w3.org/2001/XMLSchema#integer>"}]`
	for _, path := range []string{"/api/v2/write", "/api/v1/write"} {
		status, m = post(t, base+path, "application/json", auth, jsonQuads)
		if status != http.StatusOK || m["count"] != 2.0 {
			t.Errorf("%s of JSON quads: %d %v", path, status, m)
		}
	}
	if m["duplicates"] != 2.0 {
		t.Errorf("second JSON write: %v, want 2 duplicates", m)
	}
	status, m = post(t, base+"/api/v2/delete", "text/plain", auth, millQuads+"<http://example.org/mill> <http://example.org/gone> \"x\" .\n")
	if status != http.StatusOK || m["result"] != "Successfully deleted 3 quads." || m["deleted"] != 2.0 || m["missing"] != 1.0 {
		t.Errorf("delete: %d %v", status, m)
	}
	if got := millName(t, base); len(got) != 0 {
		t.Errorf("after the delete the mill's name is %v", got)
	}
}

func TestAnInvalidWriteChangesNothing(t *testing.T) {
	s, base := writable(t, writeToken, false)
	auth := "Bearer " + writeToken
	before := dump(t, s)
	badDate := `<https://rustbelt.dev/id/event/x> <https://rustbelt.dev/ns/date> "last spring" <https://rustbelt.dev/id/source/x> .` + "\n"
	for _, tc := range []struct {
		name, path, contentType, body string
		status                        int
		want                          string
	}{
		{"vocabulary", "/api/v2/write", "", millQuads + badDate, http.StatusBadRequest, "request body:3: date: malformed date"},
		{"syntax", "/api/v2/write", "application/n-quads", millQuads + "<a> <b>\n", http.StatusBadRequest, "request body:3: N-Quads syntax"},
		{"JSON", "/api/v2/write", "application/json", `[{"subject": "<a>"`, http.StatusBadRequest, "json syntax"},
		{"JSON-LD", "/api/v2/write", "application/ld+json", `{}`, http.StatusBadRequest, "JSON-LD is not taken over HTTP"},
		{"delete syntax", "/api/v2/delete", "", millQuads + "<a> <b>\n", http.StatusBadRequest, "nothing was deleted"},
		{"too large", "/api/v2/write", "", strings.Repeat(millQuads, 100), http.StatusRequestEntityTooLarge, ""},
		{"parameters", "/api/v2/write?format=nquads", "", millQuads, http.StatusBadRequest, "unknown parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, m := post(t, base+tc.path, tc.contentType, auth, tc.body)
			if msg, _ := m["error"].(string); status != tc.status || !strings.Contains(msg, tc.want) {
				t.Errorf("%d %v, want %d saying %q", status, m, tc.status, tc.want)
			}
			unchanged(t, s, before, "an invalid write")
		})
	}
}
