// Package queries holds named Gizmo queries, one commented .js file each,
// that users can read, copy and run with `rustbelt query NAME --param k=v`.
// The first line of each file is a // comment describing it. It holds too
// the Wikidata SPARQL query whose results `rustbelt import wikidata` reads.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.js
var files embed.FS

// WikidataCareers is the SPARQL query whose JSON results `rustbelt import
// wikidata` reads: the positions people held, with the variables it names.
//
//go:embed wikidata-careers.rq
var WikidataCareers string

// Query is one named query.
type Query struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Text        string `json:"text" table:"-"`
}

// List returns every named query, sorted by name.
func List() []Query {
	names, _ := fs.Glob(files, "*.js") // constant pattern: no error
	sort.Strings(names)
	out := make([]Query, 0, len(names))
	for _, n := range names {
		q, _ := Get(strings.TrimSuffix(n, ".js"))
		out = append(out, q)
	}
	return out
}

// Get returns the query called name (without .js).
func Get(name string) (Query, error) {
	b, err := files.ReadFile(name + ".js")
	if err != nil {
		return Query{}, fmt.Errorf("no named query %q (see query --list)", name)
	}
	text := string(b)
	first, _, _ := strings.Cut(text, "\n")
	return Query{Name: name, Description: strings.TrimSpace(strings.TrimPrefix(first, "//")), Text: text}, nil
}
