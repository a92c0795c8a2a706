package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/store"
)

// inputFlags are the flags of the commands that read quad files.
var inputFlags = []cli.Flag{
	&cli.BoolFlag{Name: "strict", Usage: "reject quads outside the rustbelt vocabulary"},
	inputFormatFlag,
}

func loadOptions(c *cli.Context) store.LoadOptions {
	return store.LoadOptions{Strict: c.Bool("strict")}
}

func loadCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "load",
		Usage:     "validate quad files, then add all of them to the store in one atomic step",
		ArgsUsage: "FILE...",
		UsageText: "rustbelt load [--strict] [--format F] FILE... (.nq, .jsonld, .json, .pq, each maybe .gz; - for standard input)\n\n" +
			"Examples:\n" +
			"   rustbelt load careers.nq\n" +
			"   rustbelt load --format jsonld - < survey.json\n" +
			"   zcat big.nq.gz | rustbelt load -",
		Description: "Every quad is checked first; a file with any error writes nothing and the command exits\n" +
			"non-zero with file:line messages. Duplicate quads are skipped and counted.\n" +
			"Quads about rustbelt's entities or in its namespace are held to the vocabulary; your own\n" +
			"quads are loaded as they are, with their own labels or none (see stats: unsourced).\n" +
			"On a terminal, stderr shows a progress bar (quads, rate, time left); --quiet hides it.",
		Flags: append(slices.Clone(inputFlags), quietFlag),
		Action: func(c *cli.Context) error {
			inputs, cleanup, err := m.fileInputs(c)
			defer cleanup()
			if err != nil {
				return err
			}
			return m.withStore(c, false, func(s *store.Store) error {
				ctx, done := m.progress(c)
				rep, err := s.Load(ctx, inputs, loadOptions(c))
				done()
				if err != nil {
					return err
				}
				fmt.Fprintf(m.Stdout, "loaded %d new quads from %d file(s) in %s (%d read, %d duplicates skipped)\n",
					rep.Added, rep.Files, rep.Elapsed.Round(time.Millisecond), rep.Read, rep.Duplicates)
				return nil
			})
		},
	}
}

// inputFormatFlag names the format of the files load and validate read,
// when their extensions do not.
var inputFormatFlag = &cli.StringFlag{
	Name:  "format",
	Usage: "read every file as `FORMAT`: " + strings.Join(store.InputFormats(), ", ") + " (default: from the extension, else nquads)",
}

// fileInputs turns the command's arguments into inputs, "-" being standard
// input; cleanup removes its spool.
func (m *Main) fileInputs(c *cli.Context) ([]store.Input, func(), error) {
	var cleanups []func()
	cleanup := func() {
		for _, f := range cleanups {
			f()
		}
	}
	if c.NArg() == 0 {
		return nil, cleanup, usageError{errors.New("no files given (use - for standard input)")}
	}
	format := c.String(inputFormatFlag.Name)
	if format != "" && !slices.Contains(store.InputFormats(), format) {
		return nil, cleanup, usageError{fmt.Errorf("unknown --format %q: expected one of %s", format, strings.Join(store.InputFormats(), ", "))}
	}
	var inputs []store.Input
	for _, path := range c.Args().Slice() {
		in, done, err := store.FileInput(path)
		if path == "-" {
			in, done, err = store.SpoolInput("-", m.Stdin)
		}
		cleanups = append(cleanups, done)
		if err != nil {
			return nil, cleanup, err
		}
		if format != "" {
			in.Format = format
		}
		inputs = append(inputs, in)
	}
	return inputs, cleanup, nil
}
