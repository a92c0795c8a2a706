package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
)

// newArticle is what a new user writes for an article of their own: names
// only, one new place inside a province the store has, one appointment to
// a city it has.
const newArticle = `source:
  title: Coastal officials head north
  publisher: Example Daily
  date: 2025-01-15
people:
  - name: Wang Lei
    job_title: Deputy mayor of Changchun
places:
  - name: Tonghua
    kind: city
    in: {name: Jilin, kind: province}
appointments:
  - person: Wang Lei
    from_post: Deputy mayor of Tonghua
    from_place: Tonghua
    to_post: Deputy mayor of Changchun
    to_place: Changchun
    date: 2024-11
    kind: temporary (guazhi)
`

// addStores are the stores the command-line tests of add run on: a bolt
// file and, when the tests have a server, a PostgreSQL database (a memory
// store lasts one command).
func addStores(t *testing.T) map[string]string {
	stores := map[string]string{"bolt": testDB(t)}
	if os.Getenv(storetest.PostgresEnv) != "" {
		stores["postgres"] = storetest.FreshPostgres(t)
	}
	return stores
}

func TestANewUserAddsAnArticleAndSeesItEverywhere(t *testing.T) {
	for name, db := range addStores(t) {
		t.Run(name, func(t *testing.T) {
			file := write(t, "coastal.yaml", newArticle)
			r := run(t, "", "--db", db, "add", file)
			for _, want := range []string{
				file + `: source/coastal-officials-head-north "Coastal officials head north" (new source)`,
				`new      place/tonghua "Tonghua" (Place)`,
				`new      person/wang-lei "Wang Lei" (Person)`,
				`linked   "Changchun" → place/changchun (Place)`,
				`linked   "Jilin" → place/jilin (Place)`,
				"records  appointments: 1",
				"added 1 sheet(s): 27 quads added, 0 removed, 0 unchanged",
			} {
				if r.code != 0 || !strings.Contains(r.stdout, want) {
					t.Fatalf("add: exit %d, stdout lacks %q:\n%s%s", r.code, want, r.stdout, r.stderr)
				}
			}
			for _, check := range []struct {
				args []string
				want string
			}{
				{[]string{"appointments", "--to", "Changchun", "--format", "json"}, `"from_place": "Tonghua"`},
				{[]string{"appointments", "--from", "Jilin", "--format", "json"}, `"person": "Wang Lei"`},
				{[]string{"show", "Wang Lei", "--format", "json"}, `Wang Lei: Deputy mayor of Tonghua (Tonghua) → Deputy mayor of Changchun (Changchun), temporary (guazhi)`},
				{[]string{"show", "Tonghua", "--format", "json"}, `"value_id": "place/jilin"`},
				{[]string{"export", "--center", "Wang Lei", "--format", "graphml"}, ">Tonghua<"},
				{[]string{"sources", "--format", "csv"}, "source/coastal-officials-head-north,Example Daily,2025-01-15,Coastal officials head north,false,,,,27"},
			} {
				if r := run(t, "", append([]string{"--db", db}, check.args...)...); r.code != 0 || !strings.Contains(r.stdout, check.want) {
					t.Errorf("%v: exit %d, output lacks %q:\n%s%s", check.args, r.code, check.want, r.stdout, r.stderr)
				}
			}

			r = run(t, "", "--db", db, "add", file)
			if r.code != 0 || !strings.Contains(r.stdout, "(replaces the store's version)") || !strings.Contains(r.stdout, "added 1 sheet(s): 0 quads added, 0 removed, 27 unchanged") {
				t.Errorf("adding it again: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}

			edited := write(t, "coastal.yaml", strings.Replace(newArticle, "date: 2024-11", "date: 2024-12", 1))
			before := storeQuads(t, db)
			r = run(t, "", "--db", db, "add", "--dry-run", edited)
			if r.code != 0 || !strings.Contains(r.stdout, "quads    1 added, 1 removed, 26 unchanged") || !strings.HasSuffix(r.stdout, "dry run: nothing was written\n") || storeQuads(t, db) != before {
				t.Errorf("dry run: exit %d, %d quads then %d\n%s%s", r.code, before, storeQuads(t, db), r.stdout, r.stderr)
			}
			r = run(t, "", "--db", db, "add", edited)
			if r.code != 0 || !strings.Contains(r.stdout, "added 1 sheet(s): 1 quads added, 1 removed, 26 unchanged") {
				t.Errorf("the edited sheet: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			r = run(t, "", "--db", db, "appointments", "--person", "Wang Lei", "--format", "csv")
			if !strings.Contains(r.stdout, ",2024-12,") || strings.Contains(r.stdout, ",2024-11,") {
				t.Errorf("after the correction, Wang Lei's appointment reads:\n%s", r.stdout)
			}
			// The graph with the new article is as clean as the bundled
			// one: nothing but the facts the bundled sheets mark inferred.
			r = run(t, "", "--db", db, "check", "--format", "csv")
			if r.code != 0 || !strings.Contains(r.stdout, "info,inferred,") || strings.Contains(r.stdout, "\nerror,") || strings.Contains(r.stdout, "\nwarning,") ||
				!strings.Contains(r.stderr, "check: 0 errors, 0 warnings") {
				t.Errorf("check after adding the article: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestAMisspeltPlaceStopsEverySheetWithItsPosition(t *testing.T) {
	db := testDB(t)
	before := storeQuads(t, db)
	good := write(t, "good.yaml", newArticle)
	bad := write(t, "bad.yaml", strings.Replace(strings.Replace(newArticle, "to_place: Changchun", "to_place: Changchn", 1), "Coastal officials", "Other officials", 1))
	r := run(t, "", "--db", db, "add", good, bad)
	want := bad + `:17:15: to_place: no place is named "Changchn"; did you mean "Changchun" (place/changchun)? If it is a new one, list it under places:`
	if r.code != exitFailure || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "1 problem(s) in 2 sheet(s); nothing was written") {
		t.Errorf("exit %d, stderr:\n%s\nwant %q", r.code, r.stderr, want)
	}
	if after := storeQuads(t, db); after != before {
		t.Errorf("%d quads, then %d: a sheet with a problem wrote", before, after)
	}
	r = run(t, "", "--db", db, "add", write(t, "broken.yaml", "source:\n  title: x\n  colour: red\nplaces:\n  - name: Atlantis\n"))
	for _, want := range []string{"broken.yaml:3:3: unknown key \"colour\"", "broken.yaml:5:5: a place needs kind"} {
		if r.code != exitFailure || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
	if r := run(t, "", "--db", db, "add"); r.code != exitUsage {
		t.Errorf("add without sheets: exit %d", r.code)
	}
}

func TestTheSheetOfEveryBundledSourceAddsBackItsQuads(t *testing.T) {
	seeded := testDB(t)
	dump := run(t, "", "--db", seeded, "dump").stdout
	dir := t.TempDir()
	for _, source := range []string{"seed-000", "seed-001", "source/seed-002", "Revitalization of NE China provinces fueled by 1st net resident inflow in over a decade", "seed-004"} {
		r := run(t, "", "--db", seeded, "sheet", source)
		if r.code != 0 {
			t.Fatalf("sheet %s: exit %d\n%s", source, r.code, r.stderr)
		}
		label := regexp.MustCompile(`id: (source/\S+)`).FindStringSubmatch(r.stdout)[1]
		file := filepath.Join(dir, strings.ReplaceAll(label, "/", "_")+".yaml")
		if err := os.WriteFile(file, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		empty := filepath.Join(dir, "empty-"+filepath.Base(file)+".bolt")
		if r := run(t, "", "--db", empty, "--no-seed", "add", file); r.code != 0 {
			t.Fatalf("add the sheet of %s to an empty store: exit %d\n%s", source, r.code, r.stderr)
		}
		got := strings.Split(strings.TrimSpace(run(t, "", "--db", empty, "dump").stdout), "\n")
		// The source's quads, and those of the inferences drawn from it,
		// which its sheet marks inferred.
		labels := []string{"<https://rustbelt.dev/id/" + label + "> ."}
		for _, line := range strings.Split(dump, "\n") {
			if inf, _, ok := strings.Cut(line, " <https://rustbelt.dev/ns/inferredFrom> <https://rustbelt.dev/id/"+label+"> "); ok {
				labels = append(labels, inf+" .")
			}
		}
		var want []string
		for _, line := range strings.Split(dump, "\n") {
			if slices.ContainsFunc(labels, func(l string) bool { return strings.HasSuffix(line, l) }) {
				want = append(want, line)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the sheet added to an empty store dumps %d quads, the source has %d", source, len(got), len(want))
		}
	}
	if r := run(t, "", "--db", seeded, "sheet", "Atlantis Gazette"); r.code != exitNotFound {
		t.Errorf("sheet of an unknown source: exit %d, %s", r.code, r.stderr)
	}
}
