package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rustbelt/rustbelt/internal/storetest"
)

// requireRoot skips a test that needs root, or fails it where CI=true says
// the run is CI's, which runs as root.
func requireRoot(t *testing.T, why string) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s needs root (CI runs as root)", why)
	}
	t.Skipf("%s needs root; run the tests as root to include it", why)
}

// TestOutputFilesAreWrittenNotReplaced writes export -o and dump -o to
// things that are not a plain new file: each must be written the way
// `> FILE` would write it, never replaced by another file.
func TestOutputFilesAreWrittenNotReplaced(t *testing.T) {
	db := testDB(t)
	const want = "<https://rustbelt.dev/id/place/meihekou>"
	commands := []struct {
		name string
		args []string // -o follows
	}{
		{"export", []string{"export", "--center", "Meihekou", "--format", "nquads"}},
		{"dump", []string{"dump"}},
	}
	// Each case makes what -o names and returns the checks to run after;
	// the file's content is checked where wantOK.
	tests := []struct {
		name   string
		make   func(t *testing.T) (out, written string, check func(t *testing.T))
		wantOK bool
		err    string // in stderr when not OK
	}{
		{"a private file keeps its mode", func(t *testing.T) (string, string, func(*testing.T)) {
			path := writeMode(t, filepath.Join(t.TempDir(), "out.nq"), 0o600)
			return path, path, func(t *testing.T) { wantMode(t, path, 0o600) }
		}, true, ""},
		{"a symbolic link is followed", func(t *testing.T) (string, string, func(*testing.T)) {
			target := writeMode(t, filepath.Join(t.TempDir(), "real.nq"), 0o640)
			linkDir := t.TempDir()
			link := filepath.Join(linkDir, "out.nq")
			rel, _ := filepath.Rel(linkDir, target)
			if err := os.Symlink(rel, link); err != nil {
				t.Fatal(err)
			}
			return link, target, func(t *testing.T) {
				if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the link was replaced: %v %v", fi, err)
				}
				wantMode(t, target, 0o640)
				wantOnly(t, linkDir, "out.nq")
				wantOnly(t, filepath.Dir(target), "real.nq")
			}
		}, true, ""},
		{"a link to a file yet to be made makes it", func(t *testing.T) (string, string, func(*testing.T)) {
			target := filepath.Join(t.TempDir(), "new.nq")
			link := filepath.Join(t.TempDir(), "out.nq")
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			return link, target, func(t *testing.T) {
				if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the link was replaced: %v %v", fi, err)
				}
			}
		}, true, ""},
		{"a hard link stays linked", func(t *testing.T) (string, string, func(*testing.T)) {
			dir := t.TempDir()
			path := writeMode(t, filepath.Join(dir, "out.nq"), 0o644)
			other := filepath.Join(dir, "other.nq")
			if err := os.Link(path, other); err != nil {
				t.Fatal(err)
			}
			return path, other, func(t *testing.T) {
				a, err1 := os.Stat(path)
				b, err2 := os.Stat(other)
				if err1 != nil || err2 != nil || !os.SameFile(a, b) {
					t.Errorf("the two names are no longer one file (%v, %v)", err1, err2)
				}
				wantOnly(t, dir, "other.nq", "out.nq")
			}
		}, true, ""},
		{"another user's file keeps its owner", func(t *testing.T) (string, string, func(*testing.T)) {
			requireRoot(t, "giving a file to another user")
			path := writeMode(t, filepath.Join(t.TempDir(), "out.nq"), 0o640)
			if err := os.Chown(path, 4321, 4321); err != nil {
				t.Fatal(err)
			}
			return path, path, func(t *testing.T) {
				wantMode(t, path, 0o640)
				fi, err := os.Stat(path)
				if st, ok := fi.Sys().(*syscall.Stat_t); err != nil || !ok || st.Uid != 4321 || st.Gid != 4321 {
					t.Errorf("owner changed: %+v %v", fi.Sys(), err)
				}
			}
		}, true, ""},
		{"a full device is written, not replaced", func(t *testing.T) (string, string, func(*testing.T)) {
			requireRoot(t, "making a device node")
			var full syscall.Stat_t
			if err := syscall.Stat("/dev/full", &full); err != nil {
				t.Fatalf("stat /dev/full: %v", err)
			}
			// A copy of /dev/full on a fresh tmpfs (which allows devices):
			// the real one is not the test's to risk.
			dev := filepath.Join(storetest.MountTmpfs(t, 1<<20), "full")
			if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, int(full.Rdev)); err != nil {
				t.Fatalf("make a device node: %v", err)
			}
			return dev, "", func(t *testing.T) {
				var st syscall.Stat_t
				if err := syscall.Stat(dev, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFCHR || st.Rdev != full.Rdev {
					t.Errorf("the device node was replaced: mode %o (%v)", st.Mode, err)
				}
				wantOnly(t, filepath.Dir(dev), "full")
			}
		}, false, "write DEV: no space left on device"},
		{"a folder is refused", func(t *testing.T) (string, string, func(*testing.T)) {
			dir := t.TempDir()
			return dir, "", func(t *testing.T) { wantOnly(t, dir) }
		}, false, "it is a folder"},
	}
	for _, c := range commands {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.name, func(t *testing.T) {
				out, written, check := tt.make(t)
				r := run(t, "", append(append([]string{"--db", db}, c.args...), "-o", out)...)
				if tt.wantOK {
					if r.code != 0 {
						t.Fatalf("exit %d: %s", r.code, r.stderr)
					}
					if b, err := os.ReadFile(written); err != nil || !strings.Contains(string(b), want) {
						t.Errorf("%s holds %.80q (%v), want the output", written, b, err)
					}
				} else if msg := strings.ReplaceAll(tt.err, "DEV", out); r.code == 0 || !strings.Contains(r.stderr, msg) {
					t.Errorf("exit %d, stderr %q; want a failure saying %q", r.code, r.stderr, msg)
				}
				check(t)
			})
		}
	}
}

// writeMode writes stale content to path with mode perm.
func writeMode(t *testing.T, path string, perm os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte("stale\n"), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func wantMode(t *testing.T, path string, perm os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
	} else if fi.Mode().Perm() != perm {
		t.Errorf("%s: mode %v, want %v", path, fi.Mode().Perm(), perm)
	}
}

// wantOnly checks that dir holds just the names given: no temporary file
// was left, and nothing was made beside the target.
func wantOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if err != nil || strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q (%v), want %q", dir, got, err, names)
	}
}
