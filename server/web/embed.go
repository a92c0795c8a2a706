// Package web holds the page that rustbelt serve shows at /: its sources
// are in src/, built with npm (see build.mjs) into dist/, which is embedded
// into the binary. dist/ is not committed; on a fresh clone it holds only
// placeholder.txt, and Assets reports that the page is not built.
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// BuildHint tells how to build the page, for a server without it.
const BuildHint = "npm --prefix server/web ci && npm --prefix server/web run build, then rebuild rustbelt " +
	"(scripts/deps/40-web.sh does the first two)"

// Assets returns the built page's files, rooted at index.html, and whether
// the page has been built.
func Assets() (fs.FS, bool) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, false
	}
	_, err = fs.Stat(sub, "index.html")
	return sub, err == nil
}
