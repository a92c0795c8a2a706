package seeds_test

import (
	"bytes"
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/seeds"
	"github.com/rustbelt/rustbelt/seeds/internal/bundle"
)

// TestTheEmbeddedQuadsAreCompiledFromTheSheets fails while a sheet and the
// N-Quads a new store loads differ: after editing a sheet, run
// go generate ./seeds.
func TestTheEmbeddedQuadsAreCompiledFromTheSheets(t *testing.T) {
	compiled, err := bundle.Compile(context.Background(), seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range compiled {
		names = append(names, name)
	}
	slices.Sort(names)
	if !slices.Equal(names, seeds.Names()) || len(names) != len(seeds.Sheets()) {
		t.Fatalf("the sheets %v compile to %v, but %v are embedded", seeds.Sheets(), names, seeds.Names())
	}
	for _, name := range names {
		embedded, err := fs.ReadFile(seeds.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(embedded, compiled[name]) {
			t.Errorf("%s is not what %s compiles to: run go generate ./seeds", name, strings.TrimSuffix(name, ".nq")+".yaml")
		}
	}
}
