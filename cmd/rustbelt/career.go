package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func careerCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "career",
		Usage:     "a person's tenures and moves in date order, each bound as precise as its source",
		ArgsUsage: "PERSON",
		UsageText: "rustbelt career PERSON [--format table|json|csv]\n\n" +
			"Examples:\n" +
			"   rustbelt career \"Cao Lubao\"\n" +
			"   rustbelt career person/zhu-huan --format json",
		Description: "Tenures are stated (sheets, career CSVs, Wikidata) or read from appointments: a move from\n" +
			"one post to another ends a tenure of the first and starts one of the second. A bound no source\n" +
			"gives reads unknown; a year stays a year. Gaps and overlaps are shown where the bounds make\n" +
			"them certain. JSON gives the timeline, the tenures (with predecessor and successor, stated or\n" +
			"derived) and the moves; table and CSV give the timeline.",
		Flags: []cli.Flag{formatFlag},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError{fmt.Errorf("career takes one person, got %d arguments (quote names with spaces)", c.NArg())}
			}
			format, err := m.outputFormat(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				career, notes, err := g.Career(c.Context, c.Args().First())
				m.note(notes)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(m.Stdout, career)
				}
				fmt.Fprintf(m.Stdout, "%s (%s)\n", career.Person.Name, career.Person.ID)
				return m.render(c, career.Timeline)
			})
		},
	}
}
