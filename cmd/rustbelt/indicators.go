package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func indicatorsCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "indicators",
		Usage: "figures the sources report: GDP growth, resident inflow, grain output…",
		UsageText: "rustbelt indicators [--place PLACE]... [--indicator NAME] [--period P] [--limit N] [--after CURSOR]\n" +
			"rustbelt indicators --list\n\n" +
			"Examples:\n" +
			"   rustbelt indicators --place Liaoning --place Jilin --indicator gdp-growth\n" +
			"   rustbelt indicators --place Heilongjiang --period 2023\n" +
			"   rustbelt indicators --list",
		Description: "A place covers the places inside it and the companies and facilities that lie wholly\n" +
			"inside it (a rail corridor whose ports lie in two provinces is neither's). Figures that\n" +
			"several sources report alike are one row citing all of them; a figure that another\n" +
			"source gives otherwise is marked CONFLICT (conflict in JSON). A bound reads \"more than\",\n" +
			"an approximate figure \"about\". --period matches a prefix: 2023 matches 2023 and 2023-Q1.",
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "place", Usage: "a `PLACE` to compare (repeat the flag for several)"},
			&cli.StringFlag{Name: "indicator", Usage: "indicator id or name, such as gdp-growth (see --list)"},
			&cli.StringFlag{Name: "period", Usage: "only periods starting with `P`, such as 2023"},
			&cli.BoolFlag{Name: "list", Usage: "list the indicators and how many figures each has"},
			formatFlag,
		}, pageFlags...),
		Action: func(c *cli.Context) error {
			page, err := pageOf(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				if c.Bool("list") {
					list, err := g.IndicatorListPage(c.Context, page)
					if err != nil {
						return err
					}
					return renderPage(m, c, list)
				}
				rows, notes, err := g.IndicatorsPage(c.Context, graph.IndicatorFilter{
					Places: c.StringSlice("place"), Indicator: c.String("indicator"), Period: c.String("period"),
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
