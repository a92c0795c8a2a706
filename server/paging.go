package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
)

// Paging headers. A listing endpoint answers with the same JSON array with
// or without ?limit=, so that clients written before paging read a page as
// they read a whole list; where more rows follow, the cursor of the next
// page comes in nextHeader and in a Link header with rel="next" (RFC 8288,
// as GitHub's API pages), and totalHeader always says how many rows the
// whole list has.
const (
	nextHeader  = "X-Rustbelt-Next"
	totalHeader = "X-Rustbelt-Total"
)

// listAnswer is answer for the endpoints that list rows: they take limit
// (the most rows to answer; every row without it) and after (the cursor of
// the page before) besides names, and answer one page.
func listAnswer[T any](s *Server, names []string, fn func(r *http.Request, q url.Values, p graph.Page) (graph.Paged[T], graph.Notes, error)) http.HandlerFunc {
	names = append(slices.Clone(names), "limit", "after")
	return respond(s, names, func(w http.ResponseWriter, r *http.Request, q url.Values) ([]T, graph.Notes, error) {
		p, err := pageParams(q)
		if err != nil {
			return nil, nil, err
		}
		page, notes, err := fn(r, q, p)
		if err != nil {
			return nil, notes, err
		}
		h := w.Header()
		h.Set(totalHeader, strconv.Itoa(page.Total))
		if page.Next != "" {
			h.Set(nextHeader, page.Next)
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("after", page.Next)
			h.Set("Link", fmt.Sprintf(`<%s?%s>; rel="next"`, r.URL.EscapedPath(), next.Encode()))
		}
		return page.Rows, notes, nil
	})
}

// pageParams reads limit and after. limit=0 is refused rather than read as
// "no limit" or "no rows": leaving it out asks for every row.
func pageParams(q url.Values) (graph.Page, error) {
	limit, err := intParam(q, "limit", 0)
	if err != nil {
		return graph.Page{}, err
	}
	if q.Has("limit") && limit == 0 {
		return graph.Page{}, fail.Errorf(fail.Invalid, "parameter limit=0: expected 1 or more; leave it out for every row")
	}
	return graph.Page{Limit: limit, After: q.Get("after")}, nil
}
