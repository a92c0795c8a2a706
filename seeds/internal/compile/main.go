// Command compile writes the bundled dataset's N-Quads from its sheets,
// beside them: go generate ./seeds runs it in that folder.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/rustbelt/rustbelt/seeds/internal/bundle"
)

func main() {
	files, err := bundle.Compile(context.Background(), os.DirFS("."))
	if err != nil {
		fmt.Fprintln(os.Stderr, "compile:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Clean(name), files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "compile:", err)
			os.Exit(1)
		}
	}
}
