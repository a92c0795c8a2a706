package server

import (
	"net/http"

	"github.com/rustbelt/rustbelt/server/web"
)

// pagePolicy keeps the page to its own files: scripts, styles, images and
// API calls come from this server only.
const pagePolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// page serves the embedded web page.
func (s *Server) page() http.HandlerFunc {
	files := http.FileServerFS(web.Assets())
	return func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", pagePolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	}
}
