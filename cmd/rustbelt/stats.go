package main

import (
	"fmt"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

func statsCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "stats",
		Usage:     "quads, nodes, and counts per class and per source",
		UsageText: "rustbelt stats [--format table|json]\n\nExample:\n   rustbelt stats",
		Flags:     []cli.Flag{formatFlag},
		Action: func(c *cli.Context) error {
			return m.withStore(c, true, func(s *store.Store) error {
				st, err := graph.New(s).Stats(c.Context)
				if err != nil {
					return err
				}
				format, err := m.outputFormat(c)
				if err != nil || format == "json" {
					return firstErr(err, writeJSON(m.Stdout, st))
				}
				fmt.Fprintf(m.Stdout, "store      %s (%s)\nquads      %d\nnodes      %d\nunsourced  %d quads\n\n",
					s.Addr(), st.Backend, st.Quads, st.Nodes, st.Unsourced)
				type classCount struct {
					Class    string `json:"class"`
					Entities int    `json:"entities"`
				}
				var classes []classCount
				for name, n := range st.Classes {
					classes = append(classes, classCount{name, n})
				}
				sort.Slice(classes, func(i, j int) bool { return classes[i].Class < classes[j].Class })
				if err := writeTable(m.Stdout, classes, tableWidth()); err != nil {
					return err
				}
				fmt.Fprintln(m.Stdout)
				return writeTable(m.Stdout, st.Sources, tableWidth())
			})
		},
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
