package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/server"
)

// fuzzRoutes are the endpoints FuzzAPIParams sends arbitrary query strings
// to: every route that reads parameters. The Gizmo text of a GET query is a
// parameter too (qu).
var fuzzRoutes = []struct{ method, path string }{
	{"GET", "/api/appointments"},
	{"GET", "/api/policies"},
	{"GET", "/api/investments"},
	{"GET", "/api/indicators"},
	{"GET", "/api/timeline"},
	{"GET", "/api/entities/place/jilin"},
	{"GET", "/api/search"},
	{"GET", "/api/export"},
	{"GET", "/api/export/formats"},
	{"GET", "/api/v2/query"},
	{"POST", "/api/v1/query/gizmo"},
	{"POST", "/api/v2/query"},
	{"GET", "/healthz"},
}

// FuzzAPIParams sends every route arbitrary raw query strings (and an
// arbitrary entity id): no answer may be a 5xx, and every answer under /api/
// must be JSON, with an error message when it is not a 200.
func FuzzAPIParams(f *testing.F) {
	for _, s := range []struct {
		route uint8
		query string
	}{
		{0, "to=Jilin&since=2024"}, {0, "to=Jilin&to=Liaoning"}, {0, "since=2024-13"}, {0, "%zz"},
		{1, "place=Harbin&inside=maybe"}, {3, "place=Liaoning&place=Jilin&indicator=gdp-growth&period=2023"},
		{4, "place=%22%29%3B+g.Emit%28"}, {6, "q=Ji&limit=-1"}, {6, "q=%00%ff"}, {7, "format=dot&center=Jilin&depth=99"},
		{9, "lang=gizmo&qu=g.V().All()&limit=2"}, {9, "lang=sparql&qu=x"}, {9, "lang=gizmo&qu=while(true){}"},
		{10, "limit=abc"}, {11, "lang=graphql"}, {12, "x=1"},
	} {
		f.Add(s.route, s.query, "place/jilin")
	}
	h := server.New(server.Config{Store: openStore(f), QueryTimeout: time.Second}).Handler()
	f.Fuzz(func(t *testing.T, route uint8, rawQuery, id string) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest(rt.method, rt.path, strings.NewReader("g.V().Limit(1).All()"))
		req.URL.RawQuery = rawQuery
		if strings.HasPrefix(rt.path, "/api/entities/") {
			req.URL.Path = "/api/entities/" + id
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusGatewayTimeout {
			t.Fatalf("%s %s?%s: status %d: %s", rt.method, req.URL.Path, rawQuery, rec.Code, rec.Body)
		}
		switch {
		case rec.Code/100 == 3:
			return // the mux redirects paths it cleans (/api/entities/.)
		case !strings.HasPrefix(req.URL.Path, "/api/") || strings.HasPrefix(req.URL.Path, "/api/export") && rec.Code == 200:
			return // pages and exports in other formats
		}
		var body map[string]any
		if rec.Code != http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body["error"] == "" {
				t.Fatalf("%s %s?%s: status %d without a JSON error: %s", rt.method, req.URL.Path, rawQuery, rec.Code, rec.Body)
			}
		} else if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s?%s: answer is not JSON: %s", rt.method, req.URL.Path, rawQuery, rec.Body)
		}
	})
}
