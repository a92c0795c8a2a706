package main

import (
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

// dateFlags filter records by date.
var dateFlags = []cli.Flag{
	&cli.StringFlag{Name: "since", Usage: "only records dated on or after `DATE` (YYYY, YYYY-MM or YYYY-MM-DD)"},
	&cli.StringFlag{Name: "until", Usage: "only records dated on or before `DATE`"},
}

func dateRange(c *cli.Context) graph.DateRange {
	return graph.DateRange{Since: c.String("since"), Until: c.String("until")}
}

func appointmentsCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "appointments",
		Usage: "officials moved between regions: who, from which post and place, to which, when, per which source",
		UsageText: "rustbelt appointments [--from PLACE] [--to PLACE] [--person NAME] [--since DATE] [--until DATE] [--limit N] [--after CURSOR]\n\n" +
			"Examples:\n" +
			"   rustbelt appointments --to Jilin\n" +
			"   rustbelt appointments --from Zhejiang --format json\n" +
			"   rustbelt appointments --to Northeast --since 2024\n" +
			"   rustbelt appointments --to Northeast --limit 100      # stderr gives the next page's --after",
		Description: "A place matches itself and every place inside it: --to Northeast covers the three\n" +
			"provinces and their cities. Moves for a company job are not appointments.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "origin `PLACE` (name, alias or id)"},
			&cli.StringFlag{Name: "to", Usage: "destination `PLACE`"},
			&cli.StringFlag{Name: "person", Usage: "only this `NAME`"},
			formatFlag,
		}, slices.Concat(dateFlags, pageFlags)...),
		Action: func(c *cli.Context) error {
			page, err := pageOf(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				rows, notes, err := g.AppointmentsPage(c.Context, graph.AppointmentFilter{
					From: c.String("from"), To: c.String("to"), Person: c.String("person"), DateRange: dateRange(c),
				}, page)
				m.note(notes)
				if err != nil {
					return err
				}
				return renderPage(m, c, rows)
			})
		},
	}
}
