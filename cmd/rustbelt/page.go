package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

// pageFlags are the flags of every listing command: a limit on the rows
// and the cursor of the page before. Without --limit a command lists every
// row, as it always did.
var pageFlags = []cli.Flag{
	&cli.IntFlag{Name: "limit", Usage: "list at most `N` rows; stderr then gives the cursor of the next page (default: every row)"},
	&cli.StringFlag{Name: "after", Usage: "list the page that follows `CURSOR`, as the page before gave it"},
}

// pageOf reads the page the flags ask for.
func pageOf(c *cli.Context) (graph.Page, error) {
	p := graph.Page{Limit: c.Int("limit"), After: c.String("after")}
	if c.IsSet("limit") && p.Limit < 1 {
		return graph.Page{}, usageError{fmt.Errorf("--limit %d: expected 1 or more (leave it out for every row)", p.Limit)}
	}
	if c.IsSet("after") && p.After == "" {
		return graph.Page{}, usageError{fmt.Errorf("--after is empty: give the cursor the page before ended with")}
	}
	return p, nil
}

// renderPage renders one page of a list as render does; where rows follow,
// stderr says how to ask for them. The rows stay what stdout holds, in
// every format: `--format json` prints the same array with or without a
// limit, so that a program reads a page as it reads a whole list.
func renderPage[T any](m *Main, c *cli.Context, p graph.Paged[T]) error {
	if err := m.render(c, p.Rows); err != nil {
		return err
	}
	if p.Next != "" {
		fmt.Fprintf(m.Stderr, "rustbelt: note: %d of %d rows shown; the next page: --after %s\n", len(p.Rows), p.Total, p.Next)
	}
	return nil
}
