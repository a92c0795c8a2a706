package graph_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// personFacts is n valid quads (n even, at least 2) under one new source:
// the source's type and name, then people with a type and a name each.
func personFacts(tag string, n int) string {
	var b strings.Builder
	src := "<https://rustbelt.dev/id/source/" + tag + ">"
	fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Source> %s .\n", src, src)
	fmt.Fprintf(&b, "%s <http://schema.org/name> \"Generated source %s\" %s .\n", src, tag, src)
	for i := 0; i < n/2-1; i++ {
		p := fmt.Sprintf("<https://rustbelt.dev/id/person/%s-%d>", tag, i)
		fmt.Fprintf(&b, "%s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://rustbelt.dev/ns/Person> %s .\n", p, src)
		fmt.Fprintf(&b, "%s <http://schema.org/name> \"Person %s %d\" %s .\n", p, tag, i, src)
	}
	return b.String()
}

// writeTemp writes content to name in a new temporary folder.
func writeTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// mountTmpfs mounts a tmpfs of size bytes on a new folder and unmounts it
// when the test ends. It needs root; CI runs as root, so there the test
// fails rather than skips without it.
func mountTmpfs(t *testing.T, size int64) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a small tmpfs to fill: %v (CI runs as root)", err)
		}
		t.Skipf("mount a small tmpfs to fill: %v (run as root)", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// remountReadOnly makes a tmpfs from mountTmpfs read-only, for root too.
func remountReadOnly(t *testing.T, dir string) {
	t.Helper()
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatalf("remount %s read-only: %v", dir, err)
	}
}
