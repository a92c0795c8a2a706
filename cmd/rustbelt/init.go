package main

import (
	"fmt"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
	"github.com/urfave/cli/v2"
)

func initCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "create a new store, with the bundled dataset or --empty",
		UsageText: "rustbelt [--db STORE] init [--empty]\n\n" +
			"Examples:\n" +
			"   rustbelt init\n" +
			"   rustbelt --db mine.bolt init --empty && rustbelt --db mine.bolt load mine.nq",
		Description: "Other commands create the store on first use, with the bundled dataset (unless --no-seed).\n" +
			"init does it on purpose and refuses a store that already holds quads, so that --empty\n" +
			"never hands back a full store.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "empty", Usage: "leave the new store empty, for your own data only"},
		},
		Action: func(c *cli.Context) error {
			empty := c.Bool("empty") || c.Bool("no-seed")
			// Log: stderr says when the new store replaced an empty file.
			s, err := store.Create(c.Context, c.String("db"), store.Options{NoSeed: empty, Log: m.Stderr})
			if err != nil {
				return err
			}
			defer s.Close()
			st, err := graph.New(s).Stats(c.Context)
			if err != nil {
				return err
			}
			what := "empty"
			if !empty {
				what = fmt.Sprintf("with the bundled dataset: %d quads from %d sources", st.Quads, len(st.Sources))
			}
			fmt.Fprintf(m.Stdout, "created store %s (%s), %s\n", s.Addr(), s.Backend(), what)
			return nil
		},
	}
}
