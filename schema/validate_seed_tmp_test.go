package schema_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/rustbelt/rustbelt/schema"
)

func TestTmpSeeds(t *testing.T) {
	files, _ := filepath.Glob("../seeds/*.nq")
	v := schema.NewValidator(true)
	for _, f := range files {
		r, _ := os.Open(f)
		ps, err := schema.ScanNQuads(r, f, func(p schema.Pos, q quad.Quad) error { v.Check(p, q); return nil })
		if err != nil || len(ps) > 0 {
			t.Fatal(err, ps)
		}
	}
	if ps := v.Problems(); len(ps) > 0 {
		t.Fatal(ps)
	}
}
