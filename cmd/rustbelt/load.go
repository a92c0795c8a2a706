package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func loadCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "load",
		Usage:     "validate N-Quads files, then add all of them to the store in one atomic step",
		ArgsUsage: "FILE...",
		UsageText: "rustbelt load [--strict] FILE... (.nq, .nq.gz, or - for standard input)\n\n" +
			"Examples:\n" +
			"   rustbelt load careers.nq\n" +
			"   zcat big.nq.gz | rustbelt load -",
		Description: "Every quad is checked first; a file with any error writes nothing and the command exits\n" +
			"non-zero with file:line messages. Duplicate quads are skipped and counted.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "strict", Usage: "reject quads outside the rustbelt vocabulary"},
		},
		Action: func(c *cli.Context) error {
			inputs, cleanup, err := m.fileInputs(c)
			defer cleanup()
			if err != nil {
				return err
			}
			return m.withStore(c, false, func(s *graph.Store) error {
				rep, err := s.Load(c.Context, inputs, graph.LoadOptions{Strict: c.Bool("strict")})
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

// fileInputs turns the command's arguments into inputs, "-" being standard
// input; cleanup removes its spool.
func (m *Main) fileInputs(c *cli.Context) ([]graph.Input, func(), error) {
	var cleanups []func()
	cleanup := func() {
		for _, f := range cleanups {
			f()
		}
	}
	if c.NArg() == 0 {
		return nil, cleanup, usageError{errors.New("no files given (use - for standard input)")}
	}
	var inputs []graph.Input
	for _, path := range c.Args().Slice() {
		in, done, err := graph.FileInput(path)
		if path == "-" {
			in, done, err = graph.SpoolInput("-", m.Stdin)
		}
		cleanups = append(cleanups, done)
		if err != nil {
			return nil, cleanup, err
		}
		inputs = append(inputs, in)
	}
	return inputs, cleanup, nil
}
