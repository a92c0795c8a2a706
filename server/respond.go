package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/graph"
)

// noteHeader carries the remarks about how a question was read (which of
// several places named "Jilin" was taken), which the command line prints
// on stderr, so that the body keeps the command line's JSON shape.
const noteHeader = "X-Rustbelt-Note"

// errorBody is every error response, in Cayley's shape ({"error": "..."})
// with a machine-readable code and, for names, the entities meant.
type errorBody struct {
	Error      string         `json:"error"`
	Code       string         `json:"code"`
	Candidates []graph.Entity `json:"candidates,omitempty"`
}

// statusOf maps an error to its HTTP status and code. The choices that are
// not obvious:
//   - Ambiguous is 409 Conflict: the name is valid but fits several
//     entities; 300 Multiple Choices would invite clients to follow a
//     redirect that does not exist.
//   - Timeout is 504 Gateway Timeout: the store did not answer in time;
//     408 Request Timeout would say the client was too slow to send.
//   - A body over the limit is 413, whatever layer noticed it.
//   - A body that did not arrive within the read timeout is 408.
func statusOf(err error) (int, string) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "too_large"
	case errors.Is(err, errSlowBody):
		return http.StatusRequestTimeout, "request_timeout"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "timeout"
	}
	switch fail.CodeOf(err) {
	case fail.Invalid:
		return http.StatusBadRequest, "invalid"
	case fail.NotFound:
		return http.StatusNotFound, "not_found"
	case fail.Ambiguous:
		return http.StatusConflict, "ambiguous"
	case fail.Locked:
		return http.StatusServiceUnavailable, "locked"
	case fail.Timeout:
		return http.StatusGatewayTimeout, "timeout"
	case fail.Forbidden:
		return http.StatusForbidden, "forbidden"
	case fail.Busy:
		return http.StatusServiceUnavailable, "busy"
	}
	return http.StatusInternalServerError, "internal"
}

// Bounds on what an answer repeats of a request: an error message quotes
// names and query texts, notes quote names, and a request may send
// megabytes of them.
const (
	maxErrorBytes = 2 << 10 // an error message
	maxNotes      = 16      // distinct notes of one answer
	maxNoteBytes  = 256     // one note
)

// fail answers err as JSON, its message cut at maxErrorBytes. Internal
// errors are logged in full and answered without detail, which may name
// files and hosts of the server; a body too slow to arrive is the
// client's doing and logged as a warning.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code := statusOf(err)
	body := errorBody{Error: clip(err.Error(), maxErrorBytes), Code: code}
	var ge *fail.Error
	if errors.As(err, &ge) {
		body.Candidates = ge.Candidates
	}
	switch status {
	case http.StatusInternalServerError:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = "internal error; the server log has the details"
	case http.StatusRequestTimeout:
		s.log.Warn("request body too slow", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr, "err", err)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "2")
	}
	s.writeJSON(w, r, status, body)
}

// clip cuts s to at most max bytes, at a character boundary, saying how
// much was left out.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:cut], len(s)-cut)
}

// writeJSON writes v as JSON; a nil slice is written as [] so that clients
// never see null for "no rows". The JSON is compact, as Cayley's, unless the
// request asks for ?pretty=true: indenting costs eight times the encoding
// (68 ms against 8 ms for a region's 6,672 appointments).
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		v = []any{}
	}
	buf := answerBuffers.Get().(*bytes.Buffer)
	defer putAnswerBuffer(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if pretty, _ := strconv.ParseBool(r.URL.Query().Get("pretty")); pretty {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		s.log.Error("encode response", "method", r.Method, "path", r.URL.Path, "err", err)
		buf.Reset()
		buf.WriteString(`{"error": "internal error: cannot encode the answer", "code": "internal"}` + "\n")
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// answerBuffers keep the buffers answers are encoded into: a page of a
// hundred appointments is 50 KiB, and growing a new buffer to that for
// every request was an eighth of the request's time, and more of the
// collector's.
var answerBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putAnswerBuffer returns buf to the pool, unless one answer made it so
// large that keeping it would hold that memory for good.
func putAnswerBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		buf.Reset()
		answerBuffers.Put(buf)
	}
}

// writeNotes adds the notes to the response headers, each once, at most
// maxNotes of them, each cut at maxNoteBytes: a name repeated 5000 times
// makes one note, not 5000 headers. A last note says how many were left
// out.
func writeNotes(w http.ResponseWriter, notes graph.Notes) {
	seen := make(map[string]bool)
	shown, left := 0, 0
	for _, n := range notes {
		switch {
		case seen[n]:
			continue
		case shown == maxNotes:
			left++
		default:
			w.Header().Add(noteHeader, clip(n, maxNoteBytes))
			shown++
		}
		seen[n] = true
	}
	if left > 0 {
		w.Header().Add(noteHeader, fmt.Sprintf("%d more notes left out", left))
	}
}
