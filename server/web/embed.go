// Package web holds the page that rustbelt serve shows at /: its sources
// are in src/, built with npm from the lock file (see build.mjs) into dist/,
// which is committed and embedded into the binary, so that go build and
// go install ship the page without Node. The build is byte-reproducible, and
// scripts/deps/40-web.sh (run by scripts/test.sh) fails when dist/ is not
// what src/ and package-lock.json build. Rebuild it with
//
//	npm --prefix server/web ci && npm --prefix server/web run build
package web

import (
	"embed"
	"io/fs"
)

//go:embed dist
var dist embed.FS

// Assets returns the built page's files, rooted at index.html.
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // "dist" is a valid path and is embedded: fs.Sub cannot fail
	}
	return sub
}
