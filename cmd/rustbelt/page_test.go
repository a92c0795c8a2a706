package main

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
)

var nextNote = regexp.MustCompile(`rustbelt: note: (\d+) of (\d+) rows shown; the next page: --after (\S+)\n`)

// TestListingsPage walks every listing command page by page with --limit
// and the --after that stderr gives, on every backend (a memory: store is
// a new one each run, with the same rows: a cursor is good across
// processes): the pages put together are what the command prints without
// a limit, and that whole list comes with no note.
func TestListingsPage(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			db := b.Addr(t)
			for _, args := range [][]string{
				{"appointments", "--to", "Northeast"},
				{"policies", "--place", "Harbin", "--inside"},
				{"investments"},
				{"indicators", "--place", "Liaoning"},
				{"indicators", "--list"},
				{"timeline", "--place", "Jilin"},
				{"sources"},
			} {
				base := append([]string{"--db", db}, args...)
				base = append(base, "--format", "json")
				whole := run(t, "", base...)
				if whole.code != 0 || strings.Contains(whole.stderr, "next page") {
					t.Fatalf("%v: exit %d, stderr %q", args, whole.code, whole.stderr)
				}
				var want []json.RawMessage
				if err := json.Unmarshal([]byte(whole.stdout), &want); err != nil || len(want) == 0 {
					t.Fatalf("%v: %d rows, %v", args, len(want), err)
				}
				// About three pages each: a run on PostgreSQL costs a second.
				limit := strconv.Itoa(max(1, (len(want)+2)/3))
				var got []json.RawMessage
				after := ""
				for page := 0; ; page++ {
					if page > len(want) {
						t.Fatalf("%v: more pages than rows", args)
					}
					pageArgs := append(append([]string{}, base...), "--limit", limit)
					if after != "" {
						pageArgs = append(pageArgs, "--after", after)
					}
					r := run(t, "", pageArgs...)
					if r.code != 0 {
						t.Fatalf("%v: exit %d: %s", pageArgs, r.code, r.stderr)
					}
					var rows []json.RawMessage
					if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
						t.Fatalf("%v: stdout is not the JSON array of rows: %v\n%s", pageArgs, err, r.stdout)
					}
					got = append(got, rows...)
					m := nextNote.FindStringSubmatch(r.stderr)
					if m == nil {
						if strings.Contains(r.stderr, "next page") {
							t.Fatalf("%v: a next page note of another form: %q", pageArgs, r.stderr)
						}
						break
					}
					if m[1] != strconv.Itoa(len(rows)) || m[2] != strconv.Itoa(len(want)) {
						t.Errorf("%v: note says %s of %s rows, got %d of %d", pageArgs, m[1], m[2], len(rows), len(want))
					}
					after = m[3]
				}
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Errorf("%v: the pages differ from the whole list\n got: %.800s\nwant: %.800s", args, g, w)
				}
			}
		})
	}
}

// TestBadPagesAreUsageErrors: a limit below 1, an empty cursor or one that
// is not a cursor exit 2 with what was expected.
func TestBadPagesAreUsageErrors(t *testing.T) {
	db := testDB(t)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"appointments", "--limit", "0"}, "--limit 0: expected 1 or more"},
		{[]string{"sources", "--limit", "-2"}, "--limit -2: expected 1 or more"},
		{[]string{"timeline", "--place", "Jilin", "--after", ""}, "--after is empty"},
		{[]string{"policies", "--place", "Harbin", "--after", "bm90IGEgY3Vyc29y"}, "malformed cursor"},
	} {
		r := run(t, "", append([]string{"--db", db}, c.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, r.code, r.stderr, exitUsage, c.msg)
		}
	}
}
