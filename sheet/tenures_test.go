package sheet_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// TestTenuresKeepThePrecisionTheSheetGives checks the tenures section: each
// bound as precise as written and absent when not written, the post found
// in the tenure's place or made there, and every malformed key a problem.
func TestTenuresKeepThePrecisionTheSheetGives(t *testing.T) {
	tests := []resolution{
		{
			name: "bounds as written, posts of the store and new ones",
			// Made-up tenures of made-up people, and one the bundled article
			// gives: Cao Lubao heads Jilin's publicity department from 2023-10.
			yaml: `tenures:
  - person: Wen Jie
    post: Party secretary of Suzhou
    place: Suzhou
    start: 2011
    end: 2016-10-08
    successor: Gu Ming
  - person: Cao Lubao
    post: Director of Jilin's provincial publicity department
    place: {name: Jilin, kind: province}
    start: 2023-10
  - person: Wen Jie
    post: Mayor of Meihekou
    place: Meihekou
    end: 2011
`,
			objects: map[string][]string{
				key("tenure/wen-jie-suzhou-party-secretary-2011-to-2016-10-08", schema.PostOf):    {"post/suzhou-party-secretary"},
				key("tenure/wen-jie-suzhou-party-secretary-2011-to-2016-10-08", schema.Start):     {"2011"},
				key("tenure/wen-jie-suzhou-party-secretary-2011-to-2016-10-08", schema.StartPrec): {"year"},
				key("tenure/wen-jie-suzhou-party-secretary-2011-to-2016-10-08", schema.End):       {"2016-10-08"},
				key("tenure/wen-jie-suzhou-party-secretary-2011-to-2016-10-08", schema.EndPrec):   {"day"},
				key("tenure/wen-jie-suzhou-party-secretary-2011-to-2016-10-08", schema.Successor): {"person/gu-ming"},
				key("tenure/cao-lubao-jilin-publicity-director-2023-10", schema.EventPlace):       {"place/jilin"},
				key("tenure/cao-lubao-jilin-publicity-director-2023-10", schema.StartPrec):        {"month"},
				key("tenure/cao-lubao-jilin-publicity-director-2023-10", schema.End):              nil,
				key("tenure/wen-jie-mayor-of-meihekou-to-2011", schema.Start):                     nil,
				key("tenure/wen-jie-mayor-of-meihekou-to-2011", schema.EndPrec):                   {"year"},
				key("post/mayor-of-meihekou", schema.PostPlace):                                   {"place/meihekou"},
			},
		},
		{
			name: "a Wikidata item is an address, kept as it is",
			yaml: `people:
  - name: Cao Lubao
    same_as: http://www.wikidata.org/entity/Q1
`,
			objects: map[string][]string{key("person/cao-lubao", schema.SameAs): {"http://www.wikidata.org/entity/Q1"}},
		},
		{
			name: "malformed bounds, addresses and bounds out of order are problems",
			yaml: `people:
  - name: Wen Jie
    same_as: Q1
tenures:
  - person: Wen Jie
    post: Party secretary of Suzhou
    place: Suzhou
    start: mid-2021
    end: by 2024-12-01
  - person: Wen Jie
    post: Party secretary of Suzhou
    place: Suzhou
    start: 2023-10
    end: 2022
  - person: Wen Jie
    place: Suzhou
    start: 2020
`,
			problems: []string{
				`new.yaml:7:14: same_as: "Q1" is not an address: write the whole IRI, such as http://www.wikidata.org/entity/Q123`,
				`new.yaml:12:12: start: "mid-2021" is not a date: write 2021, 2021-03 or 2021-03-15, as precise as the source, and leave start out when the source does not give it`,
				`new.yaml:13:10: end: "by 2024-12-01" is not a date: write 2021, 2021-03 or 2021-03-15, as precise as the source, and leave end out when the source does not give it`,
				`new.yaml:18:10: end: 2022 is before start 2023-10`,
				`new.yaml:19:5: a tenure needs post`,
			},
		},
	}
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				results, problems := compile(t, s, "new.yaml", source+tt.yaml)
				if strings.Join(problems, "\n") != strings.Join(tt.problems, "\n") {
					t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(tt.problems, "\n"))
				}
				for k, want := range tt.objects {
					subject, pred, _ := strings.Cut(k, " ")
					if got := objects(results[0], subject, schema.ID(pred)); !slices.Equal(got, want) {
						t.Errorf("%s %s: %q, want %q", subject, pred, got, want)
					}
				}
			})
		}
	})
}

// TestATenureSheetWritesBack adds a sheet of tenures and writes its source
// back: the bounds and their precisions come back as written.
func TestATenureSheetWritesBack(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		r := mustCompile(t, s, source+`people:
  - name: Ma Lin
    same_as: [http://www.wikidata.org/entity/Q7]
tenures:
  - person: Ma Lin
    post: Mayor of Meihekou
    place: Meihekou
    start: 2019-05
    end: 2022
    kind: permanent
    predecessor: Zhu Huan
`)
		if _, err := s.Replace(t.Context(), r.Labels, r.Quads); err != nil {
			t.Fatal(err)
		}
		text := writeSheet(t, s, "source/a-test-article")
		if d := diff(nquads(r.Quads), nquads(mustCompile(t, s, text).Quads)); d != "" {
			t.Errorf("written back, the sheet differs:\n%s\n%s", d, text)
		}
		for _, want := range []string{"start: 2019-05", "end: 2022", "same_as: http://www.wikidata.org/entity/Q7"} {
			if !strings.Contains(text, want) {
				t.Errorf("the sheet lacks %q:\n%s", want, text)
			}
		}
	})
}
