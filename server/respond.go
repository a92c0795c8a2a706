package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strconv"

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
func statusOf(err error) (int, string) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "too_large"
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
	}
	return http.StatusInternalServerError, "internal"
}

// fail answers err as JSON. Internal errors are logged in full and
// answered without detail, which may name files and hosts of the server.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code := statusOf(err)
	body := errorBody{Error: err.Error(), Code: code}
	var ge *fail.Error
	if errors.As(err, &ge) {
		body.Candidates = ge.Candidates
	}
	switch {
	case status == http.StatusInternalServerError:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = "internal error; the server log has the details"
	case status == http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", "2")
	}
	s.writeJSON(w, r, status, body)
}

// writeJSON writes v as JSON; a nil slice is written as [] so that clients
// never see null for "no rows". The JSON is compact, as Cayley's, unless the
// request asks for ?pretty=true: indenting costs eight times the encoding
// (68 ms against 8 ms for a region's 6,672 appointments).
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.IsNil() {
		v = []any{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
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

// writeNotes adds the notes to the response headers.
func writeNotes(w http.ResponseWriter, notes graph.Notes) {
	for _, n := range notes {
		w.Header().Add(noteHeader, n)
	}
}
