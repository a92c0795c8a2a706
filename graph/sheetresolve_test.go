package graph_test

import (
	"context"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
)

func TestMatchesListsEveryEntityANameFits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, g *graph.Graph) {
		ctx := context.Background()
		tests := []struct {
			name    string
			classes []schema.Class
			want    []string
			code    fail.Code // of the error, when want is nil
		}{
			{"Jilin", nil, []string{"place/jilin", "place/jilin-city"}, 0}, // no broadest place is taken
			{"jilin city", []schema.Class{schema.Place}, []string{"place/jilin-city"}, 0},
			{"Dongbei", nil, []string{"place/northeast"}, 0},
			{"place/jilin-city", nil, []string{"place/jilin-city"}, 0},
			{"Siasun", []schema.Class{schema.Place}, nil, fail.NotFound},
			{"Jilni", nil, nil, fail.NotFound},
			{" ", nil, nil, fail.Invalid},
		}
		for _, tt := range tests {
			got, err := g.Matches(ctx, tt.name, tt.classes...)
			if tt.want == nil {
				if fail.CodeOf(err) != tt.code || err == nil {
					t.Errorf("Matches(%q) = %v, %v; want an error of code %d", tt.name, got, err, tt.code)
				}
				continue
			}
			if err != nil || !sameSet(ids(got, func(e graph.Entity) string { return e.ID }), tt.want) {
				t.Errorf("Matches(%q) = %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
		_, err := g.Matches(ctx, "Jilni")
		if fe, ok := err.(*fail.Error); !ok || len(fe.Candidates) == 0 || fe.Candidates[0].Name != "Jilin" {
			t.Errorf("a near miss: %v, want the closest names as candidates", err)
		}
	})
}
