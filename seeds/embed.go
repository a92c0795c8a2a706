// Package seeds holds the curated dataset: one N-Quads file per source
// article, each quad labelled with the IRI of the source it comes from.
package seeds

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed *.nq
var files embed.FS

// FS returns the dataset's files.
func FS() fs.FS { return files }

// Names lists the dataset's files in load order.
func Names() []string {
	matches, _ := fs.Glob(files, "*.nq") // the pattern is constant, so no error
	sort.Strings(matches)
	return matches
}
