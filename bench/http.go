package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var client = &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// request is one HTTP question: a GET, or a POST of a Gizmo query.
type request struct {
	url  string
	body string // POSTed when not empty
}

func (r request) do() (int, []byte, error) {
	var resp *http.Response
	var err error
	if r.body == "" {
		resp, err = client.Get(r.url)
	} else {
		resp, err = client.Post(r.url, "application/javascript", strings.NewReader(r.body))
	}
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

func get(url string) (int, []byte, error) { return request{url: url}.do() }

// latency is the spread of a question's response times.
type latency struct {
	first    time.Duration // the first request, before any cache is warm
	p50, p99 time.Duration
	rows     int    // results in the answer
	runs     int    // timed runs done
	failed   string // why the question could not be timed
}

// maxQuestionTime bounds the timed runs of one question: a slow one stops
// after this long, with at least minRuns runs.
const (
	maxQuestionTime = 90 * time.Second
	minRuns         = 10
)

// measure asks r warm times without counting, then runs times (fewer if
// they take longer than maxQuestionTime), each after the previous answer is
// read whole, and checks every answer is a 200.
func measure(r request, warm, runs int) (latency, error) {
	var times []time.Duration
	var rows int
	var first time.Duration
	var timed time.Duration
	for i := range warm + runs {
		if len(times) >= minRuns && timed > maxQuestionTime {
			break
		}
		start := time.Now()
		code, body, err := r.do()
		took := time.Since(start)
		if err != nil {
			return latency{}, err
		}
		if code != http.StatusOK {
			return latency{}, fmt.Errorf("%s: status %d: %.200s", r.url, code, body)
		}
		if i == 0 {
			rows = countRows(body)
			first = took
		}
		if i >= warm {
			times = append(times, took)
			timed += took
		}
	}
	slices.Sort(times)
	return latency{first: first, p50: percentile(times, 50), p99: percentile(times, 99), rows: rows, runs: len(times)}, nil
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// countRows counts the results of an answer: a JSON array, Cayley's
// {"result": [...]}, or an object with one array field (rustbelt's
// {"rows": [...]}); an entity card counts its facts and records.
func countRows(body []byte) int {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return -1
	}
	switch v := v.(type) {
	case []any:
		return len(v)
	case map[string]any:
		n, arrays := 0, 0
		for _, f := range v {
			if a, ok := f.([]any); ok {
				n += len(a)
				arrays++
			}
		}
		if arrays > 0 {
			return n
		}
		return 1
	}
	return 1
}

// throughput is what a server sustained under concurrent requests.
type throughput struct {
	requests int
	errors   int
	firstErr string // what the first failed request got
	rps      float64
	p50, p99 time.Duration
}

// hammer sends r from workers goroutines until total requests are done or
// maxTime has passed, whichever is first, and measures every response.
func hammer(r request, workers, total int, maxTime time.Duration) throughput {
	return hammerSpread([]request{r}, workers, total, maxTime)
}

// hammerSpread is hammer over several servers: request i goes to
// reqs[i % len(reqs)], round robin, as a load balancer sends them.
func hammerSpread(reqs []request, workers, total int, maxTime time.Duration) throughput {
	var next atomic.Int64
	var mu sync.Mutex
	var times []time.Duration
	var errors int
	var firstErr string
	deadline := time.Now().Add(maxTime)
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(total) && time.Now().Before(deadline); i = next.Add(1) {
				t0 := time.Now()
				code, body, err := reqs[i%int64(len(reqs))].do()
				took := time.Since(t0)
				mu.Lock()
				if err != nil || code != http.StatusOK {
					if errors++; errors == 1 {
						firstErr = fmt.Sprintf("status %d, %v: %.200s", code, err, body)
					}
				} else {
					times = append(times, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(times)
	return throughput{
		requests: len(times) + errors,
		errors:   errors,
		firstErr: firstErr,
		rps:      float64(len(times)) / elapsed.Seconds(),
		p50:      percentile(times, 50),
		p99:      percentile(times, 99),
	}
}
