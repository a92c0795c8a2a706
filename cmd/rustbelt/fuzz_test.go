package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParamFlag runs `rustbelt query --param ARG` with arbitrary arguments:
// KEY=VALUE reaches the query as exactly that key and value, and anything
// else is a usage error; nothing crashes and nothing is run as code.
func FuzzParamFlag(f *testing.F) {
	for _, s := range []string{"place=Jilin", "name=Cao Lubao\"); g.Emit(\"pwned", "x=a=b", "=v", "novalue", "k=", "k=\n<a> <b> <c> .", "k=\\\"", "--param=x", "k=-e"} {
		f.Add(s)
	}
	db := filepath.Join(f.TempDir(), "fuzz.bolt")
	if r := run(&testing.T{}, "", "--db", db, "stats"); r.code != 0 {
		f.Fatalf("create store: %s", r.stderr)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		r := run(t, "", "--db", db, "query", "-e", `for (var k in params) g.Emit([k, params[k]])`, "--param="+arg)
		key, value, ok := strings.Cut(arg, "=")
		if !ok || key == "" {
			if r.code != exitUsage {
				t.Fatalf("--param=%q: exit %d, want %d; stderr %q", arg, r.code, exitUsage, r.stderr)
			}
			return
		}
		if r.code != 0 {
			t.Fatalf("--param=%q: exit %d; stderr %q", arg, r.code, r.stderr)
		}
		var out struct{ Result [][2]string }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("--param=%q: output is not JSON: %v\n%s", arg, err, r.stdout)
		}
		if !utf8.ValidString(arg) {
			return // JavaScript and Go replace invalid bytes in their own ways
		}
		if len(out.Result) != 1 || out.Result[0] != [2]string{key, value} {
			t.Fatalf("--param=%q reached the query as %q", arg, out.Result)
		}
	})
}
