package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

func dumpCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "dump",
		Usage: "write every quad of the store, in a form load reads back",
		UsageText: "rustbelt dump [--format nquads|jsonld] [-o FILE]\n\n" +
			"Examples:\n" +
			"   rustbelt dump -o backup.nq\n" +
			"   rustbelt --db old.bolt dump | rustbelt --db new.bolt --no-seed load -",
		Description: "Quads come out grouped by label and sorted, so that two dumps compare with diff.\n" +
			"JSON-LD cannot hold relative IRIs such as <alice>; a store with them dumps as nquads only.\n" +
			"On a terminal, stderr shows a progress bar; --quiet hides it.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: schema.NQuads, Usage: "`FORMAT`: " + strings.Join(schema.DumpFormats, " or ")},
			&cli.StringFlag{Name: "o", Aliases: []string{"output"}, Usage: "write to `FILE` instead of standard output"},
			quietFlag,
		},
		Action: func(c *cli.Context) error {
			return m.withStore(c, true, func(s *store.Store) error {
				out := c.String("o")
				ctx, done := c.Context, func() {}
				if out != "" || !isTerminal(m.Stdout) { // not over the quads on the screen
					ctx, done = m.progress(c)
				}
				defer done()
				if out == "" {
					_, err := s.Dump(ctx, m.Stdout, c.String("format"))
					return err
				}
				n, err := dumpToFile(ctx, c, s, out)
				done()
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stderr, "rustbelt: dumped %d quads to %s\n", n, out)
				return nil
			})
		},
	}
}

// dumpToFile writes the dump to path as writeOutput does, so that a failed
// dump never leaves a partial file where a good one was.
func dumpToFile(ctx context.Context, c *cli.Context, s *store.Store, path string) (int64, error) {
	var n int64
	err := writeOutput(path, func(w io.Writer) error {
		var err error
		n, err = s.Dump(ctx, w, c.String("format"))
		return err
	})
	return n, err
}
