package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/graph"
)

// fixture is a career table of the importer's tests.
func fixture(name string) string { return filepath.Join("..", "..", "importer", "testdata", name) }

// TestANewUserImportsCareersAndAsksAboutThem is issue 16's new user: a CSV
// of a dozen tenures and a Wikidata file in, then holders on a date, a
// career and flows, each answer sourced and no more precise than its input.
func TestANewUserImportsCareersAndAsksAboutThem(t *testing.T) {
	for name, db := range addStores(t) {
		t.Run(name, func(t *testing.T) {
			steps := []struct {
				args []string
				code int
				want []string
			}{
				{[]string{"import", "careers", fixture("careers-errors.csv")}, exitFailure, []string{
					"careers-errors.csv:3:30: place: no place is named \"Tonghua\"",
					"rustbelt: 6 problem(s) in 1 file(s); nothing was written",
				}},
				{[]string{"import", "careers", "--dry-run", fixture("careers.csv")}, 0, []string{
					`new      place/tonghua "Tonghua" (Place)`, "records  tenures: 6", "dry run: nothing was written",
				}},
				{[]string{"holders", "--post", "Party secretary of Tonghua"}, exitNotFound, []string{`nothing is named "Party secretary of Tonghua"`}},
				{[]string{"import", "careers", fixture("careers.csv")}, 0, []string{"imported 2 source(s): 161 quads added, 0 already there"}},
				{[]string{"import", "careers", fixture("careers.csv")}, 0, []string{"(adds to the store's source)", "imported 2 source(s): 0 quads added"}},
				{[]string{"import", "wikidata", "--retrieved", "2025-03-10", fixture("wikidata-entities.json"), fixture("wikidata-sparql.json")}, 0, []string{
					`source/wikidata-q999900001 "Wikidata: Zhou Ping (Q999900001)" (new source)`,
					`linked   "Tonghua" → place/tonghua (Place)`,
					"imported 3 source(s): 1",
				}},
				{[]string{"import", "wikidata", "--retrieved", "2025-03-10", fixture("wikidata-entities.json"), fixture("wikidata-sparql.json")}, 0, []string{
					"imported 3 source(s): 0 quads added, 0 removed",
				}},
				{[]string{"holders", "--post", "Party secretary of Tonghua", "--on", "2021-03", "--format", "csv"}, 0, []string{
					"Wang Lei,Party secretary of Tonghua,Tonghua,2016-05,2021-03-20,possibly,\"ended 2021-03-20, which may be before 2021-03 ended\",,Lin Qing (stated),source/coastal-cadres-yearbook-example",
					"Lin Qing,Party secretary of Tonghua,Tonghua,2021-03-20,unknown,possibly,",
				}},
				{[]string{"holders", "--place", "Tonghua", "--on", "2024", "--format", "json"}, 0, []string{
					`"person": "Zhou Ping"`, `"status": "possibly"`, `"why": "end unknown"`,
				}},
				{[]string{"career", "Sun Hao", "--format", "csv"}, 0, []string{
					"unknown,2020,tenure,Mayor of Siping (Siping),permanent,source/tonghua-city-annals-example",
					"2020,2021-11,gap,no tenure known,between Mayor of Siping (ends 2020) and Executive deputy mayor of Changchun (starts 2021-11)",
					"2021-11,unknown,tenure,Executive deputy mayor of Changchun (Changchun)",
				}},
				// The appointments, and the moves the careers imported show.
				{[]string{"flows", "--level", "province", "--format", "csv"}, 0, []string{
					"from,to,count,people,appointments,tenures,from_id,to_id",
					"Zhejiang,Jilin,4,\"Ruan Ganghui (2024-06/2024-08); Zhu Huan (2024-06/2024-08); Wang Lei (2016-05, from a career); Zhao Min (2022-06-15, from a career)\",appointment/ruan-ganghui-2024; appointment/zhu-huan-2024,tenure/wang-lei-party-secretary-of-tonghua-2016-05-to-2021-03-20; tenure/zhao-min-mayor-of-tonghua-2022-06-15,place/zhejiang,place/jilin",
					"Jiangsu,Jilin,3,",
					"Jiangsu,Liaoning,1,",
				}},
				{[]string{"flows", "--format", "table", "--until", "2023"}, 0, []string{
					"PROVINCE FROM \\ TO  Jilin  Liaoning",
					"Jiangsu                 3         .",
					"Zhejiang                2         .",
				}},
				{[]string{"holders"}, exitUsage, []string{"give --post or --place"}},
				{[]string{"holders", "--post", "Mayor of Tonghua", "--on", "last year"}, exitUsage, []string{`malformed date "last year"`}},
				{[]string{"flows", "--level", "county"}, exitUsage, []string{`unknown level "county"`}},
				{[]string{"import", "sheets", "x.yaml"}, exitUsage, []string{"import careers FILE.csv… or import wikidata FILE.json…"}},
				{[]string{"import", "careers", "--map", "name", fixture("careers.csv")}, exitUsage, []string{"write COLUMN=FIELD"}},
			}
			for _, s := range steps {
				r := run(t, "", append([]string{"--db", db}, s.args...)...)
				out := r.stdout + r.stderr
				if r.code != s.code {
					t.Errorf("%v: exit %d, want %d\n%s", s.args, r.code, s.code, out)
				}
				for _, w := range s.want {
					if !strings.Contains(out, w) {
						t.Errorf("%v: output lacks %q:\n%s", s.args, w, out)
					}
				}
			}
		})
	}
}

// TestACorrectedCareerTableReplacesWithReplace imports a table, then a
// corrected one: added to the store, the correction is a second tenure
// beside the first; with --replace it takes the first one's place.
func TestACorrectedCareerTableReplacesWithReplace(t *testing.T) {
	data, err := os.ReadFile(fixture("careers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	corrected := write(t, "careers.csv", strings.Replace(string(data), "Tonghua,2016-05,2021-03-20,", "Tonghua,2016-05,2021-04,", 1))
	for name, db := range addStores(t) {
		t.Run(name, func(t *testing.T) {
			holders := func() string {
				r := run(t, "", "--db", db, "holders", "--post", "Party secretary of Tonghua", "--format", "csv")
				if r.code != 0 {
					t.Fatalf("holders: exit %d: %s", r.code, r.stderr)
				}
				return r.stdout
			}
			for _, args := range [][]string{{"import", "careers", fixture("careers.csv")}, {"import", "careers", corrected}} {
				if r := run(t, "", append([]string{"--db", db}, args...)...); r.code != 0 {
					t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
				}
			}
			if got := holders(); strings.Count(got, "Wang Lei,") != 2 {
				t.Errorf("added, the correction stands beside the first tenure:\n%s", got)
			}
			r := run(t, "", "--db", db, "import", "careers", "--replace", corrected)
			if r.code != 0 || !strings.Contains(r.stdout, "(replaces the store's version)") || !strings.Contains(r.stdout, "imported 2 source(s): 0 quads added, 10 removed") {
				t.Fatalf("import --replace: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
			}
			if got := holders(); strings.Count(got, "Wang Lei,") != 1 || !strings.Contains(got, "Wang Lei,Party secretary of Tonghua,Tonghua,2016-05,2021-04,") {
				t.Errorf("replaced, one tenure ending 2021-04:\n%s", got)
			}
		})
	}
}

func TestCareerJSONIsTheTimelineTenuresAndMoves(t *testing.T) {
	r := run(t, "", "--db", testDB(t), "career", "Cao Lubao", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var c graph.Career
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatal(err)
	}
	if c.Person.ID != "person/cao-lubao" || len(c.Tenures) != 2 || len(c.Moves) != 1 || len(c.Timeline) != 3 {
		t.Fatalf("career: %+v", c)
	}
	suzhou := c.Tenures[0]
	if suzhou.Start != "unknown" || suzhou.StartPrecision != "unknown" || suzhou.End != "2023-10" || suzhou.EndPrecision != "month" ||
		len(suzhou.DerivedFrom) != 1 || suzhou.DerivedFrom[0] != "appointment/cao-lubao-2023" || suzhou.Stated {
		t.Errorf("the Suzhou tenure: %+v", suzhou)
	}
	if c.Timeline[1].What != "move" || c.Timeline[1].ID != "appointment/cao-lubao-2023" || c.Timeline[2].Tenure != 1 {
		t.Errorf("timeline: %+v", c.Timeline)
	}
}
