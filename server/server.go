// Package server answers HTTP requests over a store.Store: Cayley-compatible
// query endpoints, JSON task endpoints with the same rows as the command
// line, health and Prometheus metrics, and the embedded web page.
//
// Handlers only read parameters and call package graph (questions) or
// package store (queries, loads); fail.Error codes
// become HTTP statuses in one place (see statusOf).
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/store"
)

// Defaults for Config fields left zero, and the fixed server timeouts.
const (
	// DefaultMaxBodyBytes bounds a request body: a query text, never data.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultQueryLimit is the result cap the serve command starts with.
	DefaultQueryLimit = 1000
	// DefaultReadTimeout bounds reading a request, headers and body, for a
	// Config that names no ReadTimeout.
	DefaultReadTimeout = 30 * time.Second
	// ShutdownTimeout is how long Serve lets requests in flight finish
	// after its context ends, before it closes their connections.
	ShutdownTimeout = 10 * time.Second

	readHeaderTimeout = 5 * time.Second
	idleTimeout       = 2 * time.Minute
	// writeMargin is added to the query timeout for the write timeout, so a
	// query that runs to its limit still gets its 504 written.
	writeMargin = 10 * time.Second
)

// Config tunes a Server.
type Config struct {
	// Store answers every request. The server reads it and never closes it.
	Store *store.Store
	// QueryLimit caps a query's results when the request names no limit;
	// zero means no cap. Cut results are always flagged as truncated.
	QueryLimit int
	// QueryTimeout stops a query, and any other request, that runs longer;
	// zero means store.DefaultQueryTimeout.
	QueryTimeout time.Duration
	// MaxBodyBytes bounds a request body; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// ReadTimeout bounds reading a request, its body included; a body
	// still arriving then is answered 408. Zero means DefaultReadTimeout.
	ReadTimeout time.Duration
	// AllowHosts are the host names, besides the addresses Serve listens
	// on (and localhost when one of them is a loopback address), that a
	// request may give in its Host header; case and port do not matter. A
	// request under any other name, as a web page sends after rebinding its
	// own name to the server's address, is refused with 403.
	AllowHosts []string
	// CORSOrigins are the origins ("https://app.example:8443", as browsers
	// send them in the Origin header) of other sites whose pages may call
	// the server; they get CORS headers and preflight answers. Requests
	// from the pages of any other origin are refused with 403.
	CORSOrigins []string
	// Logger receives one line per request and the server's own errors; nil
	// discards them.
	Logger *slog.Logger
	// WriteToken turns on Cayley's write endpoints (POST /api/v2/write,
	// /api/v2/delete and their v1 forms) for requests that bear it as
	// "Authorization: Bearer TOKEN"; empty, they answer 403. Writes need a
	// store open for writing.
	WriteToken string
}

// Server serves one store over HTTP. Create it with New.
type Server struct {
	cfg     Config
	store   *store.Store
	graph   *graph.Graph
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *metrics
	http    *http.Server
	hosts   *hostGuard
	cors    map[string]bool // CORSOrigins, lower case
}

// New builds a server and registers its routes.
func New(cfg Config) *Server {
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = store.DefaultQueryTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &Server{
		cfg:     cfg,
		store:   cfg.Store,
		graph:   graph.New(cfg.Store),
		log:     cfg.Logger,
		mux:     http.NewServeMux(),
		metrics: newMetrics(),
		hosts:   newHostGuard(cfg.AllowHosts),
		cors:    make(map[string]bool, len(cfg.CORSOrigins)),
	}
	for _, o := range cfg.CORSOrigins {
		s.cors[strings.ToLower(strings.TrimSuffix(o, "/"))] = true
	}
	s.routes()
	s.http = &http.Server{
		Handler:           s.handler(true),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.QueryTimeout + writeMargin,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// Handler returns the server's handler: every route behind request logging,
// the origin check and the body limit. Tests can mount it on an httptest
// server. It does not check the Host header, which needs the addresses
// the server listens on: Serve does.
func (s *Server) Handler() http.Handler { return s.handler(false) }

func (s *Server) handler(checkHost bool) http.Handler {
	h := s.checkOrigin(s.limitBody(s.recoverDamage(s.mux)))
	if checkHost {
		h = s.checkHost(h)
	}
	return s.logRequests(h)
}

// Serve accepts connections on l until ctx ends, then shuts down
// gracefully: it stops accepting, lets requests in flight finish for up to
// ShutdownTimeout, and returns. A clean shutdown returns nil. Requests must
// name l's address, or a name of Config.AllowHosts, in their Host header.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	s.hosts.listen(l.Addr())
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(l) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", l.Addr(), err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := s.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Shutdown stops the server gracefully, as http.Server.Shutdown does; when
// ctx ends first it closes the remaining connections and says how it ended.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.http.Shutdown(ctx); err != nil {
		s.http.Close()
		return fmt.Errorf("shutdown: requests still running were cut off: %w", err)
	}
	return nil
}
