package main

import (
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func policiesCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "policies",
		Usage: "policies that affect a place: aimed at it or at a place containing it",
		UsageText: "rustbelt policies --place PLACE [--inside] [--since DATE] [--until DATE] [--limit N] [--after CURSOR]\n\n" +
			"Examples:\n" +
			"   rustbelt policies --place Harbin\n" +
			"   rustbelt policies --place Liaoning --since 2017 --format csv",
		Description: "VIA shows the containment chain that makes a policy apply (Harbin ⊂ Heilongjiang ⊂ Northeast).\n" +
			"A policy aimed at a sibling (another province's city) does not apply; --inside adds the\n" +
			"policies aimed at places inside PLACE.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "place", Usage: "the `PLACE` (name, alias or id)"},
			&cli.BoolFlag{Name: "inside", Usage: "also list policies aimed at places inside PLACE"},
			formatFlag,
		}, slices.Concat(dateFlags, pageFlags)...),
		Action: func(c *cli.Context) error {
			if err := requireFlag(c, "place"); err != nil {
				return err
			}
			page, err := pageOf(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				rows, notes, err := g.PoliciesPage(c.Context, graph.PolicyFilter{Place: c.String("place"), Inside: c.Bool("inside"), DateRange: dateRange(c)}, page)
				m.note(notes)
				if err != nil {
					return err
				}
				return renderPage(m, c, rows)
			})
		},
	}
}
