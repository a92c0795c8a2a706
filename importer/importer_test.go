package importer_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/importer"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/queries"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
	"github.com/rustbelt/rustbelt/store"
)

// today is the import day the tests give, so that a second import of the
// same files writes the same quads.
const today = "2025-03-10"

// imported is what an import did.
type imported struct {
	problems []string
	notes    []string
	added    int64
	removed  int64
}

// importFiles reads testdata files as `rustbelt import` does, compiles
// them, and writes them as it does: Wikidata replacing its sources, a CSV
// adding to them. Problems write nothing.
func importFiles(t *testing.T, s *store.Store, kind string, names ...string) imported {
	t.Helper()
	ctx := context.Background()
	im := importer.New(s, today)
	data := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		data[n] = b
	}
	res := &importer.Result{}
	if kind == "wikidata" {
		var err error
		if res, err = im.Wikidata(ctx, data, names); err != nil {
			t.Fatal(err)
		}
	} else {
		for _, n := range names {
			sheets, problems, err := im.CSV(ctx, n, data[n], nil)
			if err != nil {
				t.Fatal(err)
			}
			res.Sheets, res.Problems = append(res.Sheets, sheets...), append(res.Problems, problems...)
		}
	}
	results, more, err := sheet.Compile(ctx, s, res.Sheets)
	if err != nil {
		t.Fatal(err)
	}
	out := imported{notes: res.Notes}
	for _, p := range append(res.Problems, more...) {
		out.problems = append(out.problems, p.Error())
	}
	slices.Sort(out.problems)
	if len(out.problems) > 0 {
		return out
	}
	var labels []quad.IRI
	var quads []quad.Quad
	for _, r := range results {
		labels, quads = append(labels, r.Labels...), append(quads, r.Quads...)
	}
	if kind == "wikidata" || kind == "careers --replace" {
		rep, err := s.Replace(ctx, labels, quads)
		if err != nil {
			t.Fatal(err)
		}
		out.added, out.removed = rep.Added, rep.Removed
		return out
	}
	var buf bytes.Buffer
	if _, err := schema.WriteQuads(&buf, schema.NQuads, quads); err != nil {
		t.Fatal(err)
	}
	in := store.Input{Name: "import", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil }}
	rep, err := s.Load(ctx, []store.Input{in}, store.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out.added = rep.Added
	return out
}

// quadCount is how many quads the store holds.
func quadCount(t *testing.T, s *store.Store) int64 {
	t.Helper()
	n, _, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// holders lists a post's tenures (on a date) in one line each.
func holders(t *testing.T, g *graph.Graph, post, on string) []string {
	t.Helper()
	rows, _, err := g.Holders(context.Background(), graph.HolderFilter{Post: post, On: on})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		line := r.Person + " " + r.Start + ".." + r.End
		if r.Status != "" {
			line += " " + r.Status
		}
		if r.Predecessor != "" {
			line += " after " + r.Predecessor
		}
		if r.Successor != "" {
			line += " before " + r.Successor
		}
		out = append(out, line)
	}
	return out
}

func TestACareerTableImportsOnceAndAnswers(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		g := graph.New(s)
		before := quadCount(t, s)
		first := importFiles(t, s, "careers", "careers.csv")
		if len(first.problems) > 0 || first.added == 0 {
			t.Fatalf("import: %d added, problems:\n%s", first.added, strings.Join(first.problems, "\n"))
		}
		after := quadCount(t, s)
		if again := importFiles(t, s, "careers", "careers.csv"); len(again.problems) > 0 || again.added != 0 || quadCount(t, s) != after {
			t.Errorf("a second import added %d quads (%d → %d), problems %q", again.added, after, quadCount(t, s), again.problems)
		}
		if after-before != first.added {
			t.Errorf("the store grew by %d quads, the import says %d", after-before, first.added)
		}
		// The file as the whole of its sources: what the first import wrote,
		// the new place among it, no more and no less.
		if again := importFiles(t, s, "careers --replace", "careers.csv"); len(again.problems) > 0 || again.added != 0 || again.removed != 0 {
			t.Errorf("the file replacing its sources: %d added, %d removed, problems %q", again.added, again.removed, again.problems)
		}
		for _, tc := range []struct {
			post, on string
			want     []string
		}{
			{"Party secretary of Tonghua", "", []string{
				"Wang Lei 2016-05..2021-03-20 before Lin Qing (stated)",
				"Lin Qing 2021-03-20..unknown after Wang Lei (stated)",
			}},
			{"Party secretary of Tonghua", "2021-03-20", []string{
				"Wang Lei 2016-05..2021-03-20 held before Lin Qing (stated)",
				"Lin Qing 2021-03-20..unknown possibly after Wang Lei (stated)",
			}},
			{"Mayor of Tonghua", "2022", []string{
				"Chen Yu 2018..2022-06-15 possibly before Zhao Min (derived)",
				"Zhao Min 2022-06-15..unknown possibly after Chen Yu (derived)",
			}},
			{"Mayor of Siping", "2019", []string{"Sun Hao unknown..2020 possibly"}},
		} {
			if got := holders(t, g, tc.post, tc.on); !slices.Equal(got, tc.want) {
				t.Errorf("holders of %s on %q:\n%s\nwant:\n%s", tc.post, tc.on, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		}
		c, _, err := g.Career(context.Background(), "Wang Lei")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Tenures) != 2 || c.Tenures[0].Post != "Deputy mayor of Ningbo" || c.Tenures[0].PostID != "post/ningbo-deputy-mayor" || c.Tenures[1].PlaceID != "place/tonghua" {
			t.Errorf("Wang Lei's career: %+v", c.Tenures)
		}
	})
}

func TestACareerTableWithErrorsWritesNothing(t *testing.T) {
	want := []string{
		`careers-errors.csv:3:30: place: no place is named "Tonghua": a new place needs place_in (the place it lies in) and place_kind`,
		`careers-errors.csv:4:34: place: no place is named "Suzhuo"; did you mean "Suzhou" (place/suzhou)? A new place needs place_in (the place it lies in) and place_kind`,
		`careers-errors.csv:5:33: start: "spring 2018" is not a date: write 2021, 2021-03 or 2021-03-15, as precise as the source, and leave start out when the source does not give it`,
		`careers-errors.csv:6:39: end: 2020 is before start 2022`,
		`careers-errors.csv:6:44: kind: "acting" is not one of permanent, temporary (guazhi)`,
		`careers-errors.csv:7:47: source_title is empty: every tenure needs the article or document it comes from`,
	}
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		before := quadCount(t, s)
		got := importFiles(t, s, "careers", "careers-errors.csv")
		if !slices.Equal(got.problems, want) {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got.problems, "\n"), strings.Join(want, "\n"))
		}
		if n := quadCount(t, s); n != before {
			t.Errorf("the store went from %d to %d quads", before, n)
		}
	})
}

func TestAHeaderMapsColumnsOrNamesTheirProblems(t *testing.T) {
	im := importer.New(storetest.SeededMemory(t), today)
	tests := []struct {
		name    string
		csv     string
		mapping map[string]string
		want    []string
	}{
		{"CPED-style columns mapped", "姓名,职务,地方,起始时间,终止时间,备注,来源\nWang Lei,Mayor of Siping,Siping,2019,2021-05,x,Example annals\n",
			map[string]string{"姓名": "person", "职务": "post", "地方": "place", "起始时间": "start", "终止时间": "end", "备注": "-", "来源": "source_title"}, nil},
		{"unknown column", "person,post,source_title,colour\n", nil, []string{
			`in.csv:1:4: unknown column "colour": the fields are ` + strings.Join(importer.Columns, ", ") + `; map it with --map 'colour=FIELD', or --map 'colour=-' to leave it out`,
		}},
		{"required columns missing, a mapping to nothing", "name,post\n", map[string]string{"name": "human", "title": "post"}, []string{
			`in.csv:1:1: --map name=human: "human" is not a field; the fields are ` + strings.Join(importer.Columns, ", ") + `, or - to leave the column out`,
			`in.csv:1:1: --map names column "title", which the header does not have`,
			`in.csv:1:1: the header has no person column: a career table gives person, post, source_title on every row`,
			`in.csv:1:1: the header has no source_title column: a career table gives person, post, source_title on every row`,
		}},
		{"a row of the wrong length, and a source given two ways", "person,post,source_title,source_date\nA,B\nWang Lei,Mayor of Siping,Annals,2020\nSun Hao,Mayor of Siping,Annals,2021\n", nil, []string{
			`in.csv:2:1: the row has 2 fields, the header 4`,
			`in.csv:4:32: source_date: "2021" here, "2020" at line 3 for the same source_title: one title is one source`,
		}},
		{"empty", "", nil, []string{`in.csv:1:1: the file is empty: a career table starts with a header (person,post,organization,place,start,end,kind,source_title,source_publisher,source_date,source_url)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems, err := im.CSV(context.Background(), "in.csv", []byte(tt.csv), tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestWikidataImportsLinkByItemAndKeepPrecision(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		g := graph.New(s)
		first := importFiles(t, s, "wikidata", "wikidata-entities.json", "wikidata-sparql.json")
		if len(first.problems) > 0 || first.added == 0 {
			t.Fatalf("import: %d added, problems:\n%s", first.added, strings.Join(first.problems, "\n"))
		}
		after := quadCount(t, s)
		again := importFiles(t, s, "wikidata", "wikidata-entities.json", "wikidata-sparql.json")
		if len(again.problems) > 0 || again.added != 0 || again.removed != 0 || quadCount(t, s) != after {
			t.Errorf("a second import: %d added, %d removed, problems %q", again.added, again.removed, again.problems)
		}
		// A file of one person alone links to what the first import made,
		// by item: no second Gao Feng, Tonghua or post.
		if one := importFiles(t, s, "wikidata", "wikidata-missing-position.json"); len(one.problems) != 1 ||
			!strings.Contains(one.problems[0], "wikidata-missing-position.json:31:1: position Q999900101 (held by Gao Feng) is not in the files") {
			t.Errorf("a person whose position the files lack: %q", one.problems)
		}
		if n := quadCount(t, s); n != after {
			t.Errorf("a file with a problem wrote: %d quads, then %d", after, n)
		}
		for _, tc := range []struct {
			post, on string
			want     []string
		}{
			{"Communist Party Secretary of Tonghua", "", []string{
				"Gao Feng 2018..2023-04 before Zhou Ping (stated)",
				"Zhou Ping 2023-04..unknown after Gao Feng (stated)",
			}},
			{"Vice Governor of Jilin", "2020-02-02", []string{"Zhou Ping 2019..2023-04-12 held"}},
			{"Mayor of Dandong", "2024-05", []string{"Qian Yu 2021..2024-05 possibly"}},
		} {
			if got := holders(t, g, tc.post, tc.on); !slices.Equal(got, tc.want) {
				t.Errorf("holders of %s on %q:\n%s\nwant:\n%s", tc.post, tc.on, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		}
		card, _, err := g.Card(context.Background(), "Tonghua")
		if err != nil {
			t.Fatal(err)
		}
		var facts []string
		for _, f := range card.Facts {
			facts = append(facts, f.Predicate+"="+f.Value+f.ValueID)
		}
		for _, want := range []string{"placeKind=city", "containedIn=Jilinplace/jilin", "sameAs=http://www.wikidata.org/entity/Q999900201http://www.wikidata.org/entity/Q999900201"} {
			if !slices.Contains(facts, want) {
				t.Errorf("Tonghua's facts %q lack %q", facts, want)
			}
		}
		src, _, err := g.Card(context.Background(), "source/wikidata-q999900001")
		if err != nil {
			t.Fatal(err)
		}
		facts = nil
		for _, f := range src.Facts {
			facts = append(facts, f.Predicate+"="+f.Value)
		}
		for _, want := range []string{"publisher=Wikidata", "datePublished=2025-02-03", "revision=2100000001", "dateRetrieved=" + today, "url=https://www.wikidata.org/w/index.php?title=Q999900001&oldid=2100000001"} {
			if !slices.Contains(facts, want) {
				t.Errorf("the source's facts %q lack %q", facts, want)
			}
		}
	})
}

func TestWikidataTimesKeepTheirPrecisionOrAreLeftUnknown(t *testing.T) {
	doc := `{"entities": {
 "Q1": {"id": "Q1", "labels": {"en": {"value": "Test Person"}}, "lastrevid": 5, "claims": {"P39": [
  {"id": "Q1$1", "rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {"type": "wikibase-entityid", "value": {"id": "Q2"}}},
   "qualifiers": {
    "P580": [{"snaktype": "value", "datavalue": {"type": "time", "value": {"time": "+1990-00-00T00:00:00Z", "precision": 8}}}],
    "P582": [{"snaktype": "somevalue"}]}}]}},
 "Q2": {"id": "Q2", "labels": {"en": {"value": "Mayor of Siping"}}, "claims": {"P1001": [
  {"rank": "normal", "mainsnak": {"snaktype": "value", "datavalue": {"type": "wikibase-entityid", "value": {"id": "Q3"}}}}]}},
 "Q3": {"id": "Q3", "labels": {"en": {"value": "Siping"}}}}}`
	s := storetest.Open(t, "memory:", store.Options{})
	res, err := importer.New(s, today).Wikidata(context.Background(), map[string][]byte{"q1.json": []byte(doc)}, []string{"q1.json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 || len(res.Sheets) != 1 {
		t.Fatalf("problems %v, %d sheets", res.Problems, len(res.Sheets))
	}
	want := "q1.json:3: start of Test Person as Mayor of Siping: the time +1990-00-00T00:00:00Z is less precise than a year (precision 8); it is left unknown"
	if !slices.Contains(res.Notes, want) {
		t.Errorf("notes %q lack %q", res.Notes, want)
	}
	results, problems, err := sheet.Compile(context.Background(), s, res.Sheets)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	for _, q := range results[0].Quads {
		if q.Predicate == schema.Start || q.Predicate == schema.End {
			t.Errorf("a bound Wikidata does not give to a year was written: %s", q.NQuad())
		}
	}
}

// TestTheSPARQLQueryNamesWhatTheImportReads keeps queries/wikidata-careers.rq
// and the import in step: the query selects every variable the import
// reads, and no other.
func TestTheSPARQLQueryNamesWhatTheImportReads(t *testing.T) {
	head, _, ok := strings.Cut(queries.WikidataCareers, "WHERE")
	if !ok {
		t.Fatal("the query has no WHERE")
	}
	var vars []string
	for _, f := range strings.Fields(head) {
		if strings.HasPrefix(f, "?") {
			vars = append(vars, strings.TrimPrefix(f, "?"))
		}
	}
	if !slices.Equal(vars, importer.SPARQLVars) {
		t.Errorf("the query selects %q, the import reads %q", vars, importer.SPARQLVars)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "wikidata-sparql.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"vars": [`+"\n"+`   "`+strings.Join(vars, "\",\n   \"")+`"`) {
		t.Error("the SPARQL fixture's variables are not the query's")
	}
}
