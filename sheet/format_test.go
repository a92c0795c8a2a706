package sheet

import (
	"os"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
)

// viaSpecialKeys are the predicates a sheet writes through keys of their
// own: an entry's section (type), its name key, the date keys, inferred.
var viaSpecialKeys = map[quad.IRI]bool{
	schema.Type: true, schema.Name: true, schema.Date: true, schema.DateEnd: true,
	schema.DatePrec: true, schema.DatePublished: true, schema.InferredFrom: true,
	// A tenure read from an appointment is read when a question is asked,
	// and not written: no sheet states one.
	schema.DerivedFrom: true,
}

func TestEverythingTheVocabularySaysHasAKey(t *testing.T) {
	for _, p := range schema.Predicates {
		if viaSpecialKeys[p.IRI] {
			continue
		}
		found := false
		for _, sec := range append([]*section{sourceSection}, sections...) {
			for _, f := range sec.fields {
				found = found || f.pred == p.IRI || f.precPred == p.IRI
			}
		}
		if !found {
			t.Errorf("no key of any section writes %s", schema.Short(p.IRI))
		}
	}
	for _, c := range schema.Classes {
		if c.Class != schema.Inference && sectionOf(c.Class) == nil {
			t.Errorf("no section lists %s", c.Class.Short())
		}
	}
}

func TestTheFormatDocumentNamesEveryKey(t *testing.T) {
	b, err := os.ReadFile("../docs/sheets.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, sec := range append([]*section{sourceSection}, sections...) {
		for _, k := range append([]string{sec.key}, sec.keys()...) {
			if !strings.Contains(doc, "`"+k+"`") {
				t.Errorf("docs/sheets.md lacks `%s` (of %s)", k, sec.key)
			}
		}
	}
	for _, k := range refKeys {
		if !strings.Contains(doc, "`"+k+"`") {
			t.Errorf("docs/sheets.md lacks the reference key `%s`", k)
		}
	}
}

func TestSlugs(t *testing.T) {
	tests := map[string]string{
		"Cao Lubao":                        "cao-lubao",
		"National People's Congress":       "national-peoples-congress",
		"Harbin-Changchun city cluster":    "harbin-changchun-city-cluster",
		"2024-H1":                          "2024-h1",
		"  Zürich  (Canton) ":              "zürich-canton",
		"沈阳":                               "沈阳",
		"?!":                               "unnamed",
		"Director of Jilin’s publicity HQ": "director-of-jilins-publicity-hq",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDatesReadAndWriteAsTheCommandsPrintThem(t *testing.T) {
	tests := []struct {
		text string
		want dated
	}{
		{"2023", dated{date: "2023", precision: schema.PrecisionYear}},
		{"2023-10", dated{date: "2023-10", precision: schema.PrecisionMonth}},
		{"2023-10-05", dated{date: "2023-10-05", precision: schema.PrecisionDay}},
		{"2024-06/2024-08", dated{date: "2024-06", end: "2024-08", precision: schema.PrecisionRange}},
		{"2016-01/2016-03-03", dated{date: "2016-01", end: "2016-03-03", precision: schema.PrecisionRange}},
		{"by 2024-12-01", dated{date: "2024-12-01", precision: schema.PrecisionReported}},
		{"undated", dated{precision: schema.PrecisionUnknown}},
	}
	for _, tt := range tests {
		got, err := parseWhen(tt.text)
		if err != nil || got != tt.want {
			t.Errorf("parseWhen(%q) = %+v, %v; want %+v", tt.text, got, err, tt.want)
		}
		if text, ok := got.text(); !ok || text != tt.text {
			t.Errorf("%+v writes %q, %v; want %q", got, text, ok, tt.text)
		}
	}
	for _, bad := range []string{"", "2023-13", "23", "by 2024", "2024/", "2024-08/2024-06", "June 2024", "unknown"} {
		if d, err := parseWhen(bad); err == nil {
			t.Errorf("parseWhen(%q) = %+v, want an error", bad, d)
		}
	}
	for _, d := range []dated{
		{date: "2024", precision: schema.PrecisionRange},
		{date: "2024-12", precision: schema.PrecisionReported},
		{date: "2024", precision: schema.PrecisionUnknown},
		{date: "2024-05", precision: schema.PrecisionYear},
		{date: "2024", end: "2025", precision: schema.PrecisionYear},
	} {
		if text, ok := d.text(); ok {
			t.Errorf("%+v writes as %q; no sheet can say it", d, text)
		}
	}
}
