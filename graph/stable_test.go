package graph_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// TestAnswersAreStable asks every question several times on fresh graphs
// over fresh stores of every backend: an answer is the same bytes every
// time, and the same on every backend (but for the backend's name in stats).
func TestAnswersAreStable(t *testing.T) {
	const stores, asks = 2, 4
	ctx := context.Background()
	first := map[string]string{} // question → answer, across backends
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			for i := range stores {
				s := mustOpen(t, b.Addr(t), store.Options{})
				g := graph.New(s)
				for _, q := range questions {
					for j := range asks {
						got := answerBytes(q.ask(ctx, g))
						key := q.name
						if q.name == "stats" {
							key += " " + b.Name
						}
						want, ok := first[key]
						if !ok {
							first[key] = got
							continue
						}
						if got != want {
							t.Errorf("%s, store %d, ask %d: answer differs from the first\n got: %.2000s\nwant: %.2000s", q.name, i, j, got, want)
						}
					}
				}
			}
		})
	}
}

// TestPolicyAimedAtSeveralPlacesHasOneVia pins the rule that chooses the
// target and via of a policy aimed at several of the places that count:
// the shortest chain, and among chains of one length the target whose id
// sorts first.
func TestPolicyAimedAtSeveralPlacesHasOneVia(t *testing.T) {
	g := openGraph(t, "memory:", store.Options{})
	tests := []struct {
		filter      graph.PolicyFilter
		policy      string
		target, via string
	}{
		// Jilin and Liaoning are both one step inside the Northeast.
		{graph.PolicyFilter{Place: "Northeast", Inside: true}, "policy/jilin-liaoning-talent-policies", "Jilin", "Jilin ⊂ Northeast"},
		{graph.PolicyFilter{Place: "China", Inside: true}, "policy/jilin-liaoning-talent-policies", "Jilin", "Jilin ⊂ Northeast ⊂ China"},
		{graph.PolicyFilter{Place: "China", Inside: true}, "policy/harbin-changchun-city-cluster", "Heilongjiang", "Heilongjiang ⊂ Northeast ⊂ China"},
		// The asked place itself is nearer than any place inside it.
		{graph.PolicyFilter{Place: "Jilin", Inside: true}, "policy/harbin-changchun-city-cluster", "Jilin", "Jilin"},
		// Daqing lies in Heilongjiang and directly in the Northeast: the
		// shorter chain wins.
		{graph.PolicyFilter{Place: "Daqing"}, "policy/northeast-old-industrial-bases-2003", "Northeast", "Daqing ⊂ Northeast"},
		{graph.PolicyFilter{Place: "Daqing"}, "policy/no1-document-2024", "China", "Daqing ⊂ Northeast ⊂ China"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s", tt.filter.Place, tt.policy), func(t *testing.T) {
			for range 10 {
				rows, _, err := g.Policies(context.Background(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, r := range rows {
					if r.ID != tt.policy {
						continue
					}
					found = true
					if r.Target != tt.target || r.Via != tt.via {
						t.Fatalf("target %q via %q, want %q via %q", r.Target, r.Via, tt.target, tt.via)
					}
				}
				if !found {
					t.Fatalf("%s is not among the policies", tt.policy)
				}
			}
		})
	}
}

// TestConcurrentQuestionsOnOneGraph asks every question from many
// goroutines at once on one fresh graph, whose caches they build and share:
// under the race detector any unguarded cache shows, and every answer is
// the one a lone request gets.
func TestConcurrentQuestionsOnOneGraph(t *testing.T) {
	ctx := context.Background()
	for _, addr := range []string{"memory:", boltPath(t)} {
		s := mustOpen(t, addr, store.Options{})
		want := map[string]string{}
		for _, q := range questions {
			want[q.name] = answerBytes(q.ask(ctx, graph.New(s)))
		}
		g := graph.New(s)
		const workers, rounds = 16, 1
		var wg sync.WaitGroup
		errs := make(chan string, workers*rounds*len(questions))
		for w := range workers {
			wg.Go(func() {
				for i := range rounds * len(questions) {
					q := questions[(w*7+i)%len(questions)] // each worker starts elsewhere
					if got := answerBytes(q.ask(ctx, g)); got != want[q.name] {
						errs <- fmt.Sprintf("%s: %s: concurrent answer differs\n got: %.1000s\nwant: %.1000s", addr, q.name, got, want[q.name])
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}
