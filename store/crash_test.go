package store_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
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
// process and kills it with SIGKILL, again and again: on a load small
// enough to go into the store in one transaction, and on one large enough to
// be built in a copy and renamed over the store. Half the kills come at a
// random moment, half once the load has written a random share of what a
// whole load writes, which is where a kill does harm. After each kill the
// store must open and hold either the old graph or the old graph plus the
// whole file, and the next writer must clear what the dead one left. A kill
// counts as landing mid-write when the child had written at least
// minMidWrite bytes and the old graph still stands: the test fails unless
// at least 3 in 10 kills of each load did (random moments alone rarely hit
// the write of a load in one transaction, which is a commit of a few ms).
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
			load := func(store string) *exec.Cmd {
				cmd := exec.Command(bin, "--db", store, "load", file)
				cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
				return cmd
			}
			// One load to the end measures how long a whole one takes and
			// how much it writes.
			store := freshCopy(t, pristine)
			var out bytes.Buffer
			cmd := exec.Command(bin, "--db", store, "load", file)
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			total, _ := runWatched(t, cmd, func(time.Duration, int64) bool { return false })
			took := time.Since(start)
			if !cmd.ProcessState.Success() {
				t.Fatalf("uninterrupted load: %v\n%s", cmd.ProcessState, out.Bytes())
			}
			complete := checkGraph(t, store)
			if complete <= old {
				t.Fatalf("a whole load left %d nodes, no more than the %d before it", complete, old)
			}
			if total < 4*minMidWrite {
				t.Fatalf("a whole load was seen writing %d bytes, too few to aim kills at", total)
			}

			var kept, whole, midWrite int
			for i := 0; i < runs/len(loads); i++ {
				store := freshCopy(t, pristine)
				var stop func(time.Duration, int64) bool
				var aim string
				if i%2 == 0 {
					target := minMidWrite + rng.Int64N(total-2*minMidWrite)
					stop = func(_ time.Duration, wrote int64) bool { return wrote >= target }
					aim = fmt.Sprintf("after %d of %d bytes", target, total)
				} else {
					after := time.Duration(rng.Int64N(int64(took) * 11 / 10))
					stop = func(elapsed time.Duration, _ int64) bool { return elapsed >= after }
					aim = fmt.Sprintf("after %s of %s", after.Round(time.Millisecond), took.Round(time.Millisecond))
				}
				wrote, killed := runWatched(t, load(store), stop)
				left, _ := filepath.Glob(store + ".tmp-*")
				got := checkGraph(t, store, old, complete)
				if got == old {
					kept++
				} else {
					whole++
				}
				landed := killed && wrote >= minMidWrite && got == old
				if landed {
					midWrite++
				}
				t.Logf("killed %s (killed %v, %d bytes written, %d files left, mid-write %v): %d nodes", aim, killed, wrote, len(left), landed, got)
			}
			t.Logf("%d kills: %d left the old graph, %d the whole new one, none anything else; %d landed mid-write", kept+whole, kept, whole, midWrite)
			if kills := kept + whole; midWrite < max(1, (3*kills+9)/10) {
				t.Errorf("%d of %d kills landed while the load was writing, want at least 3 in 10: the test did not show what a kill mid-write leaves", midWrite, kills)
			}
		})
	}
}

// minMidWrite is how many bytes a child must have written before a kill for
// the kill to count as landing mid-write: more than anything it writes
// before the load itself (its lock file, a line on stderr).
const minMidWrite = 64 << 10

// runWatched starts cmd and, until it exits, polls how many bytes it has
// written so far; when stop says so, it kills it. It returns the bytes last
// seen written and whether the kill is what ended the process.
func runWatched(t *testing.T, cmd *exec.Cmd, stop func(elapsed time.Duration, wrote int64) bool) (wrote int64, killed bool) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	start := time.Now()
	for {
		select {
		case <-exited:
			return wrote, false
		default:
		}
		if n := writtenBytes(cmd.Process.Pid); n > wrote {
			wrote = n
		}
		if stop(time.Since(start), wrote) {
			cmd.Process.Kill()
			<-exited
			ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
			return wrote, ws.Signaled() && ws.Signal() == syscall.SIGKILL
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// writtenBytes is how many bytes process pid has passed to write(2) and
// its kin (wchar in /proc/PID/io, all threads), or 0 if it cannot be read.
func writtenBytes(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/io")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
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
