package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
)

// TestCommandsThatWriteRefuseWhatIsNotAStore points the commands that
// write (and stats, which reads) at a bolt file of another program and at
// a folder that is not a Cayley bolt folder: each must exit 2 with a
// message naming it, and leave it as it was.
func TestCommandsThatWriteRefuseWhatIsNotAStore(t *testing.T) {
	facts := write(t, "good.nq", goodFile)
	commands := [][]string{
		{"load", facts},
		{"--no-seed", "load", facts},
		{"init"},
		{"init", "--empty"},
		{"stats"},
	}
	for _, args := range commands {
		t.Run(strings.Join(args, " ")+"/another program's bolt file", func(t *testing.T) {
			path, before := storetest.ForeignBolt(t)
			r := run(t, "", append([]string{"--db", path}, args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, path+" is not a rustbelt or Cayley store: it is a bolt file of another program") {
				t.Errorf("exit %d, stderr %q; want %d naming the file", r.code, r.stderr, exitUsage)
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
				t.Errorf("the other program's file changed (%v)", err)
			}
		})
		t.Run(strings.Join(args, " ")+"/a folder", func(t *testing.T) {
			dir := t.TempDir()
			r := run(t, "", append([]string{"--db", dir}, args...)...)
			if r.code != exitUsage || !strings.Contains(r.stderr, dir+" is a folder, and not a Cayley bolt folder") {
				t.Errorf("exit %d, stderr %q; want %d naming the folder", r.code, r.stderr, exitUsage)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("the folder now holds %s", entries[0].Name())
			}
		})
	}
}

// TestAnEmptyFileIsMadeAStoreAndTheUserTold runs the commands on a file of
// no bytes: each makes it a store as it would a missing file, and says on
// stderr that the file was empty.
func TestAnEmptyFileIsMadeAStoreAndTheUserTold(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		quads int
	}{
		{[]string{"init", "--empty"}, 0},
		{[]string{"--no-seed", "load", "FACTS"}, 2},
		{[]string{"stats"}, -1}, // seeded
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			db := write(t, "mktemp.bolt", "")
			args := append([]string{"--db", db}, tc.args...)
			for i, a := range args {
				if a == "FACTS" {
					args[i] = write(t, "good.nq", goodFile)
				}
			}
			r := run(t, "", args...)
			if r.code != 0 || !strings.Contains(r.stderr, "rustbelt: new store "+db+" (it was an empty file)") {
				t.Fatalf("exit %d, stderr %q; want success and a note that the file was empty", r.code, r.stderr)
			}
			if n := storeQuads(t, db); tc.quads >= 0 && n != tc.quads || tc.quads < 0 && n == 0 {
				t.Errorf("the store holds %d quads", n)
			}
		})
	}
}
