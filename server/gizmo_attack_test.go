package server_test

import (
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/server"
)

// answersWithin is how long the server may take to answer a cheap request
// beside runaway queries: generous for a loaded machine, far below the
// seconds such requests took without a bound on the queries at once.
const answersWithin = 3 * time.Second

// TestGizmoAttacksOverHTTP sends a real server on 127.0.0.1 the queries
// that ended the process (a fatal stack overflow, panic or allocation)
// and the ones that ran on in Go after their answer: as a POST to
// /api/v1/query/gizmo and, for the crashes, as the GET to /api/v2/query
// that any web page can make. Each gets a 4xx saying what was wrong (504
// for one that runs until its time limit); the server answers /healthz
// after each; and a few seconds after the last answer no query goroutine
// is left and the heap is back near where it was.
func TestGizmoAttacksOverHTTP(t *testing.T) {
	s := openStore(t)
	run := start(t, server.Config{Store: s, QueryTimeout: 5 * time.Second})
	client := &http.Client{Timeout: time.Minute}
	do := networkSend(client, run.url)
	alive := &http.Client{Timeout: answersWithin}
	heap := liveHeap()
	check := func(how string, a storetest.GizmoAttack, r response) {
		t.Helper()
		var e errorBody
		r.decode(t, &e)
		ok := r.status >= 400 && r.status < 500 || r.status == http.StatusGatewayTimeout && a.Wanted("time limit")
		if !ok || !a.Wanted(e.Error) {
			t.Errorf("%s %s: %d %.300q; want a 4xx saying one of %q", how, a.Name, r.status, e.Error, a.Want)
		}
		get(t, alive, run.url+"/healthz")
	}
	for _, a := range storetest.GizmoCrashes {
		check("POST", a, do(t, "POST", "/api/v1/query/gizmo", strings.NewReader(a.Query)))
		check("GET", a, do(t, "GET", "/api/v2/query?lang=gizmo&qu="+url.QueryEscape(a.Query), nil))
	}
	for _, a := range storetest.GizmoRunaways {
		check("POST", a, do(t, "POST", "/api/v1/query/gizmo", strings.NewReader(a.Query)))
	}
	if n := storetest.WaitForQueryGoroutines(5 * time.Second); n > 0 {
		t.Errorf("%d query goroutines still running 5 s after the last answer", n)
	}
	client.CloseIdleConnections()
	if after := liveHeap(); after > heap+64<<20 {
		t.Errorf("live heap %d MiB after the attacks, %d MiB before", after>>20, heap>>20)
	}
}

// TestQueriesAtOnceAreBounded sends a hundred queries that never end at
// once, as the reproduction did, while other clients ask /healthz
// and a task endpoint: those keep answering within answersWithin, each
// runaway gets 504 (stopped at its time limit) or 503 with Retry-After
// (no slot free), and afterwards no query goroutine is left.
func TestQueriesAtOnceAreBounded(t *testing.T) {
	s := openStore(t)
	run := start(t, server.Config{Store: s, QueryTimeout: 3 * time.Second})
	const runaways = 100
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
	)
	client := &http.Client{Timeout: time.Minute}
	for range runaways {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Post(run.url+"/api/v1/query/gizmo", "text/plain", strings.NewReader("while (true) {}"))
			if err != nil {
				t.Errorf("runaway query: %v", err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
				t.Error("a 503 without Retry-After")
			}
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	alive := &http.Client{Timeout: answersWithin}
	answered := 0
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		for _, p := range []string{"/healthz", "/api/appointments?to=Jilin", "/api/search?q=Ji"} {
			start := time.Now()
			get(t, alive, run.url+p)
			answered++
			if took := time.Since(start); took > answersWithin {
				t.Errorf("GET %s took %s beside the runaway queries", p, took)
			}
		}
	}
	t.Logf("%d cheap requests answered; runaway queries answered %v", answered, statuses)
	for status, n := range statuses {
		if status != http.StatusGatewayTimeout && status != http.StatusServiceUnavailable {
			t.Errorf("%d runaway queries answered %d", n, status)
		}
	}
	// At most half the cores run queries, and few wait for them: on any
	// machine of up to 16 cores, a hundred at once are more than that.
	if runtime.GOMAXPROCS(0) <= 16 && statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no runaway query was refused with 503: %v", statuses)
	}
	if n := storetest.WaitForQueryGoroutines(5 * time.Second); n > 0 {
		t.Errorf("%d query goroutines still running 5 s after the last answer", n)
	}
}
