package store_test

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rustbelt/rustbelt/internal/testbin"
	"github.com/rustbelt/rustbelt/store"
)

// killRuns is how many loads TestKilledLoadLeavesOldOrWholeNewGraph kills;
// RUSTBELT_KILL_RUNS raises it for a longer search.
func killRuns(t *testing.T) int {
	if s := os.Getenv("RUSTBELT_KILL_RUNS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2 {
			t.Fatalf("RUSTBELT_KILL_RUNS=%q: want a number of at least 2", s)
		}
		return n
	}
	return 20
}

// TestKilledLoadLeavesOldOrWholeNewGraph starts `rustbelt load` in a child
// process and kills it with SIGKILL at a random moment, again and again: on
// a load small enough to go into the store in one transaction, and on one
// large enough to be built in a copy and renamed over the store. After each
// kill the store must open and hold either the old graph or the old graph
// plus the whole file, and the next writer must clear what the dead one left.
func TestKilledLoadLeavesOldOrWholeNewGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real loads for about a minute")
	}
	bin := testbin.Path(t)
	work := t.TempDir()
	pristine := filepath.Join(work, "pristine.bolt")
	seededStore(t, pristine)
	old := checkGraph(t, pristine)

	seed := time.Now().UnixNano()
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	loads := []struct {
		name  string
		quads int64
	}{
		{"one transaction", 10_000},
		{"copy and swap", 110_000}, // past the 100,000 quads a load writes in place
	}
	runs := killRuns(t)
	for _, ld := range loads {
		t.Run(ld.name, func(t *testing.T) {
			file := writeTemp(t, "new.nq", personFacts("kill", int(ld.quads)))
			// One load to the end measures how long a whole one takes.
			store := freshCopy(t, pristine)
			start := time.Now()
			if out, err := exec.Command(bin, "--db", store, "load", file).CombinedOutput(); err != nil {
				t.Fatalf("uninterrupted load: %v\n%s", err, out)
			}
			took := time.Since(start)
			complete := checkGraph(t, store)
			if complete <= old {
				t.Fatalf("a whole load left %d nodes, no more than the %d before it", complete, old)
			}

			var kept, whole int
			for i := 0; i < runs/len(loads); i++ {
				store := freshCopy(t, pristine)
				cmd := exec.Command(bin, "--db", store, "load", file)
				cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				after := time.Duration(rng.Int64N(int64(took) * 11 / 10))
				time.Sleep(after)
				cmd.Process.Kill()
				err := cmd.Wait()
				got := checkGraph(t, store, old, complete)
				if got == old {
					kept++
				} else {
					whole++
				}
				t.Logf("killed after %s of %s (%v): %d nodes", after.Round(time.Millisecond), took.Round(time.Millisecond), err, got)
			}
			t.Logf("%d kills: %d left the old graph, %d the whole new one, none anything else", kept+whole, kept, whole)
		})
	}
}

// freshCopy copies the store at src into a new folder.
func freshCopy(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "store.bolt")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// checkGraph opens the store as the next writer would and counts its
// nodes (every quad of the generated files brings a node of its own, and a
// count of nodes is quick where a count of quads reads every quad). With
// allowed counts given, any other count fails the test, as do leftovers.
func checkGraph(t *testing.T, path string, allowed ...int64) int64 {
	t.Helper()
	s, err := store.Open(context.Background(), path, store.Options{NoSeed: true})
	if err != nil {
		t.Fatalf("store does not open after the kill: %v", err)
	}
	defer s.Close()
	res, err := s.Query(context.Background(), `g.Emit(g.V().Count())`, store.QueryOptions{})
	if err != nil || len(res.Result) != 1 {
		t.Fatalf("count nodes: %v, %v", res, err)
	}
	n, ok := res.Result[0].(int64)
	if !ok {
		t.Fatalf("node count %v (%T) is not an integer", res.Result[0], res.Result[0])
	}
	got := n
	ok = len(allowed) == 0
	for _, n := range allowed {
		ok = ok || got == n
	}
	if !ok {
		t.Fatalf("store holds %d nodes, want one of %v: a partial load", got, allowed)
	}
	if left, _ := filepath.Glob(path + ".tmp-*"); len(left) > 0 {
		t.Errorf("the next writer left the dead load's files: %v", left)
	}
	return got
}
