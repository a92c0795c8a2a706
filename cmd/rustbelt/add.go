package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
	"github.com/rustbelt/rustbelt/store"
)

func addCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "add",
		Usage:     "check source sheets (YAML, names not IRIs), then add all of them to the store in one atomic step",
		ArgsUsage: "SHEET...",
		UsageText: "rustbelt add [--dry-run] SHEET... (- for standard input)\n\n" +
			"Examples:\n" +
			"   rustbelt add my-article.yaml\n" +
			"   rustbelt add --dry-run seeds/*.yaml\n" +
			"   rustbelt sheet seed-002 > rust-to-riches.yaml   # edit it, then:\n" +
			"   rustbelt add rust-to-riches.yaml",
		Description: "A sheet is one source's facts in YAML (docs/sheets.md). Its names resolve as the commands'\n" +
			"do (names, aliases, ids, any case) against the sheet and the store: a name that fits one entity\n" +
			"links to it, a new name makes a new entity, a name that fits several or is close to another\n" +
			"is a problem. Every problem of every sheet is printed as file:line:column: message, and then\n" +
			"nothing is written (exit 1). Otherwise the facts are written, labelled with the sheet's source,\n" +
			"in one step: a source the store holds already is replaced by the sheet, so adding the same\n" +
			"sheet again changes nothing, and a correction is: edit the sheet, add it again.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "check the sheets and report what adding them would do; write nothing"},
			quietFlag,
		},
		Action: func(c *cli.Context) error {
			sheets, problems, err := m.readSheets(c)
			if err != nil {
				return err
			}
			dry := c.Bool("dry-run")
			return m.withStore(c, dry, func(s *store.Store) error {
				results, more, err := sheet.Compile(c.Context, s, sheets)
				if err != nil {
					return err
				}
				if problems = append(problems, more...); len(problems) > 0 {
					sortProblems(problems, c.Args().Slice())
					return &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%d problem(s) in %d sheet(s); nothing was written", len(problems), c.NArg()), Err: problems}
				}
				for _, r := range results {
					printReport(m.Stdout, r.Report)
				}
				if dry {
					fmt.Fprintln(m.Stdout, "dry run: nothing was written")
					return nil
				}
				var labels []quad.IRI
				var quads []quad.Quad
				for _, r := range results {
					labels = append(labels, r.Labels...)
					quads = append(quads, r.Quads...)
				}
				ctx, done := m.progress(c)
				rep, err := s.Replace(ctx, labels, quads)
				done()
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "added %d sheet(s): %d quads added, %d removed, %d unchanged\n", len(results), rep.Added, rep.Removed, rep.Kept)
				return nil
			})
		},
	}
}

// readSheets reads and parses the sheets the command names, "-" being
// standard input. Problems of form are returned with the sheets that could
// be read, so that every sheet's problems are reported at once.
func (m *Main) readSheets(c *cli.Context) ([]*sheet.Sheet, schema.Problems, error) {
	if c.NArg() == 0 {
		return nil, nil, usageError{errors.New("no sheets given (use - for standard input)")}
	}
	var sheets []*sheet.Sheet
	var problems schema.Problems
	for _, path := range c.Args().Slice() {
		data, err := m.readFile(path)
		if err != nil {
			return nil, nil, err
		}
		sh, ps := sheet.Parse(path, data)
		problems = append(problems, ps...)
		if sh != nil {
			sheets = append(sheets, sh)
		}
	}
	return sheets, problems, nil
}

// sortProblems orders problems by sheet, in the order given, then by line
// and column.
func sortProblems(problems schema.Problems, files []string) {
	order := map[string]int{}
	for i, f := range files {
		if _, ok := order[f]; !ok {
			order[f] = i
		}
	}
	sort.SliceStable(problems, func(i, j int) bool {
		a, b := problems[i].Pos, problems[j].Pos
		if a.File != b.File {
			return order[a.File] < order[b.File]
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// printReport writes what adding one sheet does.
func printReport(w io.Writer, r sheet.Report) {
	state := "new source"
	if r.Replaces {
		state = "replaces the store's version"
	}
	printReportAs(w, r, state)
}

// printReportAs writes what adding one sheet does, its source's state
// told by the caller.
func printReportAs(w io.Writer, r sheet.Report, state string) {
	title := r.Source.Name
	if title == "" {
		title = "untitled"
	}
	fmt.Fprintf(w, "%s: %s %q (%s)\n", r.File, r.Source.ID, title, state)
	for _, e := range r.New {
		fmt.Fprintf(w, "  new      %s %q (%s)\n", e.ID, e.Name, e.Class)
	}
	for _, l := range r.Linked {
		fmt.Fprintf(w, "  linked   %q → %s (%s)\n", l.Name, l.ID, l.Class)
	}
	if len(r.Records) > 0 {
		var parts []string
		for _, n := range r.Records {
			parts = append(parts, fmt.Sprintf("%s: %d", n.Section, n.N))
		}
		fmt.Fprintf(w, "  records  %s\n", strings.Join(parts, ", "))
	}
	fmt.Fprintf(w, "  quads    %d added, %d removed, %d unchanged\n", r.Added, r.Removed, r.Unchanged)
}

// readFile reads a file, "-" being standard input; of standard input it
// reads no more than one byte past sheet.MaxBytes, enough for the caller
// to say that it is too large.
func (m *Main) readFile(path string) ([]byte, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(io.LimitReader(m.Stdin, sheet.MaxBytes+1))
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, &fail.Error{Code: fail.Invalid, Msg: "read " + path, Err: err}
	}
	return data, nil
}
