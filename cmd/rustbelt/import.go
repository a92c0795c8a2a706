package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/importer"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
	"github.com/rustbelt/rustbelt/store"
)

// What import reads.
const (
	importCareers  = "careers"
	importWikidata = "wikidata"
)

func importCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "add career tables: a CSV of tenures, or Wikidata's entity JSON or SPARQL results",
		ArgsUsage: "careers FILE.csv... | wikidata FILE.json...",
		UsageText: "rustbelt import careers [--map COLUMN=FIELD]... [--replace] [--dry-run] FILE.csv...\n" +
			"   rustbelt import wikidata [--retrieved DATE] [--dry-run] FILE.json...\n\n" +
			"Examples:\n" +
			"   rustbelt import careers tenures.csv\n" +
			"   rustbelt import careers --map name=person --map position=post --map notes=- cped.csv\n" +
			"   rustbelt import wikidata Q1.json Q2.json positions.json\n" +
			"   rustbelt import wikidata --dry-run sparql-results.json",
		Description: "careers: one tenure a row, with the header " + strings.Join(importer.Columns[:11], ",") + "\n" +
			"(and optionally place_in, place_kind for a new place, predecessor, successor, date_note);\n" +
			"--map gives the field of a column of another name, or - to leave it out. Dates are YYYY,\n" +
			"YYYY-MM or YYYY-MM-DD, kept as precise as written; an empty start or end stays unknown. Each\n" +
			"row's source is its source_title (with publisher, date, url). The rows add to the store:\n" +
			"importing the same file again adds nothing; with --replace the file is the whole of what its\n" +
			"sources say, and facts of those sources it no longer says are removed.\n\n" +
			"wikidata: the entity JSON of Special:EntityData (people, their positions and the positions'\n" +
			"jurisdictions; several entities a file, or several files) or the JSON results of\n" +
			"queries/wikidata-careers.rq. Each person's positions held (P39) become tenures: start and end\n" +
			"(P580, P582) as precise as Wikidata gives them, predecessor and successor (P1365, P1366), the\n" +
			"post in its jurisdiction's place (P1001), matched to the store's places by item or English\n" +
			"name. Each person is a source, Wikidata at the revision read; importing a newer revision\n" +
			"replaces the older. People, places and posts keep their items (same_as), so that the next\n" +
			"import links to them.\n\n" +
			"Every problem of every file is printed as file:line:column: message, and then nothing is\n" +
			"written (exit 1). Otherwise everything is written in one atomic step.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "map", Usage: "careers: read column `COLUMN=FIELD` as FIELD (- leaves it out)"},
			&cli.BoolFlag{Name: "replace", Usage: "careers: the file replaces what the store holds of its sources"},
			&cli.StringFlag{Name: "retrieved", Usage: "wikidata: the `DATE` the files were fetched (default: today)"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "check and report what importing would do; write nothing"},
			quietFlag,
		},
		Action: func(c *cli.Context) error {
			kind, files := c.Args().First(), c.Args().Tail()
			if kind != importCareers && kind != importWikidata {
				return usageError{fmt.Errorf("import careers FILE.csv… or import wikidata FILE.json…, not %q", kind)}
			}
			if len(files) == 0 {
				return usageError{errors.New("no files given (use - for standard input)")}
			}
			mapping, err := columnMap(c.StringSlice("map"))
			if err != nil {
				return err
			}
			retrieved := c.String("retrieved")
			if retrieved == "" {
				retrieved = time.Now().Format(time.DateOnly)
			} else if !schema.ValidDate(retrieved) || len(retrieved) != len(time.DateOnly) {
				return usageError{fmt.Errorf("--retrieved %q: write the day as YYYY-MM-DD", retrieved)}
			}
			data := map[string][]byte{}
			for _, f := range files {
				if data[f], err = m.readInput(f); err != nil {
					return err
				}
			}
			dry := c.Bool("dry-run")
			return m.withStore(c, dry, func(s *store.Store) error {
				im := importer.New(s, retrieved)
				res := &importer.Result{}
				if kind == importWikidata {
					if res, err = im.Wikidata(c.Context, data, files); err != nil {
						return err
					}
				} else {
					for _, f := range files {
						sheets, problems, err := im.CSV(c.Context, f, data[f], mapping)
						if err != nil {
							return err
						}
						res.Sheets = append(res.Sheets, sheets...)
						res.Problems = append(res.Problems, problems...)
					}
				}
				replace := kind == importWikidata || c.Bool("replace")
				return m.writeImport(c, s, res, files, replace, dry)
			})
		},
	}
}

// readInput reads a file, "-" being standard input, of at most
// sheet.MaxBytes.
func (m *Main) readInput(path string) ([]byte, error) {
	data, err := m.readFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) > sheet.MaxBytes {
		return nil, fail.Errorf(fail.Invalid, "%s is larger than %d bytes: split it", path, sheet.MaxBytes)
	}
	return data, nil
}

// columnMap reads --map COLUMN=FIELD flags.
func columnMap(flags []string) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range flags {
		col, field, ok := strings.Cut(f, "=")
		if !ok || strings.TrimSpace(col) == "" || strings.TrimSpace(field) == "" {
			return nil, usageError{fmt.Errorf("--map %q: write COLUMN=FIELD, such as --map name=person", f)}
		}
		out[strings.TrimSpace(col)] = strings.TrimSpace(field)
	}
	return out, nil
}

// writeImport compiles the sheets an import read, reports every problem or
// what the import does, and writes it in one step: replacing the sources'
// quads, or adding to them.
func (m *Main) writeImport(c *cli.Context, s *store.Store, res *importer.Result, files []string, replace, dry bool) error {
	results, more, err := sheet.Compile(c.Context, s, res.Sheets)
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		fmt.Fprintln(m.Stderr, "rustbelt: note:", n)
	}
	if problems := append(res.Problems, more...); len(problems) > 0 {
		sortProblems(problems, files)
		return &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("%d problem(s) in %d file(s); nothing was written", len(problems), len(files)), Err: problems}
	}
	var labels []quad.IRI
	var quads []quad.Quad
	for _, r := range results {
		state := "new source"
		switch {
		case r.Report.Replaces && replace:
			state = "replaces the store's version"
		case r.Report.Replaces:
			state = "adds to the store's source"
			r.Report.Removed = 0 // an import that adds removes nothing
		}
		printReportAs(m.Stdout, r.Report, state)
		labels = append(labels, r.Labels...)
		quads = append(quads, r.Quads...)
	}
	if dry {
		fmt.Fprintln(m.Stdout, "dry run: nothing was written")
		return nil
	}
	ctx, done := m.progress(c)
	defer done()
	if replace {
		rep, err := s.Replace(ctx, labels, quads)
		done()
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "imported %d source(s): %d quads added, %d removed, %d unchanged\n", len(results), rep.Added, rep.Removed, rep.Kept)
		return nil
	}
	var buf bytes.Buffer
	if _, err := schema.WriteQuads(&buf, schema.NQuads, quads); err != nil {
		return err
	}
	in := store.Input{Name: "import", Size: int64(buf.Len()), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(buf.Bytes())), nil
	}}
	rep, err := s.Load(ctx, []store.Input{in}, store.LoadOptions{})
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "imported %d source(s): %d quads added, %d already there\n", len(results), rep.Added, rep.Duplicates)
	return nil
}
