package server

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
)

// readParams returns r's query parameters after checking them against the
// names the endpoint takes; a name ending in "..." may repeat. A misspelt,
// repeated or empty parameter is an Invalid error naming what was
// expected, not a filter silently dropped: an empty value (to=, as a form
// sends for a blank field) is never read as "any", on any endpoint, so
// that a client that lost a value hears so instead of getting every row.
// Every endpoint also takes "pretty" (see writeJSON).
func readParams(r *http.Request, names ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &fail.Error{Code: fail.Invalid, Msg: "malformed query string", Err: err}
	}
	// Clipped: names may be an endpoint's own slice, shared by every
	// request, and appending must not write into its spare capacity.
	names = append(slices.Clip(names), "pretty")
	// Sorted, so that of several bad parameters the same one is named
	// every time.
	for _, key := range slices.Sorted(maps.Keys(q)) {
		vals := q[key]
		many, ok := takes(names, key)
		if !ok {
			return nil, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("unknown parameter %q; %s", key, expected(names))}
		}
		if len(vals) > 1 && !many {
			return nil, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("parameter %q given %d times; expected once", key, len(vals))}
		}
		if slices.Contains(vals, "") {
			return nil, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("parameter %q is empty: give it a value or leave it out (an empty name or value never means \"any\")", key)}
		}
	}
	if _, err := boolParam(q, "pretty"); err != nil {
		return nil, err
	}
	return q, nil
}

// takes reports whether names has key, and whether key may repeat.
func takes(names []string, key string) (many, ok bool) {
	for _, n := range names {
		if base, rep := strings.CutSuffix(n, "..."); base == key {
			return rep, true
		}
	}
	return false, false
}

func expected(names []string) string {
	if len(names) == 1 { // pretty alone
		return "this endpoint takes only pretty"
	}
	list := make([]string, len(names))
	for i, n := range names {
		list[i], _ = strings.CutSuffix(n, "...")
	}
	return "this endpoint takes " + strings.Join(list, ", ")
}

// intParam reads a non-negative integer parameter, or def when absent.
func intParam(q url.Values, name string, def int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("parameter %s=%q: expected a whole number, 0 or more", name, v)}
	}
	return n, nil
}

// boolParam reads a true/false parameter; absent is false.
func boolParam(q url.Values, name string) (bool, error) {
	v := q.Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("parameter %s=%q: expected true or false", name, v)}
	}
	return b, nil
}

// dateRange reads the since and until parameters every dated listing takes.
func dateRange(q url.Values) graph.DateRange {
	return graph.DateRange{Since: q.Get("since"), Until: q.Get("until")}
}

// errSlowBody marks a request body that did not arrive within the server's
// read timeout: the client's doing, answered 408, not a failure of the
// server.
var errSlowBody = errors.New("the request body did not arrive in time")

// readBody reads r's body within the body limit (an *http.MaxBytesError
// past it) and the read timeout (errSlowBody past it). A body the client
// cut short is Invalid.
func (s *Server) readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return b, nil
	case errors.As(err, &tooBig):
		return nil, err
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, fmt.Errorf("%w: send it within %s (%d bytes came)", errSlowBody, s.cfg.ReadTimeout, len(b))
	}
	return nil, &fail.Error{Code: fail.Invalid, Msg: "the request body was cut short", Err: err}
}
