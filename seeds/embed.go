// Package seeds holds the curated dataset: one sheet per source article
// (NNN_….yaml, the files a curator edits; see docs/sheets.md), and the
// N-Quads compiled from it (NNN_….nq), each quad labelled with the IRI of
// the source it comes from. A new store loads the N-Quads.
package seeds

//go:generate go run ./internal/compile

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed *.nq *.yaml
var files embed.FS

// FS returns the dataset's files: the sheets and the N-Quads.
func FS() fs.FS { return files }

// Names lists the dataset's N-Quads files in load order.
func Names() []string {
	matches, _ := fs.Glob(files, "*.nq") // the pattern is constant, so no error
	sort.Strings(matches)
	return matches
}

// Sheets lists the dataset's sheets in the order they compile.
func Sheets() []string {
	matches, _ := fs.Glob(files, "*.yaml")
	sort.Strings(matches)
	return matches
}
