package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func showCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "every fact about an entity, each with its source",
		ArgsUsage: "NAME-OR-ID",
		UsageText: "rustbelt show NAME-OR-ID [--format text|json]\n\n" +
			"Examples:\n" +
			"   rustbelt show \"Cao Lubao\"\n" +
			"   rustbelt show place/jilin-city\n" +
			"   rustbelt show Siasun --format json",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Usage: "text or json (default: text on a terminal, json otherwise)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("show takes one name or id, got %d arguments (quote names with spaces)", c.NArg())}
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				card, notes, err := g.Card(c.Context, c.Args().First())
				m.note(notes)
				if err != nil {
					return err
				}
				format := c.String("format")
				if format == "" && !isTerminal(m.Stdout) {
					format = "json"
				}
				switch format {
				case "json":
					return writeJSON(m.Stdout, card)
				case "", "text", "table":
					return writeCard(m, card)
				}
				return usageError{fmt.Errorf("unknown --format %q: expected text or json", format)}
			})
		},
	}
}

// writeCard prints a card for people: a heading, then facts, records and
// mentions as tables.
func writeCard(m *Main, c *graph.Card) error {
	fmt.Fprintf(m.Stdout, "%s — %s (%s)\n", c.Name, strings.Join(c.Classes, ", "), c.ID)
	if len(c.Aliases) > 0 {
		fmt.Fprintf(m.Stdout, "also: %s\n", strings.Join(c.Aliases, ", "))
	}
	width := tableWidth()
	sections := []struct {
		title string
		rows  any
		n     int
	}{
		{"Facts", c.Facts, len(c.Facts)},
		{"Records", c.Records, len(c.Records)},
		{"Mentioned by", c.Mentions, len(c.Mentions)},
	}
	for _, sec := range sections {
		if sec.n == 0 {
			continue
		}
		fmt.Fprintf(m.Stdout, "\n%s\n", sec.title)
		if err := writeTable(m.Stdout, sec.rows, width); err != nil {
			return err
		}
	}
	return nil
}
