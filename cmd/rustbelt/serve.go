package main

import (
	"fmt"
	"log/slog"
	"net"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/server"
	"github.com/rustbelt/rustbelt/store"
)

// defaultAddr is Cayley's port, on loopback: the server is reachable from
// other machines only when the user names another address.
const defaultAddr = "127.0.0.1:64210"

func serveCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "HTTP server: Cayley's query API, the task endpoints as JSON, and a web page to explore the graph",
		UsageText: "rustbelt serve [--addr HOST:PORT] [--limit N] [--timeout D] [--max-body BYTES] [--writable [--token-file FILE]]\n\n" +
			"Examples:\n" +
			"   rustbelt serve\n" +
			"   curl -s -XPOST localhost:64210/api/v1/query/gizmo -d 'g.V().Has(\"<http://schema.org/name>\",\"Cao Lubao\").Out().All()'\n" +
			"   curl 'localhost:64210/api/appointments?to=Jilin'",
		Description: "The store is opened read-only, so read commands keep working beside the server; with\n" +
			"--writable it is opened for writing, and Cayley's write endpoints take requests that send\n" +
			"the token as Authorization: Bearer TOKEN (without --writable they answer 403).\n" +
			"Open http://127.0.0.1:64210/ for the page. Endpoints: /api/v1/query/gizmo and\n" +
			"/api/v2/query?lang=gizmo (Cayley's), /api/appointments, /api/policies, /api/investments,\n" +
			"/api/indicators, /api/timeline, /api/entities/ID, /api/search?q=, /api/export, /healthz,\n" +
			"/metrics. SIGINT or SIGTERM stops it after the requests in flight finish.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: defaultAddr, Usage: "listen on `HOST:PORT`"},
			&cli.IntFlag{Name: "limit", Value: server.DefaultQueryLimit, Usage: "at most `N` query results unless a request gives ?limit=; 0 for no limit"},
			&cli.DurationFlag{Name: "timeout", Value: store.DefaultQueryTimeout, Usage: "stop a query or request that runs longer than `D`"},
			&cli.Int64Flag{Name: "max-body", Value: server.DefaultMaxBodyBytes, Usage: "refuse request bodies over `BYTES`"},
			&cli.BoolFlag{Name: "writable", Usage: "open the store for writing and take Cayley's writes (POST /api/v2/write, /api/v2/delete) that bear the token"},
			&cli.StringFlag{Name: "token-file", Usage: "with --writable, the write token is in `FILE` (default: a new one, printed once on stderr)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("serve takes no arguments, got %q", c.Args().First())}
			}
			if c.Int("limit") < 0 || c.Duration("timeout") < 0 || c.Int64("max-body") <= 0 {
				return usageError{fmt.Errorf("--limit and --timeout must not be negative, --max-body must be positive")}
			}
			writable := c.Bool("writable")
			if c.String("token-file") != "" && !writable {
				return usageError{fmt.Errorf("--token-file needs --writable")}
			}
			token := ""
			if writable {
				var err error
				if token, err = writeToken(c.String("token-file"), m.Stderr); err != nil {
					return err
				}
			}
			return m.withStore(c, !writable, func(s *store.Store) error {
				l, err := net.Listen("tcp", c.String("addr"))
				if err != nil {
					return fmt.Errorf("serve: %w", err)
				}
				log := slog.New(slog.NewTextHandler(m.Stderr, nil))
				srv := server.New(server.Config{
					Store:        s,
					QueryLimit:   c.Int("limit"),
					QueryTimeout: c.Duration("timeout"),
					MaxBodyBytes: c.Int64("max-body"),
					Logger:       log,
					WriteToken:   token,
				})
				log.Info("serving", "url", "http://"+l.Addr().String()+"/", "store", s.Addr(), "read_only", s.ReadOnly())
				return srv.Serve(c.Context, l)
			})
		},
	}
}
