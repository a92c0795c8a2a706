package store_test

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "github.com/boltdb/bolt"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/internal/testbin"
	"github.com/rustbelt/rustbelt/store"
)

// exitLocked is the exit status of a command that found the store in use.
const exitLocked = 5

// child is what a run of the command printed, its exit status and how
// long it took.
type child struct {
	stdout, stderr string
	code           int
	took           time.Duration
}

// runChild runs the command against db.
func runChild(t *testing.T, db string, args ...string) child {
	t.Helper()
	cmd := exec.Command(testbin.Path(t), append([]string{"--db", db}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	c := child{stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		c.code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return c
}

// noHang is the longest a refused command may take: the lock wait plus
// generous room for starting a process on a busy machine.
const noHang = store.DefaultLockTimeout + 3*time.Second

// TestSecondCommandNamesWhatHoldsTheStore runs a second rustbelt command
// while another process holds the store: it must fail within the lock wait,
// with exit status 5 and a message naming the store and the holder, where
// the holder writes; and work beside a holder that only reads.
func TestSecondCommandNamesWhatHoldsTheStore(t *testing.T) {
	bin := testbin.Path(t)
	// The loading holder reads a named pipe nobody writes to: it holds the
	// store until the test ends, however fast loads get.
	pipe := filepath.Join(t.TempDir(), "more.nq")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	small := writeTemp(t, "small.nq", newFacts)
	tests := []struct {
		name   string
		holder func(t *testing.T, db string) // returns once the holder has the store
		holds  string                        // how the message names the holder
		reads  bool                          // a read-only holder: readers go on
	}{
		{"load", func(t *testing.T, db string) {
			cmd := exec.Command(bin, "--db", db, "load", pipe)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			waitLocked(t, db)
		}, "load", false},
		{"serve --writable", func(t *testing.T, db string) {
			testbin.Serve(t, db, "--writable")
		}, "serve --addr 127.0.0.1:0 --writable", false},
		{"serve", func(t *testing.T, db string) {
			testbin.Serve(t, db)
		}, "serve --addr 127.0.0.1:0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := boltPath(t)
			seededStore(t, db)
			tt.holder(t, db)
			c := runChild(t, db, "stats")
			switch {
			case tt.reads && c.code != 0:
				t.Errorf("stats beside a reader: exit %d, %s", c.code, c.stderr)
			case !tt.reads:
				checkRefused(t, "stats", db, tt.holds, c)
			}
			checkRefused(t, "load", db, tt.holds, runChild(t, db, "load", small))
		})
	}
}

// TestForeignBoltLockIsNotAHang holds the bolt file itself, as Cayley or
// another bolt program would, without rustbelt's lock file: Cayley's own
// bolt backend would wait for ever; rustbelt must give up and say so.
func TestForeignBoltLockIsNotAHang(t *testing.T) {
	db := boltPath(t)
	seededStore(t, db)
	other, err := bolt.Open(db, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for _, args := range [][]string{{"stats"}, {"load", writeTemp(t, "x.nq", newFacts)}} {
		c := runChild(t, db, args...)
		if c.code != exitLocked || !strings.Contains(c.stderr, db) || !strings.Contains(c.stderr, "another program") || c.took > noHang {
			t.Errorf("%s beside a foreign bolt lock: exit %d after %s: %s", args[0], c.code, c.took, c.stderr)
		}
	}
}

func checkRefused(t *testing.T, what, db, holder string, c child) {
	t.Helper()
	if c.code != exitLocked || !strings.Contains(c.stderr, db) || !strings.Contains(c.stderr, holder) || !strings.Contains(c.stderr, "pid ") {
		t.Errorf("%s: exit %d, stderr %q; want exit %d naming %s and the holder (%s)", what, c.code, c.stderr, exitLocked, db, holder)
	}
	if c.took > noHang {
		t.Errorf("%s took %s to give up", what, c.took)
	}
	t.Logf("%s refused after %s: %s", what, c.took.Round(time.Millisecond), strings.TrimSpace(c.stderr))
}

// waitLocked returns once another process holds db for writing.
func waitLocked(t *testing.T, db string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		s, err := store.Open(t.Context(), db, store.Options{ReadOnly: true, LockTimeout: 10 * time.Millisecond})
		if err == nil {
			s.Close()
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if fail.CodeOf(err) == fail.Locked {
			return
		}
		t.Fatal(err)
	}
	t.Fatal("the holder did not take the store within 30 s")
}
