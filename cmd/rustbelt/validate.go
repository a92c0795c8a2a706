package main

import (
	"fmt"

	"github.com/rustbelt/rustbelt/store"
	"github.com/urfave/cli/v2"
)

func validateCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check quad files against the vocabulary and print every problem as file:line: message",
		ArgsUsage: "FILE...",
		UsageText: "rustbelt validate [--strict] [--format F] FILE...\n\n" +
			"Examples:\n" +
			"   rustbelt validate seeds/*.nq\n" +
			"   rustbelt validate --strict mine.nq",
		Description: "Reports syntax errors, unknown predicates and classes, quads without a source label,\n" +
			"records missing what they need (an appointment without a person), malformed dates and\n" +
			"numbers: all of them, not just the first. Exits 1 if there is any. Touches no store.",
		Flags: inputFlags,
		Action: func(c *cli.Context) error {
			inputs, cleanup, err := m.fileInputs(c)
			defer cleanup()
			if err != nil {
				return err
			}
			n, problems, err := store.Validate(c.Context, inputs, loadOptions(c))
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				return problems
			}
			fmt.Fprintf(m.Stdout, "ok: %d quads in %d file(s)\n", n, len(inputs))
			return nil
		},
	}
}
