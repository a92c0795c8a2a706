package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"

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
		UsageText: "rustbelt serve [--addr HOST:PORT] [--limit N] [--timeout D] [--max-body BYTES] [--writable [--token-file FILE]]\n" +
			"              [--allow-host HOST]... [--cors ORIGIN]...\n\n" +
			"Examples:\n" +
			"   rustbelt serve\n" +
			"   curl -s -XPOST localhost:64210/api/v1/query/gizmo -d 'g.V().Has(\"<http://schema.org/name>\",\"Cao Lubao\").Out().All()'\n" +
			"   curl 'localhost:64210/api/appointments?to=Jilin'",
		Description: "The store is opened read-only, so read commands keep working beside the server; with\n" +
			"--writable it is opened for writing, and Cayley's write endpoints take requests that send\n" +
			"the token as Authorization: Bearer TOKEN (without --writable they answer 403).\n" +
			"Open http://127.0.0.1:64210/ for the page. Endpoints: /api/v1/query/gizmo and\n" +
			"/api/v2/query?lang=gizmo (Cayley's), /api/appointments, /api/policies, /api/investments,\n" +
			"/api/indicators, /api/timeline, /api/careers/ID, /api/holders, /api/flows, /api/entities/ID,\n" +
			"/api/search?q=, /api/export, /api/check, /healthz, /metrics. SIGINT or SIGTERM stops it\n" +
			"after the requests in flight finish.\n\n" +
			"On a PostgreSQL streaming replica (--db postgres://…replica…) it answers reads, refuses\n" +
			"writes, and /healthz reports how far the replica trails its primary.\n\n" +
			"Requests must name the server by the address it listens on (or localhost, for a loopback\n" +
			"address) or by an --allow-host name, and the pages of other sites may not call it unless\n" +
			"--cors names their origin: otherwise any web page could make the browser run queries here.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: defaultAddr, Usage: "listen on `HOST:PORT`"},
			&cli.IntFlag{Name: "limit", Value: server.DefaultQueryLimit, Usage: "at most `N` query results unless a request gives ?limit=; 0 for no limit"},
			&cli.DurationFlag{Name: "timeout", Value: store.DefaultQueryTimeout, Usage: "stop a query or request that runs longer than `D`"},
			&cli.Int64Flag{Name: "max-body", Value: server.DefaultMaxBodyBytes, Usage: "refuse request bodies over `BYTES`"},
			&cli.BoolFlag{Name: "writable", Usage: "open the store for writing and take Cayley's writes (POST /api/v2/write, /api/v2/delete) that bear the token"},
			&cli.StringFlag{Name: "token-file", Usage: "with --writable, the write token is in `FILE` (default: a new one, printed once on stderr)"},
			&cli.StringSliceFlag{Name: "allow-host", Usage: "also answer requests that name the server `HOST`, as through a proxy or a name in /etc/hosts; repeat for several"},
			&cli.StringSliceFlag{Name: "cors", Usage: "let the pages of `ORIGIN` (scheme://host[:port]) call the server from the browser; repeat for several"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageError{fmt.Errorf("serve takes no arguments, got %q", c.Args().First())}
			}
			if c.Int("limit") < 0 || c.Duration("timeout") < 0 || c.Int64("max-body") <= 0 {
				return usageError{fmt.Errorf("--limit and --timeout must not be negative, --max-body must be positive")}
			}
			hosts, origins, err := webFlags(c)
			if err != nil {
				return err
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
					AllowHosts:   hosts,
					CORSOrigins:  origins,
				})
				log.Info("serving", "url", "http://"+l.Addr().String()+"/", "store", s.Addr(), "read_only", s.ReadOnly(), "replica", s.Replica())
				return srv.Serve(c.Context, l)
			})
		},
	}
}

// webFlags reads --allow-host and --cors. The host of --addr, when it is a
// name rather than an address, is allowed too: the server is reached by it.
func webFlags(c *cli.Context) (hosts, origins []string, err error) {
	for _, h := range c.StringSlice("allow-host") {
		if h == "" || strings.ContainsAny(h, "/@ ") {
			return nil, nil, usageError{fmt.Errorf("--allow-host %q: expected a host name such as rustbelt.example", h)}
		}
		hosts = append(hosts, h)
	}
	if host, _, err := net.SplitHostPort(c.String("addr")); err == nil && host != "" {
		if _, err := netip.ParseAddr(host); err != nil {
			hosts = append(hosts, host)
		}
	}
	for _, o := range c.StringSlice("cors") {
		origin, err := parseOrigin(o)
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("--cors %q: %w", o, err)}
		}
		origins = append(origins, origin)
	}
	return hosts, origins, nil
}

// parseOrigin reads a web origin as browsers send it in the Origin header:
// scheme://host[:port], lower case, without path.
func parseOrigin(s string) (string, error) {
	if s == "*" {
		return "", fmt.Errorf("expected an origin such as https://app.example: a wildcard would let every web page call the server")
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil ||
		u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("expected an origin such as https://app.example or http://localhost:3000")
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
