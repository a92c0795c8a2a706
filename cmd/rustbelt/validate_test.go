package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/seeds"
)

func TestValidatePointsAtEveryBrokenLine(t *testing.T) {
	bad := write(t, "bad.nq", badFile)
	r := run(t, "", "validate", bad)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	for _, want := range []string{bad + ":3: unknown predicate", bad + ":4: quad has no source label"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = run(t, "", "validate", "--strict", write(t, "good.nq", goodFile))
	if r.code != 0 || r.stdout != "ok: 2 quads in 1 file(s)\n" {
		t.Errorf("good file: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestValidateTheBundledDataset(t *testing.T) {
	args := []string{"validate", "--strict"}
	for _, name := range seeds.Names() {
		args = append(args, filepath.Join("..", "..", "seeds", name))
	}
	if r := run(t, "", args...); r.code != 0 || !strings.HasPrefix(r.stdout, "ok: ") {
		t.Errorf("seeds: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
}
