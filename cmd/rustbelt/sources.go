package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func sourcesCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "sources",
		Usage:     "each source with publisher, date, title and how many quads it supports",
		UsageText: "rustbelt sources [--format table|json|csv]\n\nExample:\n   rustbelt sources",
		Flags:     []cli.Flag{formatFlag},
		Action: func(c *cli.Context) error {
			return m.withGraph(c, func(g *graph.Graph) error {
				list, err := g.Sources(c.Context)
				if err != nil {
					return err
				}
				return m.render(c, list)
			})
		},
	}
}
