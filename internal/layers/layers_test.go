// Package layers_test checks that imports point one way, as ARCHITECTURE.md
// draws them: cmd → server → export → graph → schema → fail, with store
// and sheet beside graph and never importing it back. A
// package that reaches past its layer fails here with the path that does.
package layers_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/rustbelt/rustbelt/"

func TestImportsPointOneWay(t *testing.T) {
	tests := []struct {
		pkg       string
		forbidden []string // import path prefixes that may not be among its dependencies
	}{
		{"fail", []string{module}},
		{"schema", []string{module + "graph", module + "store", module + "export", module + "server", "github.com/cayleygraph/cayley"}},
		{"store", []string{module + "graph", module + "export", module + "server", module + "cmd"}},
		{"graph", []string{
			module + "store", module + "export", module + "server", module + "cmd",
			"github.com/cayleygraph/cayley", "github.com/boltdb/bolt", "github.com/lib/pq",
			"github.com/jackc/pgx", "github.com/dop251/goja",
		}},
		{"sheet", []string{module + "store", module + "export", module + "server", module + "cmd", "github.com/cayleygraph/cayley"}},
		{"importer", []string{module + "store", module + "export", module + "server", module + "cmd", "github.com/cayleygraph/cayley"}},
		{"export", []string{module + "store", module + "server", module + "cmd", "github.com/cayleygraph/cayley"}},
		{"server", []string{module + "cmd"}},
	}
	for _, tc := range tests {
		t.Run(tc.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", module+tc.pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list -deps %s: %v\n%s", tc.pkg, err, out)
			}
			for _, dep := range strings.Fields(string(out)) {
				if dep == module+tc.pkg {
					continue
				}
				for _, f := range tc.forbidden {
					if dep == strings.TrimSuffix(f, "/") || strings.HasPrefix(dep, f) {
						t.Errorf("%s depends on %s", tc.pkg, dep)
					}
				}
			}
		})
	}
}
