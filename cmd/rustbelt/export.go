package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/export"
	"github.com/rustbelt/rustbelt/graph"
)

func exportCommand(m *Main) *cli.Command {
	var formats []string
	var list strings.Builder
	for _, f := range export.Formats() {
		formats = append(formats, f.Name)
		fmt.Fprintf(&list, "\n   %-10s %s (%s)", f.Name, f.Doc, f.Ext)
	}
	return &cli.Command{
		Name:  "export",
		Usage: "write the graph around people or places for Gephi, yEd, Cytoscape, Graphviz or RDF tools",
		UsageText: "rustbelt export [--center NAME]... [--depth N] [--types TYPE,...] [--since DATE] [--until DATE]\n" +
			"                [--reified] --format " + strings.Join(formats, "|") + " [-o FILE]\n\n" +
			"Examples:\n" +
			"   rustbelt export --center Jilin --depth 2 --format gexf -o jilin.gexf\n" +
			"   rustbelt export --center \"Cao Lubao\" --format graphml -o cao.graphml\n" +
			"   rustbelt export --center Jilin --types person,place,policy --format dot | dot -Tsvg > jilin.svg\n" +
			"   rustbelt export --since 2023 --format cytoscape -o recent.json",
		Description: "Takes everything within --depth steps of the centers (the whole graph without --center).\n" +
			"A step links two entities, directly or through a record: an appointment links its person\n" +
			"and both places, so depth 1 around a place reaches the people appointed there, where they\n" +
			"came from, and the policies that target it. A place stands for itself and the places inside it.\n\n" +
			"Appointments, relocations, investments and figures are drawn as edges carrying the record's\n" +
			"posts, dates, kind, amount and sources (--reified keeps them as nodes). Every node and edge\n" +
			"cites its sources. The same input gives the same bytes.\n\n" +
			strings.Join(wrap("Types: "+strings.Join(graph.SubgraphTypes(), ", ")+".", 92), "\n") + "\n\n" +
			"Formats (chosen from the -o extension when --format is not given):" + list.String(),
		Flags: append([]cli.Flag{
			&cli.StringSliceFlag{Name: "center", Usage: "start from `NAME` (name, alias or id; repeat for several)"},
			&cli.IntFlag{Name: "depth", Value: 1, Usage: "steps from the centers, `N`"},
			&cli.StringSliceFlag{Name: "types", Usage: "keep only these `TYPES`, comma-separated (person,place,policy…)"},
			&cli.BoolFlag{Name: "reified", Usage: "keep appointments, investments… as nodes instead of edges"},
			&cli.StringFlag{Name: "format", Usage: "`FORMAT`: " + strings.Join(formats, ", ")},
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` instead of standard output"},
		}, dateFlags...),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("export takes no arguments, got %q (use --center NAME)", c.Args().First())}
			}
			format, err := exportFormat(c.String("format"), c.String("output"))
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				sg, notes, err := g.Subgraph(c.Context, graph.SubgraphOptions{
					Centers: c.StringSlice("center"), Depth: c.Int("depth"), Types: c.StringSlice("types"),
					DateRange: dateRange(c), Reified: c.Bool("reified"),
				})
				m.note(notes)
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := export.Write(&buf, format, sg); err != nil {
					return err
				}
				if out := c.String("output"); out != "" && out != "-" {
					return writeOutput(out, func(w io.Writer) error {
						_, err := w.Write(buf.Bytes())
						return err
					})
				}
				_, err = m.Stdout.Write(buf.Bytes())
				return err
			})
		},
	}
}

// exportFormat is --format, or the format the output file's extension names.
func exportFormat(format, output string) (string, error) {
	if format != "" {
		if export.ContentType(format) == "" {
			return "", usageError{fmt.Errorf("unknown --format %q", format)}
		}
		return format, nil
	}
	if f, ok := export.ByExt(output); ok && output != "" {
		return f.Name, nil
	}
	return "", usageError{fmt.Errorf("--format is required (or an -o file ending in a format's extension)")}
}
