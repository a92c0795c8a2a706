package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/server"
	"github.com/rustbelt/rustbelt/store"
)

// listEndpoints are the endpoints that list rows, each with a question
// that has rows over the bundled dataset (several, but for investments).
var listEndpoints = []string{
	"/api/appointments?to=Northeast",
	"/api/policies?place=Harbin&inside=true",
	"/api/investments",
	"/api/indicators?place=Liaoning&place=Jilin",
	"/api/timeline?place=Jilin",
}

var linkNext = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// TestPagesOverHTTP walks every listing endpoint page by page, following
// the Link header and the X-Rustbelt-Next cursor in turn, on every backend:
// the pages put together are the answer without a limit, which comes whole,
// as it did before paging, and every page says how many rows the list has.
func TestPagesOverHTTP(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		do := handlerSend(server.New(server.Config{Store: s}).Handler())
		for _, endpoint := range listEndpoints {
			whole := do(t, http.MethodGet, endpoint, nil)
			if whole.status != http.StatusOK {
				t.Fatalf("%s: %d %s", endpoint, whole.status, whole.body)
			}
			var want []json.RawMessage
			whole.decode(t, &want)
			if len(want) == 0 {
				t.Fatalf("%s: no rows to page", endpoint)
			}
			if h := whole.header.Get("X-Rustbelt-Next") + whole.header.Get("Link"); h != "" {
				t.Errorf("%s: a whole list says more rows follow: %q", endpoint, h)
			}
			for _, limit := range []int{1, 2, len(want)} {
				var got []json.RawMessage
				target := endpoint + "&limit=" + strconv.Itoa(limit)
				if u, _ := url.Parse(endpoint); u.RawQuery == "" {
					target = endpoint + "?limit=" + strconv.Itoa(limit)
				}
				for page := 0; target != ""; page++ {
					if page > len(want) {
						t.Fatalf("%s: more pages than rows", endpoint)
					}
					r := do(t, http.MethodGet, target, nil)
					if r.status != http.StatusOK {
						t.Fatalf("%s: %d %s", target, r.status, r.body)
					}
					var rows []json.RawMessage
					r.decode(t, &rows)
					got = append(got, rows...)
					if total := r.header.Get("X-Rustbelt-Total"); total != strconv.Itoa(len(want)) {
						t.Errorf("%s: X-Rustbelt-Total %q, want %d", target, total, len(want))
					}
					next, link := r.header.Get("X-Rustbelt-Next"), r.header.Get("Link")
					if (next == "") != (link == "") {
						t.Fatalf("%s: X-Rustbelt-Next %q but Link %q", target, next, link)
					}
					target = ""
					if next == "" {
						continue
					}
					m := linkNext.FindStringSubmatch(link)
					if m == nil {
						t.Fatalf("%s: Link %q is not one rel=next link", target, link)
					}
					if page%2 == 0 {
						target = m[1]
					} else {
						u, _ := url.Parse(endpoint)
						q := u.Query()
						q.Set("limit", strconv.Itoa(limit))
						q.Set("after", next)
						target = u.Path + "?" + q.Encode()
					}
				}
				if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
					t.Errorf("%s, limit %d: the pages differ from the whole list\n got: %.800s\nwant: %.800s", endpoint, limit, g, w)
				}
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBadPages: limits and cursors that are not ones are 400s that say
// what was expected.
func TestBadPages(t *testing.T) {
	do := handlerSend(server.New(server.Config{Store: openStore(t)}).Handler())
	policies := do(t, http.MethodGet, "/api/policies?place=Harbin&limit=1", nil)
	otherList := policies.header.Get("X-Rustbelt-Next")
	if otherList == "" {
		t.Fatal("no next cursor for the first policy of Harbin")
	}
	for _, c := range []struct{ target, msg string }{
		{"/api/appointments?limit=0", "limit=0: expected 1 or more"},
		{"/api/appointments?limit=-1", "expected a whole number"},
		{"/api/appointments?limit=ten", "expected a whole number"},
		{"/api/appointments?limit=", "is empty"},
		{"/api/appointments?after=", "is empty"},
		{"/api/appointments?limit=1&limit=2", "given 2 times"},
		{"/api/appointments?after=not-a-cursor", "malformed cursor"},
		{"/api/appointments?after=" + otherList, "malformed cursor"},
		{"/api/timeline?place=Jilin&after=%E2%9C%93", "malformed cursor"},
	} {
		t.Run(c.target, func(t *testing.T) {
			wantError("invalid", c.msg)(t, do(t, http.MethodGet, c.target, nil))
		})
	}
}
