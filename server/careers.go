package server

import (
	"net/http"
	"net/url"

	"github.com/rustbelt/rustbelt/graph"
)

// career answers GET /api/careers/{id...}: `rustbelt career --format json`
// for an id (person/cao-lubao) or any name the resolver takes.
func (s *Server) career() http.HandlerFunc {
	return answer(s, nil, func(r *http.Request, _ url.Values) (*graph.Career, graph.Notes, error) {
		return s.graph.Career(r.Context(), r.PathValue("id"))
	})
}

// holders answers GET /api/holders?post=&place=&on=: `rustbelt holders`.
func (s *Server) holders() http.HandlerFunc {
	return answer(s, []string{"post", "place", "on"}, func(r *http.Request, q url.Values) ([]graph.Tenure, graph.Notes, error) {
		return s.graph.Holders(r.Context(), graph.HolderFilter{Post: q.Get("post"), Place: q.Get("place"), On: q.Get("on")})
	})
}

// flows answers GET /api/flows?level=&from=&to=&since=&until=: `rustbelt
// flows --format json`.
func (s *Server) flows() http.HandlerFunc {
	return answer(s, []string{"level", "from", "to", "since", "until"}, func(r *http.Request, q url.Values) (*graph.Flows, graph.Notes, error) {
		return s.graph.Flows(r.Context(), graph.FlowFilter{Level: q.Get("level"), From: q.Get("from"), To: q.Get("to"), DateRange: dateRange(q)})
	})
}
