package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

func TestResolve(t *testing.T) {
	st := mustOpen(t, boltPath(t), store.Options{})
	s := graph.New(st)
	ctx := context.Background()
	// Two people of one name, for the case no rule can decide.
	twins := strings.ReplaceAll(newFacts, "Test Official", "Li Kai")
	if _, err := st.Load(ctx, []store.Input{stringInput("twins.nq", twins)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		classes []schema.Class
		want    string    // the id resolved to
		others  []string  // candidates not chosen, for a decided tie
		code    fail.Code // for failures
		suggest string    // a candidate a failure must offer
	}{
		{name: "Cao Lubao", want: "person/cao-lubao"},
		{name: "cao lubao", want: "person/cao-lubao"},
		{name: "  SIASUN ", want: "company/siasun"},
		{name: "Dongbei", want: "place/northeast"},
		{name: "rust belt", want: "place/northeast"},
		{name: "place/jilin-city", want: "place/jilin-city"},
		{name: "https://rustbelt.dev/id/person/zhu-huan", want: "person/zhu-huan"},
		{name: "<https://rustbelt.dev/id/person/zhu-huan>", want: "person/zhu-huan"},
		{name: "Jilin", want: "place/jilin", others: []string{"place/jilin-city"}},
		{name: "Jilin City", want: "place/jilin-city"},
		{name: "Gaochun", classes: []schema.Class{schema.Place}, want: "place/gaochun-district"},
		{name: "Li Kai", code: fail.Ambiguous, suggest: "person/li-kai"},
		{name: "Cao Lubao", classes: []schema.Class{schema.Place}, code: fail.NotFound, suggest: "person/cao-lubao"},
		{name: "Shenyan", code: fail.NotFound, suggest: "place/shenyang"},
		{name: "Harbinn", code: fail.NotFound, suggest: "place/harbin"},
		{name: "Atlantis", code: fail.NotFound},
		{name: "   ", code: fail.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Resolve(ctx, tt.name, tt.classes...)
			if tt.want != "" {
				if err != nil || res.ID != tt.want {
					t.Fatalf("Resolve(%q) = %q, %v; want %q", tt.name, res.ID, err, tt.want)
				}
				var others []string
				for _, o := range res.Others {
					others = append(others, o.ID)
				}
				if strings.Join(others, ",") != strings.Join(tt.others, ",") {
					t.Errorf("others = %v, want %v", others, tt.others)
				}
				return
			}
			if fail.CodeOf(err) != tt.code {
				t.Fatalf("Resolve(%q) = %+v, %v; want error code %d", tt.name, res, err, tt.code)
			}
			if tt.suggest != "" && !strings.Contains(err.Error(), tt.suggest) {
				t.Errorf("error %q does not offer %s", err, tt.suggest)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	s := openGraph(t, "memory:", store.Options{})
	got, err := s.Suggest(context.Background(), "ji", 12)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, e := range got {
		ids[e.ID] = true
	}
	for _, want := range []string{"place/jilin", "place/jilin-city", "place/jinhua", "person/jiang-bing"} {
		if !ids[want] {
			t.Errorf("Suggest(ji) lacks %s: %v", want, got)
		}
	}
	if len(got) > 12 {
		t.Errorf("Suggest returned %d, limit 12", len(got))
	}
}
