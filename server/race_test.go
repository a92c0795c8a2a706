package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/server"
	"github.com/rustbelt/rustbelt/store"
)

// answerOf is what a client reads of an answer: status, notes and body.
type answerOf struct {
	status int
	notes  []string
	body   string
}

func (a answerOf) String() string {
	return fmt.Sprintf("%d %q %.600s", a.status, a.notes, a.body)
}

// fetchAnswer asks one question of a server; it is safe to call from any
// goroutine.
func fetchAnswer(client *http.Client, base, path string) (answerOf, error) {
	resp, err := client.Get(base + path)
	if err != nil {
		return answerOf{}, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answerOf{}, fmt.Errorf("read the answer of GET %s: %w", path, err)
	}
	return answerOf{resp.StatusCode, resp.Header.Values("X-Rustbelt-Note"), string(b)}, nil
}

// taskPaths are the task endpoints asked about every place of the bundled
// dataset, by name (so that names shared by several places are resolved
// too) and by id.
func taskPaths(t *testing.T, s *store.Store) []string {
	t.Helper()
	places, err := graph.New(s).Within(context.Background(), "place/china")
	if err != nil {
		t.Fatal(err)
	}
	if len(places) < 20 {
		t.Fatalf("the dataset has %d places in China; the test wants many", len(places))
	}
	var paths []string
	for _, p := range places {
		name, id := url.QueryEscape(p.Name), url.QueryEscape(p.ID)
		paths = append(paths,
			"/api/appointments?to="+name,
			"/api/appointments?from="+name,
			"/api/policies?place="+name,
			"/api/policies?place="+name+"&inside=true",
			"/api/investments?place="+id,
			"/api/indicators?place="+name,
			"/api/timeline?place="+id,
			"/api/entities/"+p.ID,
			"/api/search?q="+name,
			"/api/export?center="+id+"&depth=1",
		)
	}
	return append(paths, "/api/appointments", "/api/investments", "/api/indicators", "/api/export?type=place")
}

// TestParallelClientsOnAFreshServer has 16 clients ask many different
// questions about every place at once of a server that has answered
// nothing yet, so that they build its caches together: no answer is a 5xx,
// every question gets the same bytes every time it is asked, and the same
// again when it is asked alone afterwards. Run with -race, it also shows
// any state the requests share unguarded.
func TestParallelClientsOnAFreshServer(t *testing.T) {
	s := openStore(t)
	// Generous limits: a 504 from a loaded machine would read as a
	// different answer.
	run := start(t, server.Config{Store: s, QueryLimit: testLimit, QueryTimeout: 2 * time.Minute})
	paths := taskPaths(t, s)
	client := &http.Client{Timeout: 3 * time.Minute}

	const clients, asks = 16, 4 // each path is asked by asks clients
	var (
		mu       sync.Mutex
		first    = map[string]answerOf{}
		problems []string
		wg       sync.WaitGroup
	)
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	for c := range clients {
		wg.Go(func() {
			// Client c asks the paths whose index is c modulo clients/asks,
			// starting at a different place than the others that ask them.
			for i := range paths {
				j := (i + c*len(paths)/clients) % len(paths)
				if j%(clients/asks) != c%(clients/asks) {
					continue
				}
				a, err := fetchAnswer(client, run.url, paths[j])
				if err != nil {
					report("%v", err)
					return
				}
				if a.status >= 500 {
					report("GET %s: %s", paths[j], a)
				}
				mu.Lock()
				want, seen := first[paths[j]]
				if !seen {
					first[paths[j]] = a
				}
				mu.Unlock()
				if seen && !sameAnswer(a, want) {
					report("GET %s: answers differ\n%s\n%s", paths[j], a, want)
				}
			}
		})
	}
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	for _, path := range paths {
		a, err := fetchAnswer(client, run.url, path)
		if err != nil {
			t.Fatal(err)
		}
		if want := first[path]; !sameAnswer(a, want) {
			t.Errorf("GET %s: asked alone after the crowd, the answer differs\n%s\n%s", path, a, want)
		}
	}
	if a, err := fetchAnswer(client, run.url, "/healthz"); err != nil || a.status != http.StatusOK {
		t.Errorf("health after the crowd: %v %v", a, err)
	}
}

func sameAnswer(a, b answerOf) bool {
	return a.status == b.status && a.body == b.body && strings.Join(a.notes, "\n") == strings.Join(b.notes, "\n")
}

// TestDeadlineIsNeverA200 asks the task questions of fresh servers whose
// time limit ends while a question is being read, at many points: each
// answer is the unhurried one or a 504, never a 200 built from reads the
// deadline cut short (ids in place of names, say).
func TestDeadlineIsNeverA200(t *testing.T) {
	s := openStore(t)
	paths := []string{
		"/api/appointments?to=Northeast",
		"/api/appointments?from=Jiangsu",
		"/api/policies?place=China&inside=true",
		"/api/investments?place=Liaoning",
		"/api/indicators?place=Northeast",
		"/api/timeline?place=Jilin",
		"/api/entities/China",
		"/api/search?q=Jilin",
		"/api/export?center=Liaoning&depth=1",
	}
	client := &http.Client{Timeout: time.Minute}
	ref := start(t, server.Config{Store: s})
	want := map[string]answerOf{}
	for _, p := range paths {
		a, err := fetchAnswer(client, ref.url, p)
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusOK {
			t.Fatalf("GET %s: %s", p, a)
		}
		want[p] = a
	}
	var cut, whole int
	for limit := time.Microsecond; limit < 50*time.Millisecond; limit = limit * 3 / 2 {
		// A fresh server for each limit, so that the reads are not cached.
		run := start(t, server.Config{Store: s, QueryTimeout: limit})
		for _, p := range paths {
			a, err := fetchAnswer(client, run.url, p)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case a.status == http.StatusGatewayTimeout:
				cut++
			case a.status == http.StatusOK && a.body == want[p].body:
				whole++
			default:
				t.Errorf("GET %s with a time limit of %s: %s\nwant 504 or the whole answer", p, limit, a)
			}
		}
	}
	t.Logf("%d answers cut by the deadline, %d whole", cut, whole)
	if cut == 0 {
		t.Error("no deadline ended a question: the limits tried are too long to test anything")
	}
}
