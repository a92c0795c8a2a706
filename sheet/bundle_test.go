package sheet

import (
	"context"
	"encoding/json"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/rustbelt/rustbelt/graph"
	"github.com/rustbelt/rustbelt/internal/storetest"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/seeds"
	"github.com/rustbelt/rustbelt/store"
)

// bundledSheets parses the bundled sheets and compiles them as the embedded
// dataset is compiled.
func bundledSheets(t *testing.T) ([]*Sheet, []*Result) {
	t.Helper()
	var sheets []*Sheet
	for _, name := range seeds.Sheets() {
		data, err := fs.ReadFile(seeds.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		sh, problems := Parse(name, data)
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		sheets = append(sheets, sh)
	}
	results, problems, err := Compile(context.Background(), nil, sheets)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	return sheets, results
}

// TestTheSeededGraphSaysWhatTheSheetsSay reads every entry of every bundled
// sheet back from a seeded store through the graph's own questions: each
// key's value is a fact of the entry's card (rustbelt show) from the
// sheet's source, and each appointment, investment and figure is a row of
// its command, as the sheet writes it.
func TestTheSeededGraphSaysWhatTheSheetsSay(t *testing.T) {
	sheets, results := bundledSheets(t)
	storetest.ForEachBackend(t, func(t *testing.T, s *store.Store) {
		g := graph.New(s)
		for i, sh := range sheets {
			res := results[i]
			entries := []*entry{sh.source}
			for _, sec := range sections {
				entries = append(entries, sh.entries[sec]...)
			}
			for _, e := range entries {
				id := schema.ShortID(res.ids[e.node])
				card, _, err := g.Card(context.Background(), id)
				if err != nil {
					t.Fatalf("%s: %s: %v", sh.File, id, err)
				}
				checkCard(t, sh.File, res, e, card)
				checkRow(t, g, sh.File, res, e, id)
			}
		}
	})
}

// checkCard finds every value of an entry among its card's facts, cited
// with the sheet's source.
func checkCard(t *testing.T, file string, res *Result, e *entry, card *graph.Card) {
	t.Helper()
	source := schema.ShortID(res.Source)
	if name := e.value(e.sec.name); name != "" && name != card.Name && !slices.Contains(card.Aliases, name) {
		t.Errorf("%s: %s is named %q, not %q", file, card.ID, card.Name, name)
	}
	// A fact is cited with the sheet's source, or, where the sheet marks it
	// inferred, with an inference from that source: never as the source's
	// own statement.
	var inferred bool
	has := func(pred quad.IRI, value, valueID string) bool {
		return slices.ContainsFunc(card.Facts, func(f graph.CardFact) bool {
			return f.Predicate == schema.Short(pred) && (valueID != "" && f.ValueID == valueID || valueID == "" && f.Value == value) &&
				slices.ContainsFunc(f.Sources, func(s graph.SourceRef) bool {
					if inferred {
						return s.InferredFrom != nil && s.InferredFrom.ID == source && s.Inference != ""
					}
					return s.ID == source && s.InferredFrom == nil
				})
		})
	}
	for _, f := range e.sec.fields {
		for _, n := range items(e.vals[f.key]) {
			inferred = e.value(inferredKey) != "" || readRef(n).reason != ""
			switch {
			case f.pred == schema.AlternateName: // a card lists aliases apart, without sources
				if !slices.Contains(card.Aliases, n.Value) {
					t.Errorf("%s:%d: %s has no alias %q", file, n.Line, card.ID, n.Value)
				}
			case f.kind == ref:
				if id := schema.ShortID(res.resolved[n]); !has(f.pred, "", id) {
					t.Errorf("%s:%d: %s %s: the graph lacks %s %s from %s", file, n.Line, card.ID, f.key, schema.Short(f.pred), id, source)
				}
			case f.kind == literal:
				if !has(f.pred, n.Value, "") {
					t.Errorf("%s:%d: %s %s: the graph lacks %s %q from %s", file, n.Line, card.ID, f.key, schema.Short(f.pred), n.Value, source)
				}
			default:
				d, _ := parseWhen(n.Value)
				date, pred := d.date, schema.Date
				if f.kind == published {
					date, pred = n.Value, schema.DatePublished
					d.precision, _ = schema.PrecisionOf(n.Value)
					if n.Value == undated {
						date, d.precision = "", schema.PrecisionUnknown
					}
				}
				if date != "" && !has(pred, date, "") || !has(schema.DatePrec, d.precision, "") {
					t.Errorf("%s:%d: %s: the graph lacks the date %s", file, n.Line, card.ID, n.Value)
				}
			}
		}
	}
}

// checkRow finds an appointment, investment or figure among its command's
// rows, the fields as the sheet writes them.
func checkRow(t *testing.T, g *graph.Graph, file string, res *Result, e *entry, id string) {
	t.Helper()
	ctx := context.Background()
	name := func(key string) string {
		var names []string
		for _, n := range items(e.vals[key]) {
			if r := readRef(n); r.name != "" {
				names = append(names, r.name)
			}
		}
		return strings.Join(names, "; ")
	}
	var rows any
	var err error
	var want map[string]string
	switch e.sec.class {
	case schema.Appointment:
		rows, _, err = g.Appointments(ctx, graph.AppointmentFilter{Person: name("person")})
		want = map[string]string{"id": id, "person": name("person"), "from_post": name("from_post"), "from_place": name("from_place"),
			"to_post": name("to_post"), "to_place": name("to_place"), "date": e.value("date"), "kind": e.value("kind")}
	case schema.Investment:
		rows, _, err = g.Investments(ctx, graph.InvestmentFilter{Company: schema.ShortID(res.resolved[e.vals["company"]])})
		want = map[string]string{"id": id, "company": name("company"), "place": name("place"), "amount": e.value("amount"),
			"currency": e.value("currency"), "amount_converted": e.value("amount_converted"), "converted_currency": e.value("converted_currency"), "date": e.value("date")}
	case schema.Observation:
		f := graph.IndicatorFilter{Indicator: schema.ShortID(res.resolved[e.vals["indicator"]]), Period: e.value("period")}
		if about := schema.ShortID(res.resolved[e.vals["place"]]); strings.HasPrefix(about, "place/") {
			f.Places = []string{about}
		}
		rows, _, err = g.Indicators(ctx, f)
		want = map[string]string{"period": e.value("period"), "value": e.value("value"), "value_text": e.value("value_text"), "unit": e.value("unit")}
	default:
		return
	}
	if err != nil {
		t.Fatalf("%s: %s: %v", file, id, err)
	}
	data, _ := json.Marshal(rows)
	var list []map[string]any
	json.Unmarshal(data, &list)
	for _, row := range list {
		if ids, ok := row["ids"].([]any); ok && !slices.Contains(ids, any(id)) || row["id"] != nil && row["id"] != id {
			continue
		}
		for k, v := range want {
			if got := jsonText(row[k]); v != "" && got != v {
				t.Errorf("%s:%d: %s: %s is %q in the row, %q in the sheet", file, e.node.Line, id, k, got, v)
			}
		}
		return
	}
	t.Errorf("%s:%d: no row of %s", file, e.node.Line, id)
}

// jsonText writes a decoded JSON value as a sheet writes it.
func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
