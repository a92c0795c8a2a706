package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func timelineCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "timeline",
		Usage: "everything that concerns a place, in date order, one line each",
		UsageText: "rustbelt timeline --place PLACE [--limit N] [--after CURSOR]\n\n" +
			"Examples:\n" +
			"   rustbelt timeline --place Jilin\n" +
			"   rustbelt timeline --place Shenyang --format json",
		Description: "Appointments and relocations into or out of the place, policies that apply to it or to\n" +
			"places inside it, investments, events and figures. Undated records come last.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "place", Usage: "the `PLACE`"},
			formatFlag,
		}, pageFlags...),
		Action: func(c *cli.Context) error {
			if err := requireFlag(c, "place"); err != nil {
				return err
			}
			page, err := pageOf(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				rows, notes, err := g.TimelinePage(c.Context, c.String("place"), page)
				m.note(notes)
				if err != nil {
					return err
				}
				return renderPage(m, c, rows)
			})
		},
	}
}
