package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/store"
)

// FuzzLoad loads arbitrary text, in each format the loader reads, into a
// store: a load either fails with an Invalid error and writes nothing, or
// adds exactly what it reports.
func FuzzLoad(f *testing.F) {
	f.Add(uint8(0), newFacts)
	f.Add(uint8(0), brokenFacts)
	f.Add(uint8(0), newFacts+"<https://rustbelt.dev/id/person/test-official> <https://rustbelt.dev/ns/date> \"2024-02-30\" <https://rustbelt.dev/id/source/test> .\n")
	f.Add(uint8(0), "<ex:a> <ex:b> \"multi\\nline \\\"quoted\\\" \\u0041\" <ex:g> .\n<ex:a> <ex:b> <ex:c> .\n<ex:a> <ex:b> <ex:c> .\n")
	f.Add(uint8(0), "<ex:a> <ex:b> .\n<ex:a <ex:b> <ex:c> .\n\x00\xff")
	f.Add(uint8(1), `{"@context": {"name": "http://schema.org/name"}, "@id": "https://rustbelt.dev/id/person/x", "name": "X"}`)
	f.Add(uint8(2), `[{"subject": "<a>", "predicate": "<b>", "object": "\"c\"", "label": "<g>"}]`)
	f.Add(uint8(3), "\x00\x01garbage")
	formats := append([]string{""}, store.InputFormats()...)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, format uint8, text string) {
		s, err := store.Open(ctx, "memory:", store.Options{NoSeed: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		in := stringInput("fuzz", text)
		in.Format = formats[int(format)%len(formats)]
		rep, err := s.Load(ctx, []store.Input{in}, store.LoadOptions{})
		after := quadCount(t, s)
		if err != nil {
			if fail.CodeOf(err) != fail.Invalid {
				t.Fatalf("%s load failed with %v, not an Invalid error", in.Format, err)
			}
			if after != 0 {
				t.Fatalf("a failed %s load left %d quads", in.Format, after)
			}
			return
		}
		if after != rep.Added || rep.Added+rep.Duplicates != rep.Read {
			t.Fatalf("%s load: report %+v, store holds %d quads", in.Format, rep, after)
		}
	})
}

var (
	fuzzStoreOnce sync.Once
	fuzzStore     *store.Store
	fuzzStoreErr  error
)

// seededMemory is one seeded memory store shared by the fuzz targets that
// only read, so that each input costs a lookup rather than a seeding.
func seededMemory(t testing.TB) *store.Store {
	fuzzStoreOnce.Do(func() {
		fuzzStore, fuzzStoreErr = store.Open(context.Background(), "memory:", store.Options{})
	})
	if fuzzStoreErr != nil {
		t.Fatal(fuzzStoreErr)
	}
	return fuzzStore
}

// FuzzQueryParams binds arbitrary keys and values as Gizmo parameters: the
// query sees each exactly as given (as JavaScript holds text: invalid UTF-8
// becomes U+FFFD), never as code.
func FuzzQueryParams(f *testing.F) {
	for _, kv := range [][2]string{{"place", "Jilin"}, {"name", `Cao Lubao"); g.Emit("pwned`}, {"x", "\\\"\n</script><script>alert(1)</script>"}, {"__proto__", "{}"}, {"constructor", "<a> <b> <c> ."}, {"", "empty key"}, {"k", "\xff\xfe"}} {
		f.Add(kv[0], kv[1])
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, key, value string) {
		s := seededMemory(t)
		res, err := s.Query(ctx, `for (var k in params) g.Emit({k: k, v: params[k]})`, store.QueryOptions{Params: map[string]string{key: value}})
		if err != nil {
			t.Fatalf("query with param %q=%q: %v", key, value, err)
		}
		want := map[string]any{"k": strings.ToValidUTF8(key, "\uFFFD"), "v": strings.ToValidUTF8(value, "\uFFFD")}
		if !utf8.ValidString(key) || !utf8.ValidString(value) {
			// Go and JavaScript may split invalid bytes into replacement
			// characters differently; compare the JSON the user would see.
			got, _ := json.Marshal(res.Result)
			if !utf8.Valid(got) {
				t.Fatalf("result is not valid UTF-8: %q", got)
			}
			return
		}
		if len(res.Result) != 1 {
			t.Fatalf("param %q=%q: %d results %v, want 1", key, value, len(res.Result), res.Result)
		}
		got, _ := res.Result[0].(map[string]any)
		if got["k"] != want["k"] || got["v"] != want["v"] {
			t.Fatalf("param %q=%q came back as %q=%q", key, value, got["k"], got["v"])
		}
	})
}
