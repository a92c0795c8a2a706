package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/server"
)

// TestCheckEndpoint: /api/check answers what `rustbelt check --format
// json` prints, with 200 whatever the findings are; on the test store,
// whose second Li Kai is linked to nothing, that is two warnings and the
// bundled data's inferred facts.
func TestCheckEndpoint(t *testing.T) {
	s := openStore(t)
	do := handlerSend(server.New(server.Config{Store: s}).Handler())
	want, err := graph.New(s).Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, http.MethodGet, "/api/check", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	sameJSON(t, r, want)
	var got []graph.Finding
	r.decode(t, &got)
	rules := map[string]int{}
	for _, f := range got {
		rules[f.Severity+" "+f.Rule]++
	}
	if rules["warning duplicate"] != 1 || rules["warning unreferenced"] != 1 || rules["info inferred"] == 0 || rules["error conflict"] != 0 {
		t.Errorf("findings by rule: %v", rules)
	}
	if r := do(t, http.MethodGet, "/api/check?severity=error", nil); r.status != http.StatusBadRequest {
		t.Errorf("an unknown parameter: status %d, want 400: %s", r.status, r.body)
	}
}
