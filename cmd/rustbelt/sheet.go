package main

import (
	"errors"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
	"github.com/rustbelt/rustbelt/store"
)

func sheetCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "sheet",
		Usage:     "write the sheet of a source in the store: its facts in YAML, names not IRIs, ready to edit and add",
		ArgsUsage: "SOURCE",
		UsageText: "rustbelt sheet SOURCE (an id such as source/seed-002 or seed-002, or a title)\n\n" +
			"Examples:\n" +
			"   rustbelt sheet seed-002 > rust-to-riches.yaml\n" +
			"   rustbelt sheet \"Rust to Riches\"",
		Description: "Writes every fact labelled with the source (docs/sheets.md describes the format). What it\n" +
			"writes adds back to the same facts: start a new sheet from it, or correct a source by editing\n" +
			"its sheet and running rustbelt add on it. A source holding facts no sheet can say (your own\n" +
			"predicates, loaded with rustbelt load) is refused, naming them.",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{errors.New("name one source (see rustbelt sources)")}
			}
			return m.withStore(c, true, func(s *store.Store) error {
				source, err := resolveSource(c, graph.New(s), c.Args().First())
				if err != nil {
					return err
				}
				return sheet.Write(c.Context, m.Stdout, s, schema.ID(source.ID))
			})
		},
	}
}

// resolveSource finds a source by id, by the last part of its id
// (seed-002) or by title.
func resolveSource(c *cli.Context, g *graph.Graph, name string) (graph.Resolution, error) {
	res, err := g.Resolve(c.Context, name, schema.Source)
	if fail.CodeOf(err) == fail.NotFound && !strings.Contains(name, "/") {
		if byID, err2 := g.Resolve(c.Context, "source/"+name, schema.Source); err2 == nil {
			return byID, nil
		}
	}
	return res, err
}
