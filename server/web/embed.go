// Package web holds the page that rustbelt serve shows at /: its sources
// are in src/, built with npm from the lock file (see build.mjs) into dist/,
// which is committed and embedded into the binary, so that go build and
// go install ship the page without Node. The build is byte-reproducible, and
// scripts/deps/40-web.sh (run by scripts/test.sh) fails when dist/ is not
// what src/ and package-lock.json build; BuildHint says how to rebuild it.
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// BuildHint tells how to rebuild the page into dist/, for a server
// without it or a dist/ that is stale.
const BuildHint = "npm --prefix server/web ci && npm --prefix server/web run build, then rebuild rustbelt"

// Assets returns the built page's files, rooted at index.html, and whether
// index.html is among them (it is, since dist/ is committed, unless dist/
// was changed by hand).
func Assets() (fs.FS, bool) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, false
	}
	_, err = fs.Stat(sub, "index.html")
	return sub, err == nil
}
