package server

import (
	"html"
	"net/http"

	"github.com/rustbelt/rustbelt/server/web"
)

// pagePolicy keeps the page to its own files: scripts, styles, images and
// API calls come from this server only.
const pagePolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// page serves the embedded web page, or, in a binary built before the page
// was, a short page that says how to build it.
func (s *Server) page() http.HandlerFunc {
	assets, built := web.Assets()
	files := http.FileServerFS(assets)
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pagePolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		if built {
			files.ServeHTTP(w, r)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("<!doctype html><title>rustbelt: page not built</title>" +
			"<h1>The web page is not built into this binary</h1>" +
			"<p>Build it with <code>" + html.EscapeString(web.BuildHint) + "</code>.</p>" +
			"<p>The API works without it: see <code>/api/search?q=Cao+Lubao</code>.</p>\n"))
	}
}
