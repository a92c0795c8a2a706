package importer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SPARQLVars are the variables of the Wikidata query in queries/ that the
// import reads from its results; the others may be left out of a query of
// one's own, but person, statement and position must be there.
var SPARQLVars = []string{
	"person", "personLabel", "personRevision", "personModified", "statement",
	"position", "positionLabel", "jurisdiction", "jurisdictionLabel",
	"start", "startPrecision", "end", "endPrecision",
	"predecessor", "predecessorLabel", "successor", "successorLabel",
}

// sparqlResults is the W3C SPARQL 1.1 JSON results format.
type sparqlResults struct {
	Head struct {
		Vars []string `json:"vars"`
	} `json:"head"`
	Results struct {
		Bindings []map[string]sparqlValue `json:"bindings"`
	} `json:"results"`
}

type sparqlValue struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// readSPARQL reads the results of the Wikidata query: a row per position
// held (or more, when a statement has several of a qualifier), grouped
// back into items by person and statement.
func readSPARQL(name string, data []byte) ([]*item, error) {
	var res sparqlResults
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("SPARQL JSON results: %v", err)
	}
	for _, need := range []string{"person", "statement", "position"} {
		if !slices.Contains(res.Head.Vars, need) {
			return nil, fmt.Errorf("the results have no variable %q: run the query in queries/wikidata-careers.rq, which gives %s", need, strings.Join(SPARQLVars, ", "))
		}
	}
	items := map[string]*item{}
	var order []string
	get := func(id string, line int) *item {
		it, ok := items[id]
		if !ok {
			it = &item{id: id, file: name, line: line, fromSPARQL: true}
			items[id] = it
			order = append(order, id)
		}
		return it
	}
	// label keeps a label; Wikidata's label service gives the id itself
	// for an item with no English label, which is no label.
	label := func(it *item, b map[string]sparqlValue, v string) {
		if l := b[v].Value; l != "" && l != it.id && it.label == "" {
			it.label = l
		}
	}
	statements := map[string]int{} // statement → index in its person's held
	for i, b := range res.Results.Bindings {
		person, position := itemID(b["person"]), itemID(b["position"])
		if person == "" || position == "" {
			return nil, fmt.Errorf("result row %d has no person or position item", i+1)
		}
		stmt := b["statement"].Value
		line := lineOf(data, stmt)
		if stmt == "" {
			stmt, line = fmt.Sprintf("row %d", i+1), 1
		}
		p := get(person, line)
		label(p, b, "personLabel")
		if rev := b["personRevision"].Value; rev != "" {
			p.revision = rev
		}
		if day := dayOf(b["personModified"].Value); day != "" {
			p.modified = day
		}
		pos := get(position, line)
		label(pos, b, "positionLabel")
		if j := itemID(b["jurisdiction"]); j != "" {
			if !slices.Contains(pos.juris, j) {
				pos.juris = append(pos.juris, j)
			}
			label(get(j, line), b, "jurisdictionLabel")
		}
		k, seen := statements[stmt]
		if !seen {
			k = len(p.held)
			statements[stmt] = k
			p.held = append(p.held, held{id: stmt, position: position, line: line})
		}
		h := &p.held[k]
		if h.start.value == "" {
			h.start = sparqlTime(b["start"], b["startPrecision"])
		}
		if h.end.value == "" {
			h.end = sparqlTime(b["end"], b["endPrecision"])
		}
		for _, n := range []struct {
			v    string
			list *[]string
		}{{"predecessor", &h.replaces}, {"successor", &h.replacedBy}} {
			if id := itemID(b[n.v]); id != "" {
				if !slices.Contains(*n.list, id) {
					*n.list = append(*n.list, id)
				}
				label(get(id, line), b, n.v+"Label")
			}
		}
	}
	out := make([]*item, 0, len(order))
	for _, id := range order {
		out = append(out, items[id])
	}
	return out, nil
}

// itemID is the item an IRI result names, or "".
func itemID(v sparqlValue) string {
	if v.Type != "uri" || !strings.HasPrefix(v.Value, EntityBase) {
		return ""
	}
	return strings.TrimPrefix(v.Value, EntityBase)
}

// sparqlTime is a time result with its precision, in the form entity JSON
// writes times.
func sparqlTime(v, prec sparqlValue) wdTime {
	if v.Value == "" {
		return wdTime{}
	}
	p, _ := strconv.Atoi(prec.Value) // none: precision 0, which no bound keeps
	value := v.Value
	if !strings.HasPrefix(value, "-") && !strings.HasPrefix(value, "+") {
		value = "+" + value
	}
	return wdTime{value: value, precision: p}
}
