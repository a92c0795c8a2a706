package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// hostileNames are names a user might type, paste or script that look like
// code in one of the languages under rustbelt: Gizmo's JavaScript, N-Quads,
// HTML. Every one must be taken as text.
var hostileNames = []string{
	`Cao Lubao"`,
	`Jilin")`,
	`Jilin"); g.Emit("pwned"); ("`,
	`') + g.V().All() + ('`,
	`back\slash\`,
	`\"`,
	`<https://rustbelt.dev/id/place/jilin>>`,
	`<script>alert(1)</script>`,
	"Jilin\nLiaoning",
	"line\r\nbreak",
	`<https://rustbelt.dev/id/person/x> <http://schema.org/name> "x" <https://rustbelt.dev/id/source/x> .`,
	`_:b0`,
	`${params.place}`,
	"nul\x00byte",
	`%22%29`,
}

// TestHostileNamesFindNothingAndChangeNothing asks every name-taking call
// for each hostile name on a seeded store: the answer is NotFound (or an
// Invalid name), never a result or a crash, and the store is unchanged.
func TestHostileNamesFindNothingAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, func(t *testing.T, s *store.Store) {
		before := quadCount(t, s)
		calls := map[string]func(string) error{
			"Resolve": func(n string) error { _, err := graph.New(s).Resolve(ctx, n); return err },
			"Card":    func(n string) error { _, _, err := graph.New(s).Card(ctx, n); return err },
			"Appointments --to": func(n string) error {
				_, _, err := graph.New(s).Appointments(ctx, graph.AppointmentFilter{To: n})
				return err
			},
			"Appointments --person": func(n string) error {
				_, _, err := graph.New(s).Appointments(ctx, graph.AppointmentFilter{Person: n})
				return err
			},
			"Policies": func(n string) error {
				_, _, err := graph.New(s).Policies(ctx, graph.PolicyFilter{Place: n})
				return err
			},
			"Investments": func(n string) error {
				_, _, err := graph.New(s).Investments(ctx, graph.InvestmentFilter{Place: n})
				return err
			},
			"Timeline": func(n string) error { _, _, err := graph.New(s).Timeline(ctx, n); return err },
			"Indicators": func(n string) error {
				_, _, err := graph.New(s).Indicators(ctx, graph.IndicatorFilter{Places: []string{n}})
				return err
			},
			"named query": func(n string) error {
				res, err := s.Query(ctx, `g.V().Has("<http://schema.org/name>", params.name).All()`, store.QueryOptions{Params: map[string]string{"name": n}})
				if err == nil && len(res.Result) > 0 {
					return fmt.Errorf("found %v", res.Result)
				}
				return &fail.Error{Code: fail.NotFound, Msg: "none"}
			},
		}
		for call, fn := range calls {
			for _, name := range hostileNames {
				err := fn(name)
				if c := fail.CodeOf(err); c != fail.NotFound && c != fail.Invalid {
					t.Errorf("%s(%q): %v, want NotFound or Invalid", call, name, err)
				}
			}
		}
		if after := quadCount(t, s); after != before {
			t.Errorf("the store went from %d to %d quads", before, after)
		}
	})
}

// TestHostileNamesAreFoundLiterally gives people the hostile names, then
// looks each up: the resolver and a parameterized query find exactly that
// person, by the literal name.
func TestHostileNamesAreFoundLiterally(t *testing.T) {
	ctx := context.Background()
	s := mustOpen(t, "memory:", store.Options{})
	var nq strings.Builder
	src := "<https://rustbelt.dev/id/source/hostile>"
	fmt.Fprintf(&nq, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> %s .\n", src, src)
	fmt.Fprintf(&nq, "%s <http://schema.org/name> \"Hostile names\" %s .\n", src, src)
	for i, name := range hostileNames {
		if strings.ContainsRune(name, 0) {
			continue // N-Quads cannot hold a NUL
		}
		p := fmt.Sprintf("<https://rustbelt.dev/id/person/hostile-%d>", i)
		fmt.Fprintf(&nq, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> %s .\n", p, src)
		fmt.Fprintf(&nq, "%s <http://schema.org/name> %s %s .\n", p, strconv.Quote(name), src)
	}
	if _, err := s.Load(ctx, []store.Input{stringInput("hostile.nq", nq.String())}, store.LoadOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	for i, name := range hostileNames {
		if strings.ContainsRune(name, 0) {
			continue
		}
		want := fmt.Sprintf("person/hostile-%d", i)
		if res, err := graph.New(s).Resolve(ctx, name); err != nil || res.ID != want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", name, res.ID, err, want)
		}
		// Gizmo reads a string that looks like <an IRI> or _:a blank node
		// as one, so such a name may find nothing; it must not find more.
		q, err := s.Query(ctx, `g.V().Has("<http://schema.org/name>", params.name).All()`, store.QueryOptions{Params: map[string]string{"name": name}})
		found := err == nil && len(q.Result) == 1 && fmt.Sprint(q.Result[0]) == "map[id:<https://rustbelt.dev/id/"+want+">]"
		if !found && (err != nil || len(q.Result) > 0 || !strings.HasPrefix(name, "<") && !strings.HasPrefix(name, "_:")) {
			t.Errorf("query for %q: %v, %v; want %s alone", name, q, err, want)
		}
	}
}

// TestHostileNamesThroughTheCommandLine passes each hostile name as an
// argument, a flag value and a --param to the real command: each run finds
// nothing (exit 3, or 2 for a name that cannot be one) or an empty result,
// and the store file is byte for byte what it was.
func TestHostileNamesThroughTheCommandLine(t *testing.T) {
	db := boltPath(t)
	before := seededStore(t, db)
	for _, name := range hostileNames {
		if strings.ContainsRune(name, 0) {
			continue // no process argument can hold a NUL
		}
		for _, args := range [][]string{
			{"show", name},
			{"appointments", "--to", name},
			{"policies", "--place", name},
			{"query", "appointments-to", "--param", "place=" + name},
			{"query", "neighbourhood", "--param", "name=" + name},
		} {
			c := runChild(t, db, args...)
			ok := c.code == 3 || c.code == 2
			if args[0] == "query" {
				ok = c.code == 0 && strings.Join(strings.Fields(c.stdout), "") == `{"result":[]}`
			}
			if !ok || strings.Contains(c.stderr, "panic") {
				t.Errorf("%q: exit %d, stdout %q, stderr %q", args, c.code, c.stdout, c.stderr)
			}
		}
	}
	after, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("read commands changed the store file")
	}
}
