package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
)

// answer makes a handler that checks the query parameters against names,
// calls fn and writes its result as JSON, with fn's notes as headers. Every
// task endpoint is one answer around one graph call.
func answer[T any](s *Server, names []string, fn func(r *http.Request, q url.Values) (T, graph.Notes, error)) http.HandlerFunc {
	return respond(s, names, func(_ http.ResponseWriter, r *http.Request, q url.Values) (T, graph.Notes, error) {
		return fn(r, q)
	})
}

// respond is answer for a fn that sets headers of its own (see listAnswer).
func respond[T any](s *Server, names []string, fn func(w http.ResponseWriter, r *http.Request, q url.Values) (T, graph.Notes, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := readParams(r, names...)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v, notes, err := fn(w, r, q)
		writeNotes(w, notes)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.writeJSON(w, r, http.StatusOK, v)
	}
}

// appointments answers GET /api/appointments?from=&to=&person=&since=&until=&limit=&after=.
func (s *Server) appointments() http.HandlerFunc {
	return listAnswer(s, []string{"from", "to", "person", "since", "until"},
		func(r *http.Request, q url.Values, p graph.Page) (graph.Paged[graph.Appointment], graph.Notes, error) {
			return s.graph.AppointmentsPage(r.Context(), graph.AppointmentFilter{
				From: q.Get("from"), To: q.Get("to"), Person: q.Get("person"), DateRange: dateRange(q),
			}, p)
		})
}

// policies answers GET /api/policies?place=&inside=&since=&until=&limit=&after=.
func (s *Server) policies() http.HandlerFunc {
	return listAnswer(s, []string{"place", "inside", "since", "until"},
		func(r *http.Request, q url.Values, p graph.Page) (graph.Paged[graph.PolicyHit], graph.Notes, error) {
			inside, err := boolParam(q, "inside")
			if err != nil {
				return graph.Paged[graph.PolicyHit]{}, nil, err
			}
			return s.graph.PoliciesPage(r.Context(), graph.PolicyFilter{Place: q.Get("place"), Inside: inside, DateRange: dateRange(q)}, p)
		})
}

// investments answers GET /api/investments?company=&place=&since=&until=&limit=&after=.
func (s *Server) investments() http.HandlerFunc {
	return listAnswer(s, []string{"company", "place", "since", "until"},
		func(r *http.Request, q url.Values, p graph.Page) (graph.Paged[graph.Investment], graph.Notes, error) {
			return s.graph.InvestmentsPage(r.Context(), graph.InvestmentFilter{Company: q.Get("company"), Place: q.Get("place"), DateRange: dateRange(q)}, p)
		})
}

// indicators answers GET /api/indicators?place=&place=&indicator=&period=&limit=&after=.
func (s *Server) indicators() http.HandlerFunc {
	return listAnswer(s, []string{"place...", "indicator", "period"},
		func(r *http.Request, q url.Values, p graph.Page) (graph.Paged[graph.Observation], graph.Notes, error) {
			return s.graph.IndicatorsPage(r.Context(), graph.IndicatorFilter{Places: q["place"], Indicator: q.Get("indicator"), Period: q.Get("period")}, p)
		})
}

// timeline answers GET /api/timeline?place=&limit=&after=.
func (s *Server) timeline() http.HandlerFunc {
	return listAnswer(s, []string{"place"},
		func(r *http.Request, q url.Values, p graph.Page) (graph.Paged[graph.Entry], graph.Notes, error) {
			return s.graph.TimelinePage(r.Context(), q.Get("place"), p)
		})
}

// entity answers GET /api/entities/{id...}: the card of `rustbelt show`,
// for an id (place/jilin) or any name the resolver takes.
func (s *Server) entity() http.HandlerFunc {
	return answer(s, nil, func(r *http.Request, _ url.Values) (*graph.Card, graph.Notes, error) {
		return s.graph.Card(r.Context(), r.PathValue("id"))
	})
}

// searchLimit caps the suggestions of one search.
const searchLimit = 50

// searchResult answers /api/search: the entity the name resolves to, if
// one does, and the other entities a user may have meant.
type searchResult struct {
	Query      string            `json:"query"`
	Match      *graph.Resolution `json:"match,omitempty"`
	Candidates []graph.Entity    `json:"candidates"`
}

// search answers GET /api/search?q=&limit= for search boxes: the resolver's
// answer for q plus the names that start with or contain it. A name that
// fits several entities, or only begins a name, is an answer (200) with
// candidates and no match; a name that fits nothing is a 404 whose
// candidates are the closest names, as everywhere else.
func (s *Server) search() http.HandlerFunc {
	return answer(s, []string{"q", "limit"}, func(r *http.Request, q url.Values) (*searchResult, graph.Notes, error) {
		limit, err := intParam(q, "limit", 10)
		if err != nil {
			return nil, nil, err
		}
		limit = min(max(limit, 1), searchLimit)
		return s.resolveSearch(r.Context(), q.Get("q"), limit)
	})
}

func (s *Server) resolveSearch(ctx context.Context, name string, limit int) (*searchResult, graph.Notes, error) {
	match, rerr := s.graph.Resolve(ctx, name)
	var ge *fail.Error
	if rerr != nil && (!errors.As(rerr, &ge) || ge.Code != fail.Ambiguous && ge.Code != fail.NotFound) {
		return nil, nil, rerr
	}
	suggested, err := s.graph.Suggest(ctx, name, limit)
	if err != nil {
		return nil, nil, err
	}
	res := &searchResult{Query: name}
	var found []graph.Entity
	switch {
	case rerr == nil:
		res.Match = &match
		found = suggested
	case ge.Code == fail.Ambiguous:
		found = append(slices.Clone(ge.Candidates), suggested...)
	case len(suggested) == 0:
		return nil, nil, rerr
	default:
		found = append(suggested, ge.Candidates...) // what q begins, then the closest names
	}
	res.Candidates = make([]graph.Entity, 0, len(found))
	for _, e := range found {
		if len(res.Candidates) < limit && (res.Match == nil || e.ID != res.Match.ID) &&
			!slices.ContainsFunc(res.Candidates, func(c graph.Entity) bool { return c.ID == e.ID }) {
			res.Candidates = append(res.Candidates, e)
		}
	}
	return res, nil, nil
}
