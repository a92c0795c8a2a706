package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/server"
	"github.com/rustbelt/rustbelt/store"
)

// TestAnswersAsStockCayley holds rustbelt's Cayley endpoints to stock
// Cayley v0.7.7: the queries of Cayley's own Gizmo, GraphQL and MQL test
// suites (testdata/cayley) run over HTTP on Cayley's own test data, in a
// rustbelt store that holds that data and nothing else (no bundled dataset,
// since g.V() and labels() answer for the whole store), and must give the
// answers stock Cayley gave on the same data and backend (expected-*.json).
//
// The answers are facts produced by running stock Cayley, not copied from
// its tests. To record them again from a stock cayley binary:
//
//	go test ./server -run TestAnswersAsStockCayley -stock-cayley=PATH
var stockCayley = flag.String("stock-cayley", "", "record this stock cayley binary's answers in testdata/cayley instead of comparing")

// cayleyQueryFiles are the query files of testdata/cayley by language.
var cayleyQueryFiles = []struct{ lang, file string }{
	{"gizmo", "gizmo.js"},
	{"graphql", "graphql.txt"},
	{"mql", "mql.txt"},
}

// cayleyData are the files of Cayley's data folder the queries run on.
var cayleyData = []string{"testdata.nq", "testdata_multigraph.nq"}

// cayleyBackends pairs each of stock Cayley's backends with rustbelt's: a
// query cut by limit or skip keeps the nodes the backend yields first.
var cayleyBackends = []struct {
	stock string
	addr  func(testing.TB) string
}{
	{"memstore", func(testing.TB) string { return "memory:" }},
	{"bolt", func(t testing.TB) string { return filepath.Join(t.TempDir(), "rustbelt.bolt") }},
}

func TestAnswersAsStockCayley(t *testing.T) {
	queries := readCayleyQueries(t)
	dataDir := cayleyDataDir(t)
	for _, b := range cayleyBackends {
		for _, data := range cayleyData {
			t.Run(b.stock+"/"+data, func(t *testing.T) {
				dataPath := filepath.Join(dataDir, data)
				expected := filepath.Join("testdata", "cayley", "expected-"+b.stock+"-"+strings.TrimSuffix(data, ".nq")+".json")
				if *stockCayley != "" {
					recordStockAnswers(t, b.stock, dataPath, queries, expected)
					return
				}
				want := readStockAnswers(t, expected)
				base := serveCayleyData(t, b.addr(t), dataPath)
				for _, q := range queries {
					w, ok := want[q.lang][q.name]
					if !ok {
						t.Errorf("%s %q: no stock answer in %s; record them again", q.lang, q.name, expected)
						continue
					}
					for _, endpoint := range []string{"v1", "v2"} {
						if diff := compareWithStock(q, w, ask(t, base, endpoint, q)); diff != "" {
							t.Errorf("%s %q over %s: %s\nquery: %s", q.lang, q.name, endpoint, diff, q.text)
						}
					}
				}
			})
		}
	}
}

// cayleyQuery is one query of a testdata/cayley file.
type cayleyQuery struct{ lang, name, text string }

// readCayleyQueries reads every query file. A query starts with a line
// "// == NAME" (or "# == NAME") and runs to the next; what comes before the
// first is the file's comment.
func readCayleyQueries(t *testing.T) []cayleyQuery {
	t.Helper()
	header := regexp.MustCompile(`^(?://|#) == (.+)$`)
	var all []cayleyQuery
	for _, f := range cayleyQueryFiles {
		file, err := os.Open(filepath.Join("testdata", "cayley", f.file))
		if err != nil {
			t.Fatal(err)
		}
		var qs []cayleyQuery
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			if m := header.FindStringSubmatch(sc.Text()); m != nil {
				qs = append(qs, cayleyQuery{lang: f.lang, name: m[1]})
			} else if len(qs) > 0 {
				qs[len(qs)-1].text += sc.Text() + "\n"
			}
		}
		file.Close()
		if err := sc.Err(); err != nil || len(qs) == 0 {
			t.Fatalf("%s: %d queries, %v", f.file, len(qs), err)
		}
		for i := range qs {
			qs[i].text = strings.TrimSpace(qs[i].text)
		}
		all = append(all, qs...)
	}
	return all
}

// cayleyDataDir is the data folder of the Cayley module this build uses,
// read where it is rather than copied into the repository.
func cayleyDataDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cayleygraph/cayley").Output()
	if err != nil {
		t.Fatalf("find the Cayley module (go list -m): %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "data")
}

// serveCayleyData loads one of Cayley's data files into a new, empty store
// at addr and serves it as `rustbelt serve` does; it returns the base URL.
func serveCayleyData(t *testing.T, addr, dataPath string) string {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, addr, store.Options{NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	in, cleanup, err := store.FileInput(dataPath)
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, []store.Input{in}, store.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{Store: s, QueryLimit: server.DefaultQueryLimit}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// cayleyAnswer is one answer over HTTP: its status and its JSON body.
type cayleyAnswer struct {
	Status int `json:"status"`
	Body   any `json:"body"`
}

// ask posts q to Cayley's v1 or v2 query endpoint at base.
func ask(t *testing.T, base, endpoint string, q cayleyQuery) cayleyAnswer {
	t.Helper()
	url := base + "/api/v2/query?lang=" + q.lang
	if endpoint == "v1" {
		url = base + "/api/v1/query/" + q.lang
	}
	resp, err := http.Post(url, "text/plain", strings.NewReader(q.text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := cayleyAnswer{Status: resp.StatusCode}
	if err := json.Unmarshal(data, &a.Body); err != nil {
		a.Body = string(data) // kept as it came, for the message
	}
	return a
}

// compareWithStock says how got differs from stock Cayley's answer, or ""
// when it does not, allowing for what rustbelt does on purpose:
//   - a failed query is an HTTP error (stock Gizmo says 200 with an error);
//   - no results are [] (stock writes null), and null results are left out
//     (stock writes [null] for a count);
//   - results may come in another order unless the query asks for one.
func compareWithStock(q cayleyQuery, stock, got cayleyAnswer) string {
	stockBody, _ := stock.Body.(map[string]any)
	gotBody, _ := got.Body.(map[string]any)
	if stockBody["error"] != nil || stockBody["errors"] != nil {
		if got.Status < 400 || gotBody["error"] == nil {
			return fmt.Sprintf("stock Cayley fails (%v), rustbelt answers %d %v", stockBody, got.Status, got.Body)
		}
		return ""
	}
	if got.Status != http.StatusOK {
		return fmt.Sprintf("status %d %v, stock Cayley answers %v", got.Status, got.Body, stock.Body)
	}
	key := "result"
	if q.lang == "graphql" {
		key = "data"
	}
	ordered := strings.Contains(q.text, ".order()")
	want, have := canonical(withoutNulls(stockBody[key]), ordered), canonical(withoutNulls(gotBody[key]), ordered)
	if want != have {
		return fmt.Sprintf("answers\n  %s\nstock Cayley answers\n  %s", have, want)
	}
	return ""
}

// withoutNulls drops the null entries of a list of results, and reads no
// list as an empty one.
func withoutNulls(v any) any {
	list, ok := v.([]any)
	if !ok && v != nil {
		return v
	}
	out := []any{}
	for _, x := range list {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

// canonical writes v as JSON with every list sorted, so that answers
// compare as multisets; ordered keeps the order of the outer list.
func canonical(v any, ordered bool) string {
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canonical(e, false)
		}
		if !ordered {
			sort.Strings(parts)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			kb, _ := json.Marshal(k)
			parts[i] = string(kb) + ":" + canonical(x[k], false)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// stockAnswers are stock Cayley's answers by language and query name.
type stockAnswers map[string]map[string]cayleyAnswer

func readStockAnswers(t *testing.T, path string) stockAnswers {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (record stock Cayley's answers with -stock-cayley)", err)
	}
	var a stockAnswers
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

// recordStockAnswers runs the stock cayley binary over dataPath on backend,
// asks it every query over its v2 endpoint, checks that v1 answers the same,
// and writes the answers to path.
func recordStockAnswers(t *testing.T, backend, dataPath string, queries []cayleyQuery, path string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hostPort := l.Addr().String()
	l.Close()
	args := []string{"http", "--host", hostPort, "-d", backend, "-i", dataPath}
	if backend != "memstore" {
		args = append(args, "--init", "-a", filepath.Join(t.TempDir(), "db"))
	}
	cmd := exec.Command(*stockCayley, args...)
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + hostPort
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("stock cayley did not start:\n%s", log.String())
		}
	}
	answers := stockAnswers{}
	for _, q := range queries {
		a := ask(t, base, "v2", q)
		if v1 := ask(t, base, "v1", q); canonical(v1.Body, true) != canonical(a.Body, true) {
			t.Errorf("%s %q: stock v1 answers %v, v2 %v: record both", q.lang, q.name, v1.Body, a.Body)
		}
		if answers[q.lang] == nil {
			answers[q.lang] = map[string]cayleyAnswer{}
		}
		answers[q.lang][q.name] = a
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(answers); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
