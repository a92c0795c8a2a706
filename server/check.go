package server

import (
	"net/http"
	"net/url"

	"github.com/rustbelt/rustbelt/graph"
)

// check answers GET /api/check: the findings of `rustbelt check`, errors
// first. Findings are the answer, so the status is 200 whatever they say.
func (s *Server) check() http.HandlerFunc {
	return answer(s, nil, func(r *http.Request, _ url.Values) ([]graph.Finding, graph.Notes, error) {
		findings, err := s.graph.Check(r.Context())
		return findings, nil, err
	})
}
