package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dop251/goja"
	"github.com/peterh/liner"
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func replCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "repl",
		Usage: "interactive Gizmo, with history and multi-line input",
		UsageText: "rustbelt repl [--limit N] [--timeout D]\n\n" +
			"Example session:\n" +
			"   gizmo> var name = \"<http://schema.org/name>\"\n" +
			"   gizmo> g.V().Has(name, \"Cao Lubao\")\n" +
			"     ...>   .In(\"<https://rustbelt.dev/ns/person>\").All()\n\n" +
			"An unfinished statement continues on the next line; an empty line runs what is there.\n" +
			"Variables live for the whole session. Ctrl-D or :quit leaves.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Value: 100, Usage: "at most `N` results per query; 0 for no limit"},
			&cli.DurationFlag{Name: "timeout", Value: graph.DefaultQueryTimeout, Usage: "stop a query that runs longer than `D`"},
		},
		Action: func(c *cli.Context) error {
			return m.withStore(c, true, func(s *graph.Store) error {
				return m.repl(c, s.NewSession(), graph.QueryOptions{Limit: c.Int("limit"), Timeout: c.Duration("timeout")})
			})
		},
	}
}

func (m *Main) repl(c *cli.Context, sess *graph.Session, opt graph.QueryOptions) error {
	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
	history := filepath.Join(filepath.Dir(graph.DefaultPath()), "repl_history")
	if f, err := os.Open(history); err == nil {
		line.ReadHistory(f)
		f.Close()
	}
	defer func() {
		if f, err := os.Create(history); err == nil {
			line.WriteHistory(f)
			f.Close()
		}
	}()
	var buf strings.Builder
	for {
		prompt := "gizmo> "
		if buf.Len() > 0 {
			prompt = "  ...> "
		}
		text, err := line.Prompt(prompt)
		if errors.Is(err, io.EOF) || errors.Is(err, liner.ErrPromptAborted) {
			fmt.Fprintln(m.Stdout)
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
		res, err := sess.Query(c.Context, code, opt)
		if err != nil {
			fmt.Fprintln(m.Stderr, "error:", err)
			continue
		}
		if err := writeJSON(m.Stdout, res.Result); err != nil {
			return err
		}
		if res.Truncated {
			fmt.Fprintf(m.Stderr, "(cut at %d results)\n", opt.Limit)
		}
	}
}

// incomplete reports whether code stops in the middle of a statement, so
// the REPL should read another line.
func incomplete(code string) bool {
	_, err := goja.Compile("", code, false)
	return err != nil && strings.Contains(err.Error(), "Unexpected end of input")
}
