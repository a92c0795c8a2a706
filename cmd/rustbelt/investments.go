package main

import (
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func investmentsCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "investments",
		Usage: "company investments into places, with amounts as the sources state them",
		UsageText: "rustbelt investments [--company NAME] [--place PLACE] [--limit N] [--after CURSOR]\n\n" +
			"Examples:\n" +
			"   rustbelt investments --place Shenyang\n" +
			"   rustbelt investments --company BMW --format json",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "company", Usage: "only this company `NAME`"},
			&cli.StringFlag{Name: "place", Usage: "only into this `PLACE` and places inside it"},
			formatFlag,
		}, slices.Concat(dateFlags, pageFlags)...),
		Action: func(c *cli.Context) error {
			page, err := pageOf(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				rows, notes, err := g.InvestmentsPage(c.Context, graph.InvestmentFilter{Company: c.String("company"), Place: c.String("place"), DateRange: dateRange(c)}, page)
				m.note(notes)
				if err != nil {
					return err
				}
				return renderPage(m, c, rows)
			})
		},
	}
}
