package store_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/store"
)

// TestJSONLDLoadFetchesNothing loads JSON-LD documents that name a context
// on a server of the test's own, in every way JSON-LD can name one: each
// load must fail with an Invalid error, and the server must see no request.
// A load that fetched would wait on the network without a time limit, and
// reach whatever address a file names.
func TestJSONLDLoadFetchesNothing(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/ld+json")
		fmt.Fprint(w, `{"@context": {"name": "http://schema.org/name"}}`)
	}))
	defer srv.Close()
	ctx := srv.URL + "/context.jsonld"
	for _, tc := range []struct{ name, doc string }{
		{"context", `{"@context": %q, "@id": "http://example.org/a", "name": "A"}`},
		{"context list", `{"@context": [{"ex": "http://example.org/"}, %q], "@id": "http://example.org/a", "name": "A"}`},
		{"nested context", `{"@graph": [{"@context": %q, "@id": "http://example.org/a", "name": "A"}]}`},
		{"scoped context", `{"@context": {"p": {"@id": "http://example.org/p", "@context": %q}}, "@id": "http://example.org/a", "p": {"name": "A"}}`},
		{"import", `{"@context": {"@version": 1.1, "@import": %q}, "@id": "http://example.org/a", "name": "A"}`},
		{"nested import", `{"@context": {"@version": 1.1, "ex": "http://example.org/"}, "@id": "ex:a", "ex:p": {"@context": {"@import": %q}, "name": "A"}}`},
		{"scoped import", `{"@context": {"@version": 1.1, "p": {"@id": "http://example.org/p", "@context": {"@import": %q}}}, "@id": "http://example.org/a", "p": {"name": "A"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := requests.Load()
			s := mustOpen(t, "memory:", store.Options{NoSeed: true})
			in := stringInput("remote.jsonld", fmt.Sprintf(tc.doc, ctx))
			in.Format = "jsonld"
			_, err := s.Load(context.Background(), []store.Input{in}, store.LoadOptions{})
			if n := requests.Load() - before; n > 0 {
				t.Errorf("the load sent %d requests for the remote context", n)
			}
			if fail.CodeOf(err) != fail.Invalid {
				t.Errorf("load: %v, want an Invalid error", err)
			}
		})
	}
}
