package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func investmentsCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "investments",
		Usage: "company investments into places, with amounts as the sources state them",
		UsageText: "rustbelt investments [--company NAME] [--place PLACE]\n\n" +
			"Examples:\n" +
			"   rustbelt investments --place Shenyang\n" +
			"   rustbelt investments --company BMW --format json",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "company", Usage: "only this company `NAME`"},
			&cli.StringFlag{Name: "place", Usage: "only into this `PLACE` and places inside it"},
			formatFlag,
		}, dateFlags...),
		Action: func(c *cli.Context) error {
			return m.withGraph(c, func(g *graph.Graph) error {
				rows, notes, err := g.Investments(c.Context, graph.InvestmentFilter{Company: c.String("company"), Place: c.String("place"), DateRange: dateRange(c)})
				m.note(notes)
				if err != nil {
					return err
				}
				return m.render(c, rows)
			})
		},
	}
}
