package server

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/schema"
	"github.com/rustbelt/rustbelt/store"
)

// Cayley's write endpoints. They are off unless the server has a write
// token (serve --writable), and then take only requests that bear it:
// otherwise anyone who reaches the port could rewrite the graph.

// writeV2 answers Cayley's POST /api/v2/write: the body holds quads, as
// N-Quads or, with Content-Type application/json, Cayley's JSON quad array.
// They are validated as `rustbelt load` validates them and added in one
// atomic step: a body with any problem writes nothing.
func (s *Server) writeV2(w http.ResponseWriter, r *http.Request) {
	s.changeQuads(w, r, "", s.addQuads)
}

// deleteV2 answers Cayley's POST /api/v2/delete: the body's quads, read as
// writeV2 reads them, are removed in one atomic step.
func (s *Server) deleteV2(w http.ResponseWriter, r *http.Request) {
	s.changeQuads(w, r, "", s.deleteQuads)
}

// writeV1 and deleteV1 answer Cayley's older POST /api/v1/write and
// /api/v1/delete, whose body is always the JSON quad array.
func (s *Server) writeV1(w http.ResponseWriter, r *http.Request) {
	s.changeQuads(w, r, "json", s.addQuads)
}

func (s *Server) deleteV1(w http.ResponseWriter, r *http.Request) {
	s.changeQuads(w, r, "json", s.deleteQuads)
}

// changeQuads checks the token, reads the body as quads in format (from the
// Content-Type when empty) and answers what change made of them.
func (s *Server) changeQuads(w http.ResponseWriter, r *http.Request, format string, change func(*http.Request, store.Input) (any, error)) {
	if err := s.authorizeWrite(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := readParams(r); err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.bodyInput(r, format)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	answer, err := change(r, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, answer)
}

// writeAnswer is Cayley's answer to a write, with what rustbelt counts.
type writeAnswer struct {
	Result     string `json:"result"`
	Count      int64  `json:"count"`
	Added      int64  `json:"added"`
	Duplicates int64  `json:"duplicates"`
}

func (s *Server) addQuads(r *http.Request, in store.Input) (any, error) {
	rep, err := s.store.Load(r.Context(), []store.Input{in}, store.LoadOptions{})
	if err != nil {
		return nil, err
	}
	return writeAnswer{
		Result: fmt.Sprintf("Successfully wrote %d quads.", rep.Read),
		Count:  rep.Read, Added: rep.Added, Duplicates: rep.Duplicates,
	}, nil
}

// deleteAnswer is Cayley's answer to a delete, with what rustbelt counts.
type deleteAnswer struct {
	Result  string `json:"result"`
	Count   int64  `json:"count"`
	Deleted int64  `json:"deleted"`
	Missing int64  `json:"missing"`
}

func (s *Server) deleteQuads(r *http.Request, in store.Input) (any, error) {
	rep, err := s.store.Delete(r.Context(), []store.Input{in})
	if err != nil {
		return nil, err
	}
	return deleteAnswer{
		Result: fmt.Sprintf("Successfully deleted %d quads.", rep.Read),
		Count:  rep.Read, Deleted: rep.Deleted, Missing: rep.Missing,
	}, nil
}

// authorizeWrite lets a write through only when the server takes writes
// and the request bears its token.
func (s *Server) authorizeWrite(r *http.Request) error {
	if s.store.Replica() {
		return &fail.Error{Code: fail.Forbidden, Msg: "this server reads a PostgreSQL streaming replica, which takes no writes: send them to a server on the primary"}
	}
	if s.cfg.WriteToken == "" {
		return &fail.Error{Code: fail.Forbidden, Msg: "this server takes no writes; start it with rustbelt serve --writable"}
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.WriteToken)) != 1 {
		return &fail.Error{Code: fail.Forbidden, Msg: "writes need the server's token: send Authorization: Bearer TOKEN"}
	}
	return nil
}

// bodyInput reads the request body, within the server's body limit, as an
// input in format, or else in the format its Content-Type names: Cayley's
// JSON quads for the JSON types, N-Quads for any other, as Cayley reads them
// (curl sends application/x-www-form-urlencoded). JSON-LD is refused: reading
// it may fetch remote contexts, which a server should not do on request.
func (s *Server) bodyInput(r *http.Request, format string) (store.Input, error) {
	if format == "" {
		ct := r.Header.Get("Content-Type")
		mt, _, _ := mime.ParseMediaType(ct)
		switch mt {
		case "application/json":
			format = "json"
		case "application/x-json-stream":
			format = "json-stream"
		case "application/ld+json":
			return store.Input{}, &fail.Error{Code: fail.Invalid, Msg: "JSON-LD is not taken over HTTP: send N-Quads or Cayley's JSON quads (application/json), or load it with rustbelt load"}
		default:
			format = schema.NQuads
		}
	}
	body, err := s.readBody(r)
	if err != nil {
		return store.Input{}, fmt.Errorf("read quads: %w", err)
	}
	return store.Input{Name: "request body", Format: format, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(body)), nil
	}}, nil
}
