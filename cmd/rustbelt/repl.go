package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dop251/goja"
	"github.com/peterh/liner"
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/store"
)

func replCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "repl",
		Usage: "interactive Gizmo, with history and multi-line input",
		UsageText: "rustbelt repl [--limit N] [--timeout D]\n\n" +
			"Example session:\n" +
			"   gizmo> var name = \"<http://schema.org/name>\"\n" +
			"   gizmo> g.V().Has(name, \"Cao Lubao\").\n" +
			"     ...>   In(\"<https://rustbelt.dev/ns/person>\").All()\n\n" +
			"An unfinished statement (an open bracket, a trailing dot) continues on the next line.\n" +
			"Variables live for the whole session. Ctrl-D or :quit leaves.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Value: 100, Usage: "at most `N` results per query; 0 for no limit"},
			&cli.DurationFlag{Name: "timeout", Value: store.DefaultQueryTimeout, Usage: "stop a query that runs longer than `D`"},
		},
		Action: func(c *cli.Context) error {
			return m.withStore(c, true, func(s *store.Store) error {
				return m.repl(c, s.NewSession(), store.QueryOptions{Limit: c.Int("limit"), Timeout: c.Duration("timeout"), REPL: true})
			})
		},
	}
}

// lineReader is what the REPL needs of a line editor.
type lineReader interface {
	Prompt(prompt string) (string, error)
	AppendHistory(line string)
	Close() error
}

// newLineReader uses liner (history, editing) on a terminal and plain lines
// otherwise, so that piped input and tests work.
func (m *Main) newLineReader() lineReader {
	if f, ok := m.Stdin.(*os.File); ok && f == os.Stdin && isTerminal(os.Stdin) {
		l := liner.NewLiner()
		l.SetCtrlCAborts(true)
		history := filepath.Join(filepath.Dir(store.DefaultPath()), "repl_history")
		if f, err := os.Open(history); err == nil {
			l.ReadHistory(f)
			f.Close()
		}
		return &linerReader{State: l, history: history}
	}
	return &plainReader{in: bufio.NewScanner(m.Stdin)}
}

type linerReader struct {
	*liner.State
	history string
}

func (l *linerReader) Close() error {
	if f, err := os.Create(l.history); err == nil {
		l.WriteHistory(f)
		f.Close()
	}
	return l.State.Close()
}

type plainReader struct{ in *bufio.Scanner }

func (p *plainReader) Prompt(string) (string, error) {
	if p.in.Scan() {
		return p.in.Text(), nil
	}
	if err := p.in.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}

func (p *plainReader) AppendHistory(string) {}
func (p *plainReader) Close() error         { return nil }

func (m *Main) repl(c *cli.Context, sess *store.Session, opt store.QueryOptions) error {
	line := m.newLineReader()
	defer line.Close()
	var buf strings.Builder
	for {
		prompt := "gizmo> "
		if buf.Len() > 0 {
			prompt = "  ...> "
		}
		text, err := line.Prompt(prompt)
		if errors.Is(err, io.EOF) || errors.Is(err, liner.ErrPromptAborted) {
			code := strings.TrimSpace(buf.String())
			if code != "" { // run what was typed before the end of input
				m.replRun(c, sess, code, opt)
			}
			return nil
		} else if err != nil {
			return err
		}
		trimmed := strings.TrimSpace(text)
		if buf.Len() == 0 && (trimmed == ":quit" || trimmed == ":q" || trimmed == "exit") {
			return nil
		}
		if trimmed == "" && buf.Len() == 0 {
			continue
		}
		buf.WriteString(text)
		buf.WriteByte('\n')
		code := buf.String()
		if trimmed != "" && incomplete(code) {
			continue
		}
		buf.Reset()
		line.AppendHistory(strings.TrimSpace(code))
		if err := m.replRun(c, sess, code, opt); err != nil {
			return err
		}
	}
}

// replRun runs one input and prints its results; query errors are printed
// and the session goes on.
func (m *Main) replRun(c *cli.Context, sess *store.Session, code string, opt store.QueryOptions) error {
	res, err := sess.Query(c.Context, code, opt)
	if err != nil {
		fmt.Fprintln(m.Stderr, "error:", err)
		return nil
	}
	for _, r := range res.Result {
		fmt.Fprint(m.Stdout, r)
	}
	if res.Truncated {
		fmt.Fprintf(m.Stderr, "(cut at %d results)\n", opt.Limit)
	}
	return nil
}

// incomplete reports whether code stops in the middle of a statement, so
// the REPL should read another line.
func incomplete(code string) bool {
	_, err := goja.Compile("", code, false)
	return err != nil && strings.Contains(err.Error(), "Unexpected end of input")
}
