// Command rustbelt asks the knowledge graph of the people, places and policies
// behind the revival of China's northeast: cross-regional appointments,
// policies by place, investments, indicator figures, Gizmo queries, exports
// and an HTTP server. Every command is a thin layer over package graph (the
// questions) and package store (loads, dumps, queries).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	if err := m.Run(ctx, os.Args); err != nil {
		m.reportError(err)
		os.Exit(exitCode(err))
	}
}

// Main is the program with its standard streams, so that tests run it
// in-process exactly as a user would from a shell.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	app            *cli.App
}

// NewMain wires every command.
func NewMain(stdin io.Reader, stdout, stderr io.Writer) *Main {
	m := &Main{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	m.app = &cli.App{
		Name:  "rustbelt",
		Usage: "ask the knowledge graph of China's northeast revival",
		Description: "A graph of the people, places and policies behind the revival of Liaoning, Jilin and\n" +
			"Heilongjiang, curated from news sources, stored in Cayley. Every answer cites its sources.\n\n" +
			"The first command creates the embedded store and loads the bundled dataset.",
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:    "db",
				Usage:   "store: a bolt file `PATH`, memory:, or postgres://user@host/db",
				EnvVars: []string{"RUSTBELT_DB"},
				Value:   store.DefaultPath(),
			},
			&cli.BoolFlag{
				Name:    "no-seed",
				Usage:   "create a new store empty, without the bundled dataset",
				EnvVars: []string{"RUSTBELT_NO_SEED"},
			},
		},
		Commands: []*cli.Command{
			appointmentsCommand(m),
			policiesCommand(m),
			investmentsCommand(m),
			indicatorsCommand(m),
			timelineCommand(m),
			careerCommand(m),
			holdersCommand(m),
			flowsCommand(m),
			showCommand(m),
			queryCommand(m),
			replCommand(m),
			loadCommand(m),
			addCommand(m),
			importCommand(m),
			sheetCommand(m),
			validateCommand(m),
			statsCommand(m),
			sourcesCommand(m),
			initCommand(m),
			dumpCommand(m),
			serveCommand(m),
			exportCommand(m),
			checkCommand(m),
		},
		Reader:          stdin,
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		ExitErrHandler:  func(*cli.Context, error) {}, // Run's caller reports and exits
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usageError{err}
		},
	}
	for _, cmd := range m.app.Commands {
		cmd.OnUsageError = m.app.OnUsageError
	}
	return m
}

// Run runs the command line args (args[0] is the program name).
func (m *Main) Run(ctx context.Context, args []string) (err error) {
	// A damaged store file makes bolt panic or fault while a command reads
	// it: say so instead of printing a stack trace.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer store.RecoverDamage(&err)
	return m.app.RunContext(ctx, flagsFirst(m.app, args))
}

// flagsFirst moves a command's flags before its arguments, so that
// `rustbelt show "Cao Lubao" --format json` works: urfave/cli v2 stops
// reading flags at the first argument. Everything after "--" stays as is.
func flagsFirst(app *cli.App, args []string) []string {
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") { // global flags
		if !strings.Contains(args[i], "=") && takesValue(app.Flags, args[i]) {
			i++
		}
		i++
	}
	if i >= len(args) {
		return args
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return args
	}
	out := append([]string{}, args[:i+1]...)
	var positional []string
	rest := args[i+1:]
	for j := 0; j < len(rest); j++ {
		a := rest[j]
		switch {
		case a == "--":
			positional = append(positional, rest[j:]...)
			j = len(rest)
		case strings.HasPrefix(a, "-") && a != "-":
			out = append(out, a)
			if !strings.Contains(a, "=") && takesValue(cmd.Flags, a) && j+1 < len(rest) {
				j++
				out = append(out, rest[j])
			}
		default:
			positional = append(positional, a)
		}
	}
	return append(out, positional...)
}

// takesValue reports whether the flag arg (like "--format") needs a value.
func takesValue(flags []cli.Flag, arg string) bool {
	name := strings.TrimLeft(arg, "-")
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				_, isBool := f.(*cli.BoolFlag)
				return !isBool
			}
		}
	}
	return false
}

// usageError marks a command line that could not be parsed.
type usageError struct{ error }

// requireFlag reports a missing required flag as a usage error (urfave's
// own Required flags fail with an error that cannot be told apart).
func requireFlag(c *cli.Context, name string) error {
	if strings.TrimSpace(c.String(name)) == "" {
		return usageError{fmt.Errorf("--%s is required (see %s --help)", name, c.Command.Name)}
	}
	return nil
}

// openStore opens the store named by --db. Read-only commands share the
// store with each other and with a read-only server.
func (m *Main) openStore(c *cli.Context, readOnly bool) (*store.Store, error) {
	return store.Open(c.Context, c.String("db"), store.Options{ReadOnly: readOnly, NoSeed: c.Bool("no-seed"), Log: m.Stderr})
}

// withStore opens the store, runs fn and closes the store.
func (m *Main) withStore(c *cli.Context, readOnly bool, fn func(*store.Store) error) error {
	s, err := m.openStore(c, readOnly)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// withGraph opens the store for reading and runs fn over the graph in it.
func (m *Main) withGraph(c *cli.Context, fn func(*graph.Graph) error) error {
	return m.withStore(c, true, func(s *store.Store) error {
		return fn(graph.New(s))
	})
}

// note writes remarks about how the question was read to stderr.
func (m *Main) note(notes graph.Notes) {
	for _, n := range notes {
		fmt.Fprintln(m.Stderr, "rustbelt: note:", n)
	}
}

// reportError prints err to stderr; validation problems one per line.
func (m *Main) reportError(err error) {
	var problems schema.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(m.Stderr, p.Error())
		}
	}
	fmt.Fprintln(m.Stderr, "rustbelt:", summary(err))
}

// summary is err without an embedded problem list, which reportError has
// already printed line by line.
func summary(err error) string {
	var ge *fail.Error
	var problems schema.Problems
	if errors.As(err, &ge) && errors.As(ge.Err, &problems) {
		return ge.Msg
	}
	if errors.As(err, &problems) {
		return fmt.Sprintf("%d problem(s) found", len(problems))
	}
	return err.Error()
}

// Exit statuses, so that scripts can tell failures apart.
const (
	exitFailure   = 1
	exitUsage     = 2
	exitNotFound  = 3
	exitAmbiguous = 4
	exitLocked    = 5
	exitTimeout   = 6
	exitForbidden = 7
)

func exitCode(err error) int {
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	var problems schema.Problems
	if errors.As(err, &problems) {
		return exitFailure // the input, not the command line, is wrong
	}
	switch fail.CodeOf(err) {
	case fail.Invalid:
		return exitUsage
	case fail.NotFound:
		return exitNotFound
	case fail.Ambiguous:
		return exitAmbiguous
	case fail.Locked:
		return exitLocked
	case fail.Timeout:
		return exitTimeout
	case fail.Forbidden:
		return exitForbidden
	}
	return exitFailure
}
