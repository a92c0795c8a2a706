package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func holdersCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "holders",
		Usage: "who held a post, in order, or who held it on a date",
		UsageText: "rustbelt holders --post POST [--on DATE]\n" +
			"   rustbelt holders --place PLACE [--on DATE]\n\n" +
			"Examples:\n" +
			"   rustbelt holders --post \"Party secretary of Suzhou\"\n" +
			"   rustbelt holders --post \"Party secretary of Suzhou\" --on 2023-06-30\n" +
			"   rustbelt holders --place Jilin --on 2024",
		Description: "--place lists the posts of the place and of every place inside it, and their holders.\n" +
			"--on keeps the tenures that may cover the date (a day; a month or a year taken whole): \"held\"\n" +
			"when their bounds surely cover it, \"possibly\" when a bound is unknown or less precise than\n" +
			"the date, with why. Predecessors and successors are the people a source names (stated), or\n" +
			"the holders of the post's tenures just before and after (derived).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "post", Usage: "the `POST` (name or id)"},
			&cli.StringFlag{Name: "place", Usage: "the posts of `PLACE` and of the places inside it"},
			&cli.StringFlag{Name: "on", Usage: "only who held it on `DATE` (YYYY, YYYY-MM or YYYY-MM-DD)"},
			formatFlag,
		},
		Action: func(c *cli.Context) error {
			if (c.String("post") == "") == (c.String("place") == "") {
				return usageError{errors.New("give --post or --place (see holders --help)")}
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				rows, notes, err := g.Holders(c.Context, graph.HolderFilter{Post: c.String("post"), Place: c.String("place"), On: c.String("on")})
				m.note(notes)
				if err != nil {
					return err
				}
				return m.render(c, rows)
			})
		},
	}
}
