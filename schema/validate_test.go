package schema_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/seeds"
)

// validate runs text through the scanner and validator as one file.
func validate(t *testing.T, text string, strict bool) schema.Problems {
	t.Helper()
	v := schema.NewValidator(strict)
	syntax, err := schema.ScanNQuads(strings.NewReader(text), "in.nq", func(p schema.Pos, q quad.Quad) error {
		v.Check(p, q)
		return nil
	})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return append(syntax, v.Problems()...)
}

const (
	id  = "<https://rustbelt.dev/id/"
	ns  = "<https://rustbelt.dev/ns/"
	src = " <https://rustbelt.dev/id/source/t> ."
)

// person is a valid person record, to which cases add broken lines.
const person = id + `person/p> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ` + ns + `Person>` + src + "\n" +
	id + `person/p> <http://schema.org/name> "P"` + src + "\n"

func TestValidatorReportsEveryProblemAtItsLine(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		strict bool
		want   []string // "line: substring", in order
	}{
		{"valid record", person, false, nil},
		{"syntax error", person + "<a> <b> .\n", false, []string{"3: N-Quads syntax"}},
		{"no label", person + id + `person/p> <http://schema.org/jobTitle> "x" .` + "\n", false, []string{"3: no source label"}},
		{"unknown predicate", person + id + `person/p> ` + ns + `nickname> "x"` + src + "\n", false, []string{"3: unknown predicate"}},
		{"unknown class", id + `x/y> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ` + ns + `Planet>` + src + "\n", false, []string{"1: unknown class"}},
		{"literal where IRI expected", person + id + `person/p> <http://schema.org/affiliation> "ACME"` + src + "\n", false, []string{"3: affiliation expects an IRI"}},
		{"malformed date", person + id + `a/1> ` + ns + `date> "2023-13"` + src + "\n", false, []string{"3: malformed date"}},
		{"malformed number", person + id + `o/1> ` + ns + `value> "5,4"` + src + "\n", false, []string{"3: malformed number"}},
		{"bad enum", person + id + `a/1> ` + ns + `datePrecision> "week"` + src + "\n", false, []string{"3: is not one of"}},
		{
			"appointment without person",
			id + `a/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ` + ns + `Appointment>` + src + "\n" +
				id + `a/1> ` + ns + `toPlace> ` + id + `place/x>` + src + "\n" +
				id + `a/1> ` + ns + `toPost> ` + id + `post/x>` + src + "\n" +
				id + `a/1> ` + ns + `datePrecision> "unknown"` + src + "\n",
			false, []string{"1: Appointment <https://rustbelt.dev/id/a/1> has no person"},
		},
		{
			"date does not fit its precision",
			id + `e/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ` + ns + `Event>` + src + "\n" +
				id + `e/1> <http://schema.org/name> "E"` + src + "\n" +
				id + `e/1> ` + ns + `date> "2023"` + src + "\n" +
				id + `e/1> ` + ns + `datePrecision> "month"` + src + "\n",
			false, []string{"1: has datePrecision month but date \"2023\""},
		},
		{
			"several problems, all reported",
			person + "garbage\n" + id + `person/p> ` + ns + `nickname> "x"` + src + "\n" + id + `a/1> ` + ns + `date> "soon"` + src + "\n",
			false, []string{"3: N-Quads syntax", "4: unknown predicate", "5: malformed date"},
		},
		{"a tenure with unknown bounds", tenure(), false, nil},
		{"a tenure with its bounds", tenure(`start> "2021-03"`, `startPrecision> "month"`, `end> "2023"`, `endPrecision> "year"`), false, nil},
		{
			"tenure without post",
			id + `t/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ` + ns + `Tenure>` + src + "\n" +
				id + `t/1> ` + ns + `person> ` + id + `person/p>` + src + "\n",
			false, []string{"1: Tenure <https://rustbelt.dev/id/t/1> has no post"},
		},
		{"bound without precision", tenure(`start> "2021"`), false, []string{`1: has start "2021" but no startPrecision`}},
		{"precision without bound", tenure(`endPrecision> "day"`), false, []string{"1: has endPrecision day but no end"}},
		{"bound finer than its precision", tenure(`end> "2023-10"`, `endPrecision> "year"`), false, []string{`1: has endPrecision year but end "2023-10"`}},
		{"bound precision not a tenure's", tenure(`start> "2024-12-01"`, `startPrecision> "reported"`), false, []string{"1: has start", `5: startPrecision: "reported" is not one of day, month, year`}},
		{"ends before it starts", tenure(`start> "2023-10"`, `startPrecision> "month"`, `end> "2022"`, `endPrecision> "year"`), false, []string{"1: ends (2022) before it starts (2023-10)"}},
		{"a year's end may follow a month's start in it", tenure(`start> "2023-10"`, `startPrecision> "month"`, `end> "2023"`, `endPrecision> "year"`), false, nil},
		{"foreign quads pass", "<ex:a> <ex:knows> <ex:b> .\n<ex:a> <ex:age> \"x\" <ex:g> .\n", false, nil},
		{"foreign quads fail --strict", "<ex:a> <ex:knows> <ex:b> .\n", true, []string{"1: not in the rustbelt vocabulary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validate(t, tt.input, tt.strict)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				line, sub, _ := strings.Cut(w, ": ")
				if !strings.HasPrefix(got[i].Error(), "in.nq:"+line+": ") || !strings.Contains(got[i].Msg, sub) {
					t.Errorf("problem %d = %q, want line %s containing %q", i, got[i].Error(), line, sub)
				}
			}
		})
	}
}

// tenure is a valid tenure with unknown bounds, and the lines of its
// record given as "predicate> object".
func tenure(lines ...string) string {
	out := id + `t/1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ` + ns + `Tenure>` + src + "\n" +
		id + `t/1> ` + ns + `person> ` + id + `person/p>` + src + "\n" +
		id + `t/1> ` + ns + `post> ` + id + `post/x>` + src + "\n"
	for _, l := range lines {
		out += id + `t/1> ` + ns + l + src + "\n"
	}
	return out
}

func TestDatesAndNumbers(t *testing.T) {
	dates := map[string]bool{"2023": true, "2023-10": true, "2024-02-29": true, "2023-13": false, "23": false, "2023-1": false, "2023-10-32": false, "": false, "2023-10-01T00:00": false}
	for in, want := range dates {
		if got := schema.ValidDate(in); got != want {
			t.Errorf("ValidDate(%q) = %v, want %v", in, got, want)
		}
	}
	numbers := map[string]bool{"5.4": true, "-11000000": true, "0": true, "3e9": false, "5,4": false, "NaN": false, "Inf": false, "": false, " 5": false, "1_000": false}
	for in, want := range numbers {
		if got := schema.ValidNumber(in); got != want {
			t.Errorf("ValidNumber(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestSeedsValidateStrictly holds the curated dataset to the whole
// vocabulary: every quad labelled with the one source that the file
// describes, or with an inference the file describes as drawn from it.
func TestSeedsValidateStrictly(t *testing.T) {
	v := schema.NewValidator(true)
	var all schema.Problems
	for _, name := range seeds.Names() {
		f, err := seeds.FS().Open(name)
		if err != nil {
			t.Fatal(err)
		}
		labels := map[quad.Value]bool{}
		described := map[quad.Value]bool{}
		inferredFrom := map[quad.Value]quad.Value{} // inference → its source
		syntax, err := schema.ScanNQuads(f, name, func(p schema.Pos, q quad.Quad) error {
			v.Check(p, q)
			labels[q.Label] = true
			if q.Predicate == schema.Type && q.Object == schema.Source.IRI() {
				described[q.Subject] = true
			}
			if q.Predicate == schema.InferredFrom {
				inferredFrom[q.Subject] = q.Object
			}
			return nil
		})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, syntax...)
		sources := 0
		for l := range labels {
			switch src, ok := inferredFrom[l]; {
			case described[l]:
				sources++
			case !ok:
				t.Errorf("%s: label %v is neither a Source nor an inference described in the file", name, l)
			case !described[src] || !labels[src]:
				t.Errorf("%s: inference %v is drawn from %v, not from the file's source", name, l, src)
			}
		}
		if sources != 1 {
			t.Errorf("%s: quads carry %d source labels, want exactly one", name, sources)
		}
	}
	all = append(all, v.Problems()...)
	for _, p := range all {
		t.Error(p)
	}
	if _, err := fs.Stat(seeds.FS(), seeds.Names()[0]); err != nil || len(seeds.Names()) != 5 {
		t.Errorf("want the 5 source files embedded, got %v", seeds.Names())
	}
}

// TestVocabularyFitsTheValidatorBits guards the validator's record of each
// subject, which keeps predicates as bits of a predSet (128) and classes as
// bits of a uint64.
func TestVocabularyFitsTheValidatorBits(t *testing.T) {
	if len(schema.Predicates) > 128 || len(schema.Classes) > 64 {
		t.Fatalf("%d predicates and %d classes: the validator's record (record.has, record.classes) holds 128 and 64", len(schema.Predicates), len(schema.Classes))
	}
}
