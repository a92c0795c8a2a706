package server_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/internal/testbin"
)

// loadRequests are what TestLoopbackLoad sends, round robin: every task
// endpoint and Cayley's Gizmo endpoint.
var loadRequests = []struct{ method, path, body string }{
	{"GET", "/api/appointments?to=Jilin", ""},
	{"GET", "/api/appointments?from=Zhejiang&since=2020", ""},
	{"GET", "/api/policies?place=Harbin", ""},
	{"GET", "/api/investments?place=Liaoning", ""},
	{"GET", "/api/indicators?place=Liaoning", ""},
	{"GET", "/api/timeline?place=Harbin", ""},
	{"GET", "/api/entities/place/jilin", ""},
	{"GET", "/api/search?q=Ji", ""},
	{"POST", "/api/v1/query/gizmo", `g.V().Has("<http://schema.org/name>", "Cao Lubao").Out().All()`},
	{"POST", "/api/v2/query?lang=gizmo", `g.V().Has("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "<https://rustbelt.dev/ns/Appointment>").Count()`},
}

// TestLoopbackLoad sends RUSTBELT_LOAD_REQUESTS requests (10,000 is the
// figure the README reports) over 8 connections to a real `rustbelt serve`
// on 127.0.0.1, in two halves: every answer must be a 2xx, and the
// server's resident memory after the second half must stay within 32 MiB
// of where the first half left it. It is a separate command, not part of
// the test run:
//
//	RUSTBELT_LOAD_REQUESTS=10000 go test ./server -run TestLoopbackLoad -v
func TestLoopbackLoad(t *testing.T) {
	total, _ := strconv.Atoi(os.Getenv("RUSTBELT_LOAD_REQUESTS"))
	if total <= 0 {
		t.Skip("set RUSTBELT_LOAD_REQUESTS=10000 to run the load test")
	}
	const conns = 8
	db := filepath.Join(t.TempDir(), "load.bolt")
	url, cmd := testbin.Serve(t, db)
	client := &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{MaxConnsPerHost: conns, MaxIdleConnsPerHost: conns},
	}
	var mu sync.Mutex
	statuses := map[int]int{}
	var failures []string
	var latencies []time.Duration
	round := func(n int64) time.Duration { // n requests
		var next atomic.Int64
		start := time.Now()
		var wg sync.WaitGroup
		for w := 0; w < conns; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1)
					if i > n {
						return
					}
					rq := loadRequests[int(i)%len(loadRequests)]
					req, _ := http.NewRequest(rq.method, url+rq.path, strings.NewReader(rq.body))
					t0 := time.Now()
					resp, err := client.Do(req)
					took := time.Since(t0)
					mu.Lock()
					if err != nil {
						failures = append(failures, err.Error())
					} else {
						statuses[resp.StatusCode]++
						latencies = append(latencies, took)
					}
					mu.Unlock()
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	rss0 := rssKiB(t, cmd.Process.Pid)
	first := round(int64(total / 2))
	rss1 := rssKiB(t, cmd.Process.Pid)
	second := round(int64(total - total/2))
	rss2 := rssKiB(t, cmd.Process.Pid)

	served, bad := 0, 0
	for status, n := range statuses {
		served += n
		if status >= 300 {
			bad += n
		}
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	p := func(q float64) time.Duration {
		return latencies[int(q*float64(len(latencies)-1))].Round(time.Microsecond)
	}
	t.Logf("%d requests over %d connections in %s (%.0f/s): statuses %v, %d transport errors",
		served, conns, (first + second).Round(time.Millisecond), float64(served)/(first+second).Seconds(), statuses, len(failures))
	t.Logf("latency p50 %s, p99 %s, max %s", p(0.5), p(0.99), p(1))
	t.Logf("server RSS: %d MiB at start, %d MiB after %d requests, %d MiB after %d", rss0>>10, rss1>>10, total/2, rss2>>10, total)
	if served != total || bad > 0 || len(failures) > 0 {
		t.Errorf("%d of %d answered, %d not 2xx, errors: %.3q", served, total, bad, failures)
	}
	if rss2 > rss1+32<<10 {
		t.Errorf("server memory grew from %d to %d MiB in the second half", rss1>>10, rss2>>10)
	}
}

// rssKiB reads a process's resident memory from /proc.
func rssKiB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatalf("VmRSS %q: %v", v, err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc status")
	return 0
}
