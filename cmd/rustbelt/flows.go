package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func flowsCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "flows",
		Usage: "appointments counted by origin and destination, rolled up to provinces, regions or cities",
		UsageText: "rustbelt flows [--from PLACE] [--to PLACE] [--level province|region|city] [--since DATE] [--until DATE]\n\n" +
			"Examples:\n" +
			"   rustbelt flows --level province\n" +
			"   rustbelt flows --to Northeast --level city --format csv\n" +
			"   rustbelt flows --from Zhejiang --since 2016 --format json",
		Description: "Each appointment's places are rolled up through containment to the place of the level that\n" +
			"holds them (Ningbo to Zhejiang); a place in none is counted as itself, and a note says so.\n" +
			"The table is the matrix, origins down and destinations across, then each cell's appointments;\n" +
			"CSV gives the cells, JSON the matrix's places and cells.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "from", Usage: "only appointments from `PLACE` (and the places inside it)"},
			&cli.StringFlag{Name: "to", Usage: "only appointments to `PLACE`"},
			&cli.StringFlag{Name: "level", Value: "province", Usage: "count at `LEVEL`: province, region or city"},
			formatFlag,
		}, dateFlags...),
		Action: func(c *cli.Context) error {
			format, err := m.outputFormat(c)
			if err != nil {
				return err
			}
			return m.withGraph(c, func(g *graph.Graph) error {
				flows, notes, err := g.Flows(c.Context, graph.FlowFilter{
					From: c.String("from"), To: c.String("to"), Level: c.String("level"), DateRange: dateRange(c),
				})
				m.note(notes)
				if err != nil {
					return err
				}
				switch format {
				case "json":
					return writeJSON(m.Stdout, flows)
				case "csv":
					return writeCSV(m.Stdout, flows.Cells)
				}
				if len(flows.Cells) == 0 {
					return nil
				}
				if err := writeMatrix(m.Stdout, flows); err != nil {
					return err
				}
				fmt.Fprintln(m.Stdout)
				return writeTable(m.Stdout, flows.Cells, tableWidth())
			})
		},
	}
}

// writeMatrix prints the flows as a matrix: an origin a row, a destination
// a column, the count in the cell and a dot where there is none.
func writeMatrix(w io.Writer, f *graph.Flows) error {
	counts := map[[2]string]int{}
	for _, c := range f.Cells {
		counts[[2]string{c.From, c.To}] = c.Count
	}
	header := []string{strings.ToUpper(f.Level) + " FROM \\ TO"}
	for _, d := range f.Destinations {
		header = append(header, d.Name)
	}
	rows := [][]string{header}
	for _, o := range f.Origins {
		row := []string{o.Name}
		for _, d := range f.Destinations {
			n := counts[[2]string{o.Name, d.Name}]
			cell := "."
			if n > 0 {
				cell = strconv.Itoa(n)
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for j, text := range row {
			widths[j] = max(widths[j], cellWidth(text))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for j, text := range row {
			pad := widths[j] - cellWidth(text)
			if j == 0 {
				b.WriteString(text + strings.Repeat(" ", pad))
			} else {
				b.WriteString("  " + strings.Repeat(" ", pad) + text)
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
