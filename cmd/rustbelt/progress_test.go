package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/rustbelt/rustbelt/internal/storetest"
)

// onTerminal runs the command line args with stderr on a pseudo-terminal
// of 100 columns, and returns what the terminal showed and the exit code.
func onTerminal(t *testing.T, args ...string) (screen string, code int) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	var shown bytes.Buffer
	read := make(chan struct{})
	go func() {
		io.Copy(&shown, ptmx) // ends with EIO once the terminal is closed
		close(read)
	}()
	var out bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, tty)
	if err := m.Run(context.Background(), append([]string{"rustbelt"}, args...)); err != nil {
		m.reportError(err)
		code = exitCode(err)
	}
	tty.Close()
	<-read
	return shown.String(), code
}

// finishedBar is a bar drawn to its end, once: its stage, 100 %, the bar
// and the count, then the end of the line.
func finishedBar(stage string) *regexp.Regexp {
	return regexp.MustCompile(stage + `[^\r\n|]* 100% \|[^|]+\| \([^)]*\)\r\n`)
}

// hasBar reports whether a terminal or stderr shows any part of a bar: a
// percentage, a block, a line drawn over (a terminal ends lines in \r\n).
func hasBar(s string) bool {
	return strings.ContainsAny(s, "%█") || drawnOver.MatchString(s)
}

var drawnOver = regexp.MustCompile(`\r[^\n]`)

// TestProgressBars runs load, add, import and dump with stderr on a terminal, where
// each draws its stages to the end, and with stderr on a pipe or with
// --quiet, where stderr shows no bar: only what it showed before there
// were bars (a new store's note; dump's closing note).
func TestProgressBars(t *testing.T) {
	dir := t.TempDir()
	facts := storetest.WriteTemp(t, "people.nq", storetest.PersonFacts("bar", 10_000))
	sheet := storetest.WriteTemp(t, "sheet.yaml", "source:\n  title: A bar test\npeople:\n  - name: Bar Person\n")
	dumped := filepath.Join(dir, "dump.nq")
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			db := b.Addr(t)
			for _, c := range []struct {
				args []string
				bars []string // the stages drawn, in order
			}{
				{[]string{"load", facts}, []string{"checking", "writing"}},
				{[]string{"add", sheet}, []string{"writing"}},
				{[]string{"import", "careers", fixture("careers.csv")}, []string{"checking", "writing"}},
				{[]string{"dump", "-o", dumped}, []string{"reading", "writing"}},
			} {
				if b.Name == "memory" && c.args[0] == "dump" {
					continue // a new memory store each run: nothing to add to the bundled dataset
				}
				args := append([]string{"--db", db}, c.args...)
				screen, code := onTerminal(t, args...)
				if code != 0 {
					t.Fatalf("%v on a terminal: exit %d: %s", c.args, code, screen)
				}
				bars := c.bars
				if b.Name == "postgres" && (c.args[0] == "load" || c.args[0] == "import") {
					bars = []string{"loading"} // checked while written, in one transaction
				}
				last := 0
				for _, stage := range bars {
					loc := finishedBar(stage).FindStringIndex(screen[last:])
					if loc == nil {
						t.Fatalf("%v: no finished %q bar after the ones before it on the terminal:\n%q", c.args, stage, screen)
					}
					last += loc[1]
				}
				if c.args[0] == "load" && !strings.Contains(screen, "quads/s") {
					t.Errorf("load's bar shows no rate in quads: %q", screen)
				}

				screen, code = onTerminal(t, append(args, "--quiet")...)
				if code != 0 || hasBar(screen) {
					t.Errorf("%v --quiet: exit %d, the terminal showed %q", c.args, code, screen)
				}

				r := run(t, "", args...)
				if r.code != 0 || hasBar(r.stderr) {
					t.Errorf("%v with stderr on a pipe: exit %d, stderr %q", c.args, r.code, r.stderr)
				}
				if wantNote := c.args[0] == "dump"; wantNote != strings.Contains(r.stderr, "rustbelt: dumped ") {
					t.Errorf("%v with stderr on a pipe: stderr %q", c.args, r.stderr)
				}
			}
		})
	}
}
