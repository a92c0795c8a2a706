package server

import (
	"context"
	"net/http"
	"strings"
)

// routes registers every endpoint. It is the one place routes are added:
// write the handler, then one s.handle line here with a net/http ServeMux
// pattern ("METHOD /path/{name}"); handle adds metrics and the time limit.
func (s *Server) routes() {
	s.handle("GET /healthz", s.healthz)
	s.mux.Handle("GET /metrics", s.metrics.handler())

	// Cayley's query API, so Cayley clients work unchanged.
	s.handle("POST /api/v1/query/{lang}", s.queryV1)
	s.handle("GET /api/v2/query", s.queryV2)
	s.handle("POST /api/v2/query", s.queryV2)
	s.handle("POST /api/v2/write", s.writeV2)
	s.handle("POST /api/v2/delete", s.deleteV2)
	s.handle("POST /api/v1/write", s.writeV1)
	s.handle("POST /api/v1/delete", s.deleteV1)

	// The task endpoints: the same rows as the command line's --format json.
	s.handle("GET /api/appointments", s.appointments())
	s.handle("GET /api/policies", s.policies())
	s.handle("GET /api/investments", s.investments())
	s.handle("GET /api/indicators", s.indicators())
	s.handle("GET /api/timeline", s.timeline())
	s.handle("GET /api/careers/{id...}", s.career())
	s.handle("GET /api/holders", s.holders())
	s.handle("GET /api/flows", s.flows())
	s.handle("GET /api/entities/{id...}", s.entity())
	s.handle("GET /api/search", s.search())
	s.handle("GET /api/check", s.check())
	s.handle("GET /api/export", s.exportGraph)
	s.handle("GET /api/export/formats", s.exportFormats())
	s.handle("GET /api/", s.noEndpoint)

	s.handle("GET /", s.page())
}

// handle registers h for pattern, counted and timed in the metrics under the
// pattern's path and bounded by the query timeout, so that a slow request
// ends with a 504 instead of holding the store.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	route := pattern
	if _, path, ok := strings.Cut(pattern, " "); ok {
		route = path
	}
	bounded := func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
		defer cancel()
		h(w, r.WithContext(ctx))
	}
	s.mux.Handle(pattern, s.metrics.instrument(route, http.HandlerFunc(bounded)))
}

// healthz says the server is up, and on a PostgreSQL streaming replica how
// far the replica trails its primary, so that a load balancer or a person
// can tell a replica serving old answers from one that is current.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	body := map[string]any{
		"status":    "ok",
		"backend":   s.store.Backend(),
		"read_only": s.store.ReadOnly(),
	}
	if s.store.Replica() {
		rep, err := s.store.Replication(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		replication := map[string]any{
			"lag_seconds":  rep.Lag.Seconds(),
			"bytes_behind": rep.BytesBehind,
			"receiving":    rep.Receiving,
		}
		if !rep.LastReplayed.IsZero() {
			replication["last_replayed"] = rep.LastReplayed
		}
		body["replica"] = true
		body["replication"] = replication
	}
	s.writeJSON(w, r, http.StatusOK, body)
}

// noEndpoint answers an /api/ path that no route serves with JSON, as
// every other API answer is, instead of the page's 404. A path served for
// another method gets 405 and Allow, as the mux answers outside /api/: this
// catch-all for GET would otherwise hide that.
func (s *Server) noEndpoint(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowedMethods(r); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeJSON(w, r, http.StatusMethodNotAllowed, errorBody{
			Error: r.Method + " " + r.URL.Path + " is not served; use " + strings.Join(allow, " or "),
			Code:  "method_not_allowed",
		})
		return
	}
	s.writeJSON(w, r, http.StatusNotFound, errorBody{
		Error: "no endpoint " + r.Method + " " + r.URL.Path + "; the endpoints are listed in the README's Server section",
		Code:  "not_found",
	})
}

// allowedMethods lists the methods other than r's that a route serves r's
// path with.
func (s *Server) allowedMethods(r *http.Request) []string {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "GET /api/" && pattern != "GET /" {
			allow = append(allow, m)
		}
	}
	return allow
}
