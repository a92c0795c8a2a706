package main

import (
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func sourcesCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "sources",
		Usage:     "each source with publisher, date, title and how many quads it supports",
		UsageText: "rustbelt sources [--format table|json|csv] [--limit N] [--after CURSOR]\n\nExample:\n   rustbelt sources",
		Flags:     append([]cli.Flag{formatFlag}, pageFlags...),
		Action: func(c *cli.Context) error {
			page, err := pageOf(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				list, err := g.SourcesPage(c.Context, page)
				if err != nil {
					return err
				}
				return renderPage(m, c, list)
			})
		},
	}
}
