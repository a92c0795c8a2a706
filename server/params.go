package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
)

// readParams returns r's query parameters after checking them against the
// names the endpoint takes; a name ending in "..." may repeat. A misspelt
// or repeated parameter is an Invalid error naming what was expected, not
// a filter silently dropped. Every endpoint also takes "pretty" (see
// writeJSON).
func readParams(r *http.Request, names ...string) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &fail.Error{Code: fail.Invalid, Msg: "malformed query string", Err: err}
	}
	names = append(names, "pretty")
	if _, err := boolParam(q, "pretty"); err != nil {
		return nil, err
	}
	for key, vals := range q {
		many, ok := takes(names, key)
		if !ok {
			return nil, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("unknown parameter %q; %s", key, expected(names))}
		}
		if len(vals) > 1 && !many {
			return nil, &fail.Error{Code: fail.Invalid, Msg: fmt.Sprintf("parameter %q given %d times; expected once", key, len(vals))}
		}
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
