package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/queries"
	"github.com/rustbelt/rustbelt/store"
)

func queryCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:      "query",
		Usage:     "run a Gizmo query: inline, from a .js file, or one of the named queries",
		ArgsUsage: "[NAME | FILE.js | -]",
		UsageText: "rustbelt query -e 'EXPR' | NAME | FILE.js | - [--param key=value]... [--limit N] [--timeout D]\n\n" +
			"Examples:\n" +
			"   rustbelt query -e 'g.V().Has(\"<http://schema.org/name>\", \"Cao Lubao\").Out().All()'\n" +
			"   rustbelt query appointments-to --param place=Jilin\n" +
			"   rustbelt query --list",
		Description: "Parameters reach the query as the object `params` (params.place), as data: they are never\n" +
			"pasted into the query text. Output is Cayley's JSON shape, {\"result\": [...]}; when --limit\n" +
			"cuts the results the output says \"truncated\": true.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "e", Aliases: []string{"exec"}, Usage: "the query `TEXT`"},
			&cli.GenericFlag{Name: "param", Value: &paramFlag{}, Usage: "`KEY=VALUE` for params.KEY (repeatable)"},
			&cli.IntFlag{Name: "limit", Value: 1000, Usage: "at most `N` results; 0 for no limit"},
			&cli.DurationFlag{Name: "timeout", Value: store.DefaultQueryTimeout, Usage: "stop a query that runs longer than `D`"},
			&cli.StringFlag{Name: "lang", Value: "gizmo", Usage: "query language: " + strings.Join(store.Languages, ", ")},
			&cli.BoolFlag{Name: "list", Usage: "list the named queries"},
			formatFlag,
		},
		Action: func(c *cli.Context) error {
			if c.Bool("list") {
				return m.render(c, queries.List())
			}
			text, err := m.queryText(c)
			if err != nil {
				return err
			}
			params, err := parseParams(*c.Generic("param").(*paramFlag))
			if err != nil {
				return err
			}
			return m.withStore(c, true, func(s *store.Store) error {
				res, err := s.Query(c.Context, text, store.QueryOptions{
					Lang: c.String("lang"), Limit: c.Int("limit"), Timeout: c.Duration("timeout"), Params: params,
				})
				if err != nil {
					return err
				}
				if res.Truncated {
					fmt.Fprintf(m.Stderr, "rustbelt: note: results cut at %d; raise --limit for more\n", c.Int("limit"))
				}
				return writeJSON(m.Stdout, res)
			})
		},
	}
}

// queryText finds the query: -e, a file, a named query, or stdin for "-".
func (m *Main) queryText(c *cli.Context) (string, error) {
	expr := c.String("e")
	switch {
	case expr != "" && c.NArg() > 0:
		return "", usageError{errors.New("give either -e or a query name or file, not both")}
	case expr != "":
		return expr, nil
	case c.NArg() != 1:
		return "", usageError{errors.New("query needs -e 'EXPR', a .js file, '-' or a named query (see query --list)")}
	}
	arg := c.Args().First()
	if arg == "-" {
		b, err := io.ReadAll(m.Stdin)
		return string(b), err
	}
	if b, err := os.ReadFile(arg); err == nil {
		return string(b), nil
	} else if strings.HasSuffix(arg, ".js") {
		return "", fmt.Errorf("read query: %w", err)
	}
	q, err := queries.Get(arg)
	if err != nil {
		return "", &fail.Error{Code: fail.NotFound, Msg: err.Error()}
	}
	return q.Text, nil
}

// paramFlag collects repeated --param flags whole: a string slice flag
// would split "place=Jilin, China" at the comma.
type paramFlag []string

func (p *paramFlag) Set(kv string) error {
	*p = append(*p, kv)
	return nil
}

func (p *paramFlag) String() string { return strings.Join(*p, " ") }

// parseParams reads repeated key=value flags.
func parseParams(list []string) (map[string]string, error) {
	params := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageError{fmt.Errorf("--param %q: expected KEY=VALUE", kv)}
		}
		params[k] = v
	}
	return params, nil
}
