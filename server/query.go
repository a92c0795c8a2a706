package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/store"
)

// truncatedHeader is set on a query answer whose results were cut at the
// limit; the body says "truncated": true as well.
const truncatedHeader = "X-Rustbelt-Truncated"

// limitHeader is set with truncatedHeader: the limit the results were cut at.
const limitHeader = "X-Rustbelt-Limit"

// queryV1 answers Cayley's POST /api/v1/query/{lang}?limit=N, the query text
// being the body. Unlike stock Cayley, results cut at the limit are flagged.
func (s *Server) queryV1(w http.ResponseWriter, r *http.Request) {
	q, err := readParams(r, "limit")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.runQuery(w, r, q, r.PathValue("lang"))
}

// queryV2 answers Cayley's /api/v2/query?lang=L&limit=N: the query text is
// the body of a POST or the qu parameter of a GET. Gizmo and MQL answer in
// the {"result": [...]} shape, GraphQL in {"data": {...}}, as in Cayley.
func (s *Server) queryV2(w http.ResponseWriter, r *http.Request) {
	q, err := readParams(r, "lang", "limit", "qu")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := q.Get("lang")
	if lang == "" {
		s.fail(w, r, &fail.Error{Code: fail.Invalid, Msg: "query language not given: add lang=" + strings.Join(store.Languages, ", lang=")})
		return
	}
	s.runQuery(w, r, q, lang)
}

// runQuery reads the query text, runs it with the limit and the server's
// timeout, and writes Cayley's answer shape.
func (s *Server) runQuery(w http.ResponseWriter, r *http.Request, q url.Values, lang string) {
	limit, err := intParam(q, "limit", s.cfg.QueryLimit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text := q.Get("qu")
	if r.Method == http.MethodPost {
		if text != "" {
			s.fail(w, r, &fail.Error{Code: fail.Invalid, Msg: "the query goes in the body of a POST, not in qu"})
			return
		}
		body, err := s.readBody(r)
		if err != nil {
			s.fail(w, r, fmt.Errorf("read query: %w", err))
			return
		}
		text = string(body)
	}
	if strings.TrimSpace(text) == "" {
		s.fail(w, r, &fail.Error{Code: fail.Invalid, Msg: "query is empty: send the query text as the request body"})
		return
	}
	if n := longestLine(text); lang == "graphql" && n > maxGraphQLLine {
		s.fail(w, r, fail.Errorf(fail.Invalid, "a line of %d bytes: GraphQL lines are limited to %d bytes; break the query over several lines", n, maxGraphQLLine))
		return
	}
	res, err := s.store.Query(r.Context(), text, store.QueryOptions{Lang: lang, Limit: limit, Timeout: s.cfg.QueryTimeout})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if res.Truncated {
		w.Header().Set(truncatedHeader, "true")
		w.Header().Set(limitHeader, strconv.Itoa(limit))
	}
	if lang == "graphql" {
		s.writeJSON(w, r, http.StatusOK, graphqlAnswer(res))
		return
	}
	s.writeJSON(w, r, http.StatusOK, res)
}

// maxGraphQLLine bounds the lines of a GraphQL query. Cayley's GraphQL
// parser reports a syntax error with the line it is on, padded out to the
// error's column one string concatenation at a time: time that grows with
// the square of the column, 0.8 s for a 16 KiB line and minutes for 600 KiB,
// which no time limit stops. A 2 KiB line costs milliseconds.
const maxGraphQLLine = 2 << 10

// longestLine is the length in bytes of the longest line of text, lines
// ending as the GraphQL parser ends them (\n, \r or \r\n).
func longestLine(text string) int {
	longest := 0
	for len(text) > 0 {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			i = len(text)
		}
		longest = max(longest, i)
		text = text[min(i+1, len(text)):]
	}
	return longest
}

// graphqlAnswer is a GraphQL result in the shape Cayley and every GraphQL
// server give it, {"data": {...}}; a GraphQL query has one result.
func graphqlAnswer(res *store.QueryResult) any {
	var data any
	if len(res.Result) > 0 {
		data = res.Result[0]
	}
	return struct {
		Data any `json:"data"`
	}{data}
}
