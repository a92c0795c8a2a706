package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/server"
)

// TestCareerEndpointsAnswerAsTheCommands checks /api/careers, /api/holders
// and /api/flows: the library's answers, as the command line's JSON, and
// bad input refused as everywhere else.
func TestCareerEndpointsAnswerAsTheCommands(t *testing.T) {
	s := openStore(t)
	g := graph.New(s)
	ctx := context.Background()
	career, _, err := g.Career(ctx, "person/cao-lubao")
	if err != nil {
		t.Fatal(err)
	}
	holders, _, err := g.Holders(ctx, graph.HolderFilter{Post: "Party secretary of Meihekou", On: "2024-07"})
	if err != nil {
		t.Fatal(err)
	}
	flows, _, err := g.Flows(ctx, graph.FlowFilter{Level: "province"})
	if err != nil {
		t.Fatal(err)
	}
	cityFlows, _, err := g.Flows(ctx, graph.FlowFilter{Level: "city", To: "Jilin", DateRange: graph.DateRange{Since: "2024"}})
	if err != nil {
		t.Fatal(err)
	}
	do := handlerSend(server.New(server.Config{Store: s, QueryLimit: testLimit}).Handler())
	for _, tc := range []struct {
		path   string
		status int
		check  func(*testing.T, response)
	}{
		{"/api/careers/person/cao-lubao", http.StatusOK, func(t *testing.T, r response) { sameJSON(t, r, career) }},
		{"/api/careers/Cao%20Lubao", http.StatusOK, func(t *testing.T, r response) { sameJSON(t, r, career) }},
		{"/api/holders?post=Party+secretary+of+Meihekou&on=2024-07", http.StatusOK, func(t *testing.T, r response) { sameJSON(t, r, holders) }},
		{"/api/flows?level=province", http.StatusOK, func(t *testing.T, r response) { sameJSON(t, r, flows) }},
		{"/api/flows?level=city&to=Jilin&since=2024", http.StatusOK, func(t *testing.T, r response) {
			sameJSON(t, r, cityFlows)
			if r.header.Get("X-Rustbelt-Note") == "" {
				t.Error("no note says which Jilin was taken")
			}
		}},
		{"/api/careers/Jilni", http.StatusNotFound, wantError("not_found", `"Jilni"`)},
		{"/api/holders", http.StatusBadRequest, wantError("invalid", "name a post or a place")},
		{"/api/holders?post=Party+secretary+of+Meihekou&on=soon", http.StatusBadRequest, wantError("invalid", `malformed date "soon"`)},
		{"/api/flows?level=county", http.StatusBadRequest, wantError("invalid", `unknown level "county"`)},
		{"/api/flows?colour=red", http.StatusBadRequest, wantError("invalid", "colour")},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := do(t, http.MethodGet, tc.path, nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d; body: %s", r.status, tc.status, r.body)
			}
			tc.check(t, r)
		})
	}
}
