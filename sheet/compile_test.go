package sheet_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/sheet"
	"github.com/rustbelt/rustbelt/store"
)

// resolution is one rule of name resolution: a sheet (after the source's
// four lines, so its own lines count from 5) and what it must give: the
// objects some quads point at, or problems.
type resolution struct {
	name     string
	yaml     string
	objects  map[string][]string // "subject pred" → objects (short ids or text)
	problems []string            // each a problem's text, position first
}

// key names a subject and predicate for resolution.objects.
func key(subject string, pred quad.IRI) string { return subject + " " + string(pred) }

var resolutions = []resolution{
	{
		name: "a name, an alias, any letter case links to the one entity it fits",
		yaml: `appointments:
  - person: cao lubao
    from_place: Dongbei
    to_post: Party secretary of Meihekou
    to_place: MEIHEKOU
    date: 2021
  - person: Cao Lubao
    to_post: Party secretary of Meihekou
    to_place: Meihekou
    date: 2023-10
`,
		objects: map[string][]string{
			key("appointment/cao-lubao-2021", schema.PersonOf):  {"person/cao-lubao"},
			key("appointment/cao-lubao-2021", schema.FromPlace): {"place/northeast"},
			key("appointment/cao-lubao-2021", schema.ToPlace):   {"place/meihekou"},
			key("appointment/cao-lubao-2021", schema.ToPost):    {"post/meihekou-party-secretary"},
			// appointment/cao-lubao-2023 is another source's record
			key("appointment/cao-lubao-2023-2", schema.Date): {"2023-10"},
		},
	},
	{
		name: "a new name makes a new entity whose id is its slug",
		yaml: `people:
  - name: Wang Lei
places:
  - name: Tonghua
    kind: city
    in: {name: Jilin, kind: province}
appointments:
  - person: Wang Lei
    to_post: Deputy mayor of Tonghua
    to_place: Tonghua
    date: 2024-11
  - person: Zhao Min
    to_post: Deputy mayor of Tonghua
    to_place: Tonghua
    date: by 2025-01-15
`,
		objects: map[string][]string{
			key("place/tonghua", schema.ContainedIn):              {"place/jilin"},
			key("post/deputy-mayor-of-tonghua", schema.PostPlace): {"place/tonghua"},
			key("appointment/wang-lei-2024", schema.PersonOf):     {"person/wang-lei"},
			key("appointment/wang-lei-2024", schema.ToPost):       {"post/deputy-mayor-of-tonghua"},
			key("appointment/zhao-min", schema.ToPost):            {"post/deputy-mayor-of-tonghua"},
			key("person/zhao-min", schema.Name):                   {"Zhao Min"},
		},
	},
	{
		name: "a new id the store has taken gets a number",
		yaml: `people:
  - name: Cao-Lubao
`,
		objects: map[string][]string{key("person/cao-lubao-2", schema.Name): {"Cao-Lubao"}},
	},
	{
		name: "a name that fits several entities is a problem naming them",
		yaml: `appointments:
  - person: Cao Lubao
    to_post: Party secretary of Jilin
    to_place: Jilin
    date: 2023
`,
		problems: []string{`new.yaml:8:15: to_place: "Jilin" fits 2 entities: place/jilin (province), place/jilin-city (city); say which, as in {name: Jilin, kind: province}`},
	},
	{
		name: "a kind or an id says which",
		yaml: `policies:
  - policy: A test policy
    targets: [{name: Jilin, kind: city}, {id: place/jilin}, {name: jilin city, id: place/jilin-city}]
    issuer: {name: Siasun, kind: company}
    date: 2024
`,
		objects: map[string][]string{
			key("policy/a-test-policy", schema.Targets): {"place/jilin", "place/jilin-city", "place/jilin-city"},
			key("policy/a-test-policy", schema.Issuer):  {"company/siasun"},
		},
	},
	{
		name: "a name close to another is a problem with the closest names",
		yaml: `appointments:
  - person: Cao Lubao
    to_post: Mayor of Meihekuo
    to_place: Meihekuo
    date: 2023
  - person: Cao Lubo
    to_post: Mayor of Meihekou
    to_place: Meihekou
    date: 2023
`,
		problems: []string{
			`new.yaml:8:15: to_place: no place is named "Meihekuo"; did you mean "Meihekou" (place/meihekou)? If it is a new one, list it under places:`,
			`new.yaml:10:13: person: no person is named "Cao Lubo"; did you mean "Cao Lubao" (person/cao-lubao)? If it is a new one, list it under people:`,
		},
	},
	{
		name: "a close name listed under places or people is a new entity",
		yaml: `people:
  - name: Cao Lubo
places:
  - name: Meihekuo
    kind: county-level city
    in: {name: Jilin, kind: province}
appointments:
  - person: Cao Lubo
    to_post: Mayor of Meihekuo
    to_place: Meihekuo
    date: 2023
`,
		objects: map[string][]string{
			key("appointment/cao-lubo-2023", schema.PersonOf): {"person/cao-lubo"},
			key("appointment/cao-lubo-2023", schema.ToPlace):  {"place/meihekuo"},
			key("place/meihekuo", schema.PlaceKind):           {"county-level city"},
		},
	},
	{
		name: "a place must be listed to be new; a name of another class is not a place",
		yaml: `appointments:
  - person: Cao Lubao
    from_place: Xanadu
    to_post: Robot
    to_place: Siasun
    date: 2023
`,
		problems: []string{
			`new.yaml:7:17: from_place: no place is named "Xanadu": list it under places:, with its kind and the place it is in`,
			`new.yaml:9:15: to_place: "Siasun" is not a place: it names company/siasun (company)`,
		},
	},
	{
		name: "dates read as the commands print them",
		yaml: `events:
  - name: A range
    date: 2024-06/2024-08
  - name: A report
    date: by 2024-12-01
  - name: Nothing known
    date: undated
  - name: A day
    date: 2024-03-05
`,
		objects: map[string][]string{
			key("event/a-range", schema.Date):           {"2024-06"},
			key("event/a-range", schema.DateEnd):        {"2024-08"},
			key("event/a-range", schema.DatePrec):       {"range"},
			key("event/a-report", schema.DatePrec):      {"reported"},
			key("event/nothing-known", schema.DatePrec): {"unknown"},
			key("event/nothing-known", schema.Date):     nil,
			key("event/a-day", schema.DatePrec):         {"day"},
		},
	},
	{
		name: "a date in another form is a problem",
		yaml: `events:
  - name: Worded
    date: June 2024
  - name: Reported month
    date: by 2024-12
  - name: Backwards
    date: 2024-08/2024-06
`,
		problems: []string{
			`new.yaml:7:11: date: "June 2024" is not a date: write 2023, 2023-10, 2023-10-05, 2024-06/2024-08, by 2024-12-01 or undated`,
			`new.yaml:9:11: date: "by 2024-12": a reported date is the article's own, written by YYYY-MM-DD`,
			`new.yaml:11:11: date: "2024-08/2024-06" ends before it starts`,
		},
	},
	{
		name: "values are what their predicates take",
		yaml: `places:
  - name: Xanadu
    kind: town
    in: China
observations:
  - place: Liaoning
    indicator: GDP
    period: 2023
    value: 3e12
    unit: yuan
    approximate: yes
    bound: over
`,
		problems: []string{
			`new.yaml:7:11: kind: "town" is not one of country, region, province, municipality, autonomous region, city, county-level city, district, county`,
			`new.yaml:13:12: value: "3e12" is not a plain decimal such as 5.4 or -11000000 (no exponent, no separators)`,
			`new.yaml:15:18: approximate: "yes" is neither true nor false`,
			`new.yaml:16:12: bound: "over" is not one of more than, at least, less than, at most`,
		},
	},
	{
		name: "an entry needs what its class needs",
		yaml: `places:
  - name: Xanadu
    in: China
appointments:
  - person: Cao Lubao
    to_post: Somewhere
observations:
  - place: Liaoning
    indicator: GDP
    period: 2023
    unit: yuan
`,
		problems: []string{
			`new.yaml:6:5: a place needs kind`,
			`new.yaml:9:5: an appointment needs to_place`,
			`new.yaml:9:5: an appointment needs date (write undated if the source gives none)`,
			`new.yaml:10:14: to_post: "Somewhere" is a new post: give the one to_place it sits in, or list it under posts: with its place`,
			`new.yaml:12:5: an observation needs value or value_text`,
		},
	},
	{
		name: "an id names an entity of the key's class",
		yaml: `appointments:
  - person: Cao Lubao
    to_post: Chair
    to_place: {id: company/siasun}
    date: 2023
  - person: Cao Lubao
    to_post: Chair
    to_place: {id: place/atlantis}
    date: 2023
  - person: Cao Lubao
    to_post: Chair
    to_place: {name: Harbin, id: place/jilin}
    date: 2023
`,
		problems: []string{
			`new.yaml:8:15: to_place: company/siasun is a company, not a place`,
			`new.yaml:12:15: to_place: nothing has the id place/atlantis`,
			`new.yaml:16:15: to_place: place/jilin is not named "Harbin"`,
		},
	},
	{
		name: "inferred facts carry their inference's label",
		yaml: `places:
  - name: Siping
    kind: city
    in: {name: Jilin, kind: province, inferred: Siping is a city of Jilin province; the article names it among the Northeast's cities}
people:
  - name: Li Kai
    job_title: Economist
    inferred: Taken to be the Li Kai of the other articles, at the same university
`,
		objects: map[string][]string{
			key("place/siping", schema.ContainedIn): {"place/jilin"},
			key("person/li-kai", schema.JobTitle):   {"Economist"},
		},
	},
	{
		name: "an entity listed twice is a problem",
		yaml: `places:
  - name: Dalian
    kind: city
  - name: dalian
    kind: city
`,
		problems: []string{`new.yaml:8:5: place/dalian is listed twice: here and at line 6`},
	},
	{
		name: "keys and sections the format lacks are problems",
		yaml: `persons:
  - name: X
people:
  - name: Y
    colour: red
places:
  - name: Z
    kind: [city, county]
`,
		problems: []string{
			`new.yaml:5:1: unknown section "persons"; a sheet has source, people, places, organizations, companies, infrastructure, indicators, posts, appointments, tenures, relocations, policies, events, investments, observations`,
			`new.yaml:9:5: unknown key "colour" for person; it may have name, id, aliases, job_title, affiliation, same_as, description, inferred`,
			`new.yaml:12:11: kind is one value, not a list`,
		},
	},
}

func TestNamesResolveAsTheCommandsResolveThem(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		for _, tt := range resolutions {
			t.Run(tt.name, func(t *testing.T) {
				results, problems := compile(t, s, "new.yaml", source+tt.yaml)
				if tt.problems != nil {
					if strings.Join(problems, "\n") != strings.Join(tt.problems, "\n") {
						t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(tt.problems, "\n"))
					}
					return
				}
				if len(problems) > 0 {
					t.Fatalf("problems:\n%s", strings.Join(problems, "\n"))
				}
				for k, want := range tt.objects {
					subject, pred, _ := strings.Cut(k, " ")
					if got := objects(results[0], subject, quad.IRI(pred)); !slices.Equal(got, want) {
						t.Errorf("%s %s: %q, want %q", subject, schema.Short(quad.IRI(pred)), got, want)
					}
				}
			})
		}
	})
}

func TestInferredFactsAreLabelledWithTheirInference(t *testing.T) {
	r := mustCompile(t, nil, source+`places:
  - name: Jilin
    kind: province
  - name: Siping
    kind: city
    in: {name: Jilin, inferred: Siping lies in Jilin province}
`)
	var link, inference quad.Quad
	for _, q := range r.Quads {
		switch {
		case q.Predicate == schema.ContainedIn:
			link = q
		case q.Predicate == schema.InferredFrom:
			inference = q
		}
	}
	if link.Label == nil || link.Label != inference.Subject || inference.Object != r.Source || inference.Label != r.Source {
		t.Fatalf("containment %v, inference %v: the link must carry the inference's label, the inference the source's", link, inference)
	}
	if !slices.Contains(r.Labels, link.Label.(quad.IRI)) || !slices.Contains(r.Labels, r.Source) {
		t.Errorf("labels %v lack the source or the inference", r.Labels)
	}
	if got := objects(r, schema.ShortID(link.Label.(quad.IRI)), schema.Description); !slices.Equal(got, []string{"Siping lies in Jilin province"}) {
		t.Errorf("the inference says %q", got)
	}
	for _, q := range r.Quads {
		if q.Subject == schema.ID("place/siping") && q.Predicate != schema.ContainedIn && q.Label != r.Source {
			t.Errorf("%v: only the inferred link carries the inference", q)
		}
	}
}

func TestSheetsOfOneRunResolveAgainstEachOther(t *testing.T) {
	first := `source:
  id: source/first
  title: First
places:
  - name: Tonghua
    kind: city
    in: China
  - name: China
    kind: country
`
	second := `source:
  id: source/second
  title: Second
appointments:
  - person: Wang Lei
    to_post: Mayor of Tonghua
    to_place: Tonghua
    date: 2024
`
	results, problems := compile(t, nil, "first.yaml", first, "second.yaml", second)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if got := objects(results[1], "appointment/wang-lei-2024", schema.ToPlace); !slices.Equal(got, []string{"place/tonghua"}) {
		t.Errorf("the second sheet's Tonghua is %q, want the first's", got)
	}
	if len(results[1].Report.New) != 2 || len(results[1].Report.Linked) != 1 {
		t.Errorf("the second sheet reports new %v, linked %v: Tonghua comes from the first", results[1].Report.New, results[1].Report.Linked)
	}
	_, problems = compile(t, nil, "first.yaml", first, "again.yaml", first)
	if want := "again.yaml:2:3: source/first is also the source of first.yaml: one sheet per source"; !slices.Contains(problems, want) {
		t.Errorf("problems %q lack %q", problems, want)
	}
}

func TestASourceNeedsAnIdOrATitleThatIsItsOwn(t *testing.T) {
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		_, problems := compile(t, s, "untitled.yaml", "source:\n  publisher: Nobody\n")
		if want := "untitled.yaml:2:3: the source has neither title nor id: give it an id (id: source/…), since there is no title to make one from"; !slices.Contains(problems, want) {
			t.Errorf("problems %q lack %q", problems, want)
		}
		r := mustCompile(t, s, source)
		if _, err := s.Replace(t.Context(), r.Labels, r.Quads); err != nil {
			t.Fatal(err)
		}
		other := strings.Replace(source, "Test Daily", "Other Daily", 1)
		_, problems = compile(t, s, "other.yaml", other)
		if want := `other.yaml:2:3: source/a-test-article is already the article "A test article" (Test Daily 2025-01-15): to replace it, write id: source/a-test-article; for another article, give this one an id of its own`; !slices.Contains(problems, want) {
			t.Errorf("problems %q lack %q", problems, want)
		}
		if _, problems = compile(t, s, "other.yaml", "source:\n  id: source/a-test-article\n"+other[len("source:\n"):]); len(problems) > 0 {
			t.Errorf("with its id, the sheet replaces the source: %q", problems)
		}
	})
}

func TestAnUntitledSourceIsWrittenAsItIs(t *testing.T) {
	r := mustCompile(t, nil, "source:\n  id: source/untitled\n  date: undated\n")
	if got := objects(r, "source/untitled", schema.Name); got != nil {
		t.Errorf("an untitled source has the name %q", got)
	}
	if got := objects(r, "source/untitled", schema.DatePrec); !slices.Equal(got, []string{"unknown"}) {
		t.Errorf("an undated source has date precision %q", got)
	}
	if got := objects(r, "source/untitled", schema.Publisher); got != nil {
		t.Errorf("a source without a publisher has %q", got)
	}
}

func TestParseReportsYAMLSyntaxAtItsLine(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"source:\n  title: x\npeople:\n  - name: [unclosed\n", "bad.yaml:3:1: YAML syntax: did not find expected ',' or ']'"},
		{"", "bad.yaml:1:1: the sheet is empty: it needs at least a source"},
		{"- a list\n", "bad.yaml:1:1: a sheet is a mapping of source, people, places, …; see docs/sheets.md"},
		{"people:\n  - name: X\n", "bad.yaml:1:1: the sheet has no source: every fact needs the article it comes from"},
		{"source:\n  title: x\n  title: y\n", "bad.yaml:3:3: title is given twice (first at line 2)"},
		{"source:\n  title: x\n---\nsource:\n  title: y\n", "bad.yaml:3:1: a sheet holds one YAML document; start another file for another source"},
	}
	for _, tt := range tests {
		_, problems := sheet.Parse("bad.yaml", []byte(tt.yaml))
		var got []string
		for _, p := range problems {
			got = append(got, p.Error())
		}
		if !slices.Contains(got, tt.want) {
			t.Errorf("%q: problems %q, want %q", tt.yaml, got, tt.want)
		}
	}
}
