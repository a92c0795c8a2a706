package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// TestDuplicatesInANewFileAreSkippedAndCounted loads, on every backend and
// down both roads of a bolt load, a file in which two new quads repeat next
// to one already stored: each must be stored once, and the report must count
// the repeats.
func TestDuplicatesInANewFileAreSkippedAndCounted(t *testing.T) {
	const quad1 = "<http://example.org/a> <http://example.org/knows> <http://example.org/b> .\n"
	const quad2 = "<http://example.org/a> <http://example.org/age> \"7\"^^<http://www.w3.org/2001/XMLSchema#integer> <http://example.org/g> .\n"
	const seedQuad = "<https://rustbelt.dev/id/source/test> <http://schema.org/name> \"A test source\" <https://rustbelt.dev/id/source/test> .\n"
	file := quad1 + quad2 + quad1 + seedQuad + quad2 + quad1 + seedQuad
	run := func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.Load(ctx, []store.Input{stringInput("new.nq", newFacts)}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		before := quadCount(t, s)
		rep, err := s.Load(ctx, []store.Input{stringInput("dups.nq", file), stringInput("again.nq", quad1)}, store.LoadOptions{})
		if err != nil {
			t.Fatalf("duplicates must not abort a load: %v", err)
		}
		if rep.Read != 8 || rep.Added != 2 || rep.Duplicates != 6 {
			t.Errorf("report %+v, want 8 read, 2 added, 6 duplicates", rep)
		}
		if got := quadCount(t, s); got != before+2 {
			t.Errorf("store holds %d quads, want %d", got, before+2)
		}
		if got := gizmo(t, s, `g.V("<http://example.org/a>").out("<http://example.org/knows>").all()`); len(got) != 1 {
			t.Errorf("the repeated quad answers %d times, want once", len(got))
		}
		rep, err = s.Load(ctx, []store.Input{stringInput("third.nq", file)}, store.LoadOptions{})
		if err != nil || rep.Added != 0 || rep.Duplicates != 7 {
			t.Errorf("loading the file again: %+v, %v; want 0 added, 7 duplicates", rep, err)
		}
	}
	for _, b := range backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			run(t, mustOpen(t, b.Addr(t), store.Options{NoSeed: true}))
		})
	}
	t.Run("bolt by swap", func(t *testing.T) {
		defer store.SetInPlaceMax(0)()
		run(t, mustOpen(t, boltPath(t), store.Options{}))
	})
}

// cayleyStyle is data as Cayley users write it: relative IRIs, most quads
// without a label, two in a graph of their own.
const cayleyStyle = `<alice> <follows> <bob> .
<bob> <follows> <fred> .
<bob> <status> "cool_person" .
<dani> <follows> <bob> .
<emily> <status> "smart_person" <smart_graph> .
<greg> <status> "smart_person" <smart_graph> .
`

func TestStatsCountUnlabelledQuadsAsUnsourced(t *testing.T) {
	ctx := context.Background()
	for _, seeded := range []bool{false, true} {
		s := mustOpen(t, "memory:", store.Options{NoSeed: !seeded})
		before, err := graph.New(s).Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Load(ctx, []store.Input{stringInput("mine.nq", cayleyStyle)}, store.LoadOptions{}); err != nil {
			t.Fatal(err)
		}
		st, err := graph.New(s).Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Unsourced != before.Unsourced+4 || st.Quads != before.Quads+6 {
			t.Errorf("seeded %v: %d quads, %d unsourced; want %d and %d", seeded, st.Quads, st.Unsourced, before.Quads+6, before.Unsourced+4)
		}
		var own *graph.SourceInfo
		for i, src := range st.Sources {
			if src.ID == "smart_graph" {
				own = &st.Sources[i]
			}
		}
		if own == nil || own.Quads != 2 || len(st.Sources) != len(before.Sources)+1 {
			t.Errorf("seeded %v: sources %+v, want the user's label with 2 quads next to %d others", seeded, st.Sources, len(before.Sources))
		}
	}
}

// TestOtherQueryLanguagesAnswerOnUsersData runs Cayley's GraphQL and MQL
// over a user's data loaded next to the bundled dataset.
func TestOtherQueryLanguagesAnswerOnUsersData(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	if _, err := s.Load(context.Background(), []store.Input{stringInput("mine.nq", cayleyStyle)}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, query, want string
	}{
		{"graphql", `{ people(status: "cool_person") { id followers: follows @rev { id } } }`,
			`[{"people":{"followers":[{"id":"alice"},{"id":"dani"}],"id":"bob"}}]`},
		{"graphql", `{ people(id: emily) { id status @label(v: <smart_graph>) } }`,
			`[{"people":{"id":"emily","status":"smart_person"}}]`},
		{"mql", `[{"id": null, "<status>": "cool_person"}]`,
			`[{"<status>":"cool_person","id":"<bob>"}]`},
		{"mql", `[{"id": "<bob>", "!<follows>": []}]`,
			`[{"!<follows>":["<alice>","<dani>"],"id":"<bob>"}]`},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			res, err := s.Query(context.Background(), tc.query, store.QueryOptions{Lang: tc.lang})
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			enc := json.NewEncoder(&got)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(res.Result); err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(got.String()) != tc.want {
				t.Errorf("%s\n got %s\nwant %s", tc.query, got.String(), tc.want)
			}
		})
	}
	_, err := s.Query(context.Background(), `{ people(`, store.QueryOptions{Lang: "graphql"})
	if fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "query") {
		t.Errorf("broken GraphQL: %v, want Invalid", err)
	}
}
