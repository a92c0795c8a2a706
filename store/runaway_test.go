package store_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/store"
)

// runawayQueries never finish on their own, or would take the process down:
// each must end with a clear error well before the test's deadline, and the
// store must answer the next query.
var runawayQueries = []struct {
	name, query string
	opt         store.QueryOptions
	code        fail.Code
	want        string // in the message
}{
	{"endless loop", `while (true) {}`, store.QueryOptions{Timeout: 300 * time.Millisecond}, fail.Timeout, "time limit"},
	{"deep recursion", `function f() { return f() } f()`, store.QueryOptions{}, fail.Invalid, "call stack"},
	{"recursion through a built-in", `function f() { return [1].map(f) } f()`, store.QueryOptions{}, fail.Invalid, "call stack"},
	{"mutual recursion", `function a(n) { return b(n+1) } function b(n) { return a(n+1) } a(0)`, store.QueryOptions{}, fail.Invalid, "call stack"},
	{"endless results without a limit", `for (;;) g.Emit("a result")`, store.QueryOptions{MaxBytes: 1 << 20}, fail.Invalid, "size limit"},
	{"every node in one result", `g.Emit(g.V().ToArray())`, store.QueryOptions{MaxBytes: 4 << 10}, fail.Invalid, "size limit"},
	{"a string that doubles", `var s = "x"; for (;;) s += s`, store.QueryOptions{MaxMemory: 256 << 20}, fail.Invalid, "memory"},
	{"an array that grows", `var a = [], s = new Array(100000).join("x"); for (;;) a.push(s + a.length)`, store.QueryOptions{MaxMemory: 64 << 20}, fail.Invalid, "memory"},
	{"not a number", `g.Emit(0/0)`, store.QueryOptions{}, fail.Invalid, "not JSON"},
	{"a function", `g.Emit(function() {})`, store.QueryOptions{}, fail.Invalid, "not JSON"},
	{"an object that holds itself", `var o = {}; o.self = o; g.Emit(o)`, store.QueryOptions{}, fail.Invalid, "contains itself"},
	{"an array that holds itself", `var a = []; a.push([a]); g.V().Has("<http://schema.org/name>", a).All()`, store.QueryOptions{}, fail.Invalid, "contains itself"},
	{"a member Gizmo lacks", `g.V().Nope()`, store.QueryOptions{}, fail.Invalid, "no member 'Nope'"},
	{"ten gigabytes in one call", `g.Emit("x".repeat(1e10).length)`, store.QueryOptions{}, fail.Invalid, "Invalid string length"},
	{"padding to infinity", `g.Emit("x".padStart(Infinity).length)`, store.QueryOptions{}, fail.Invalid, "Invalid string length"},
	{"a join of big strings", `var s = "x".repeat(1 << 20), a = []; for (var i = 0; i < 1000; i++) a.push(s); g.Emit(a.join("").length)`, store.QueryOptions{}, fail.Invalid, "Invalid string length"},
}

func TestRunawayGizmoIsStopped(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	ctx := context.Background()
	for _, tt := range runawayQueries {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opt.Timeout == 0 {
				tt.opt.Timeout = 20 * time.Second // far past what stopping should take
			}
			runtime.GC() // so that the memory bound counts from this case's own start
			start := time.Now()
			res, err := s.Query(ctx, tt.query, tt.opt)
			if fail.CodeOf(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("result %v, err %v; want a %v error saying %q", res, err, tt.code, tt.want)
			}
			t.Logf("stopped after %s: %v", time.Since(start).Round(time.Millisecond), err)
			if res, err := queryWhenFree(ctx, s, `g.V().Limit(1).All()`); err != nil || len(res.Result) != 1 {
				t.Errorf("the next query: %v, %v", res, err)
			}
		})
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc > 512<<20 {
		t.Errorf("%d MiB still held after the runaway queries", m.HeapAlloc>>20)
	}
}

// queryWhenFree runs query, trying again for up to a minute while the
// store says it is busy: a stopped query keeps its slot until its
// goroutine notices, which on a loaded machine can outlast the 5 s a query
// waits in the queue.
func queryWhenFree(ctx context.Context, s *store.Store, query string) (*store.QueryResult, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := s.Query(ctx, query, store.QueryOptions{})
		if fail.CodeOf(err) != fail.Busy || time.Now().After(deadline) {
			return res, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestSessionRunsOnAfterARunawayQuery(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	se := s.NewSession()
	ctx := context.Background()
	for _, tt := range runawayQueries[:3] {
		if _, err := se.Query(ctx, tt.query, store.QueryOptions{Timeout: 300 * time.Millisecond}); err == nil {
			t.Fatalf("%s: no error", tt.name)
		}
		res, err := se.Query(ctx, `g.Emit(1 + 1)`, store.QueryOptions{})
		if err != nil || len(res.Result) != 1 {
			t.Errorf("after %s the session answers %v, %v", tt.name, res, err)
		}
	}
}

// TestQueryFaultInCayleyIsAnError runs a query that makes Cayley's bolt
// store dereference nil (Both() from a name no node has): a panic in the
// goroutine Cayley runs queries in would end the process; it must be an
// error, and the store must answer the next query.
func TestQueryFaultInCayleyIsAnError(t *testing.T) {
	s := mustOpen(t, boltPath(t), store.Options{})
	ctx := context.Background()
	_, err := s.Query(ctx, `g.V().Has("<http://schema.org/name>", "no such name").Both().All()`, store.QueryOptions{})
	if fail.CodeOf(err) != fail.Invalid || !strings.Contains(err.Error(), "inside Cayley") {
		t.Fatalf("err = %v, want an Invalid error that says Cayley failed", err)
	}
	if res, err := s.Query(ctx, `g.V().Has("<http://schema.org/name>", "Cao Lubao").Both().Count()`, store.QueryOptions{}); err != nil {
		t.Errorf("the next query: %v, %v", res, err)
	}
}

// TestRunawayGizmoInTheCommand runs runaway queries through the real
// command with its default bounds: each ends with a clear message and the
// exit status of its kind, never a crash.
func TestRunawayGizmoInTheCommand(t *testing.T) {
	db := boltPath(t)
	seededStore(t, db)
	for _, tt := range []struct {
		query string
		args  []string
		code  int    // exit status
		want  string // on stderr
	}{
		{`while (true) {}`, []string{"--timeout", "1s"}, 6, "time limit"},
		{`function f() { return [1].map(f) } f()`, nil, 2, "call stack"},
		{`var s = "x"; for (;;) s += s`, nil, 2, "memory"},
		{`var all = g.V().ToArray(); for (;;) g.Emit(all)`, []string{"--limit", "0"}, 2, "size limit"},
		{`var o = {}; o.self = o; g.Emit(o)`, nil, 2, "contains itself"},
		{`g.V().Has("<http://schema.org/name>", "nobody").Both().All()`, nil, 2, "inside Cayley"},
	} {
		c := runChild(t, db, append([]string{"query", "-e", tt.query}, tt.args...)...)
		if c.code != tt.code || !strings.Contains(c.stderr, tt.want) || strings.Contains(c.stderr, "goroutine ") {
			t.Errorf("%s: exit %d, stderr %q; want exit %d saying %q", tt.query, c.code, c.stderr, tt.code, tt.want)
		}
		t.Logf("%s: exit %d after %s: %s", tt.query, c.code, c.took.Round(time.Millisecond), strings.TrimSpace(c.stderr))
	}
}

// TestBoundedBuiltinsStillWork checks that the bounds on repeat, padStart,
// padEnd and join leave their ordinary use as it was.
func TestBoundedBuiltinsStillWork(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	res, err := s.Query(context.Background(), `g.Emit(["ab".repeat(3), [1, "b", null].join("-"), [].join(), "7".padStart(3, "0"), "7".padEnd(2) + "|"])`, store.QueryOptions{})
	if err != nil || len(res.Result) != 1 {
		t.Fatalf("%v, %v", res, err)
	}
	if got, want := fmt.Sprint(res.Result[0]), "[ababab 1-b-  007 7 |]"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestGizmoCrashesInTheCommand runs, through the real command, queries
// that ended the process with a fatal Go stack overflow, panic or
// allocation: getters, Proxies and toJSON methods that nest without end,
// JSON and source code nested millions deep, thrown values that hold such
// getters. Each must end with a usage error that says what was wrong, and
// no Go trace.
func TestGizmoCrashesInTheCommand(t *testing.T) {
	db := boltPath(t)
	seededStore(t, db)
	for _, a := range storetest.GizmoCrashes {
		c := runChild(t, db, "query", "-e", a.Query)
		if c.code != 2 || !a.Wanted(c.stderr) || strings.Contains(c.stderr, "goroutine ") {
			t.Errorf("%s: exit %d, stderr %.600q; want exit 2 saying one of %q", a.Name, c.code, c.stderr, a.Want)
		}
	}
}

// TestGizmoRunawaysStop runs queries that kept running in Go after their
// answer, out of reach of any interrupt, or took gigabytes in one step:
// each must end with an error that says why, and within a few seconds of
// the answer no query goroutine may be left, and the heap must be back
// near where it was.
func TestGizmoRunawaysStop(t *testing.T) {
	s := mustOpen(t, "memory:", store.Options{})
	ctx := context.Background()
	heap := liveHeap()
	for _, a := range storetest.GizmoRunaways {
		start := time.Now()
		_, err := s.Query(ctx, a.Query, store.QueryOptions{Timeout: 5 * time.Second})
		answered := time.Since(start)
		if code := fail.CodeOf(err); code != fail.Invalid && code != fail.Timeout || !a.Wanted(err.Error()) {
			t.Errorf("%s: %v (%v); want an error saying one of %q", a.Name, err, code, a.Want)
		}
		if n := storetest.WaitForQueryGoroutines(5 * time.Second); n > 0 {
			t.Errorf("%s: %d query goroutines still running 5 s after the answer", a.Name, n)
		}
		t.Logf("%s: answered after %s: %.160v", a.Name, answered.Round(time.Millisecond), err)
	}
	if after := liveHeap(); after > heap+64<<20 {
		t.Errorf("live heap %d MiB after the runaway queries, %d MiB before", after>>20, heap>>20)
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
