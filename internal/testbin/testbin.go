// Package testbin builds the rustbelt command for tests that need it as a
// separate process: locks held by another program, loads killed midway, a
// server measured from outside.
package testbin

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// build builds the command once per test binary. The command goes to a
// folder of the system's temporary folder named after the test binary,
// replaced by each run, so that no run leaves another copy behind and
// packages tested at once do not share one.
var build = sync.OnceValues(func() (string, error) {
	dir := filepath.Join(os.TempDir(), "rustbelt-testbin", filepath.Base(os.Args[0]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "rustbelt")
	tmp := fmt.Sprintf("%s.%d", path, os.Getpid())
	if out, err := exec.Command("go", "build", "-o", tmp, "github.com/rustbelt/rustbelt/cmd/rustbelt").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	// A rename, not a rewrite: a copy still running keeps its file.
	return path, os.Rename(tmp, path)
})

// Path builds the command once per test binary (see build) and returns its
// path.
func Path(t testing.TB) string {
	t.Helper()
	path, err := build()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// Serve starts `rustbelt --db DB serve --addr 127.0.0.1:0 ARGS...` and
// returns its base URL once it listens; the test's end stops it.
func Serve(t testing.TB, db string, args ...string) (url string, cmd *exec.Cmd) {
	t.Helper()
	cmd = exec.Command(Path(t), append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, perr := cmd.StderrPipe()
	if perr != nil {
		t.Fatal(perr)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "url=http://"); ok {
				found <- "http://" + strings.TrimSuffix(strings.Fields(rest)[0], "/")
				break
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case url = <-found:
		return url, cmd
	case <-time.After(30 * time.Second):
		t.Fatal("rustbelt serve did not say where it listens within 30 s")
	}
	return "", nil
}
