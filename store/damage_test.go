package store_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rustbelt/rustbelt/fail"
	"github.com/rustbelt/rustbelt/seeds"
	"github.com/rustbelt/rustbelt/store"
)

// seededStore makes a seeded bolt store at path and returns its bytes.
func seededStore(t *testing.T, path string) []byte {
	t.Helper()
	mustOpen(t, path, store.Options{}).Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// usedLength is the length of b without its trailing zero pages: bolt grows
// files ahead of use, and a cut inside that slack damages nothing.
func usedLength(b []byte) int {
	const page = 4096
	n := len(b)
	for n > page && allZero(b[n-page:n]) {
		n -= page
	}
	return n
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func TestDamagedStoreFileIsAClearError(t *testing.T) {
	good := seededStore(t, boltPath(t))
	used := usedLength(good)
	nquads, err := seeds.FS().Open(seeds.Names()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer nquads.Close()
	seedText := make([]byte, 8192)
	n, _ := nquads.Read(seedText)
	zeroMetas := append([]byte(nil), good...)
	clear(zeroMetas[16:80])
	clear(zeroMetas[4096+16 : 4096+80])
	tests := []struct {
		name string
		data []byte
		want string // in the message
	}{
		{"N-Quads instead of a store", seedText[:n], "invalid database"},
		{"cut inside the header", good[:100], "damaged"},
		{"cut after one page", good[:4096], "too small"},
		{"cut after the headers", good[:8192], "damaged"},
		{"cut after three pages", good[:12288], "damaged"},
		{"cut in the middle", good[:used/2], "damaged"},
		{"last page missing", good[:used-4096], "damaged"},
		{"both headers zeroed", zeroMetas, "invalid database"},
	}
	for _, tt := range tests {
		for _, readOnly := range []bool{true, false} {
			t.Run(tt.name+map[bool]string{true: "/read-only", false: "/read-write"}[readOnly], func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "damaged.bolt")
				if err := os.WriteFile(path, tt.data, 0o644); err != nil {
					t.Fatal(err)
				}
				// An empty file is a new store: see TestAnEmptyFileBecomesANewStoreAndSaysSo.
				s, err := store.Open(context.Background(), path, store.Options{ReadOnly: readOnly})
				if err == nil {
					s.Close()
					t.Fatalf("opened a damaged store")
				}
				var ge *fail.Error
				if !errors.As(err, &ge) || ge.Code != fail.Invalid {
					t.Errorf("error %v is not an Invalid *fail.Error", err)
				}
				if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, tt.want) {
					t.Errorf("message %q should name %s and say %q", msg, path, tt.want)
				}
			})
		}
	}
}

func TestDiskFullLeavesTheOldGraph(t *testing.T) {
	ctx := context.Background()
	big := []store.Input{stringInput("big.nq", personFacts("full", 20_000))}
	for _, swap := range []bool{false, true} {
		name := map[bool]string{false: "in place", true: "copy and swap"}[swap]
		t.Run(name, func(t *testing.T) {
			if swap {
				defer store.SetInPlaceMax(100)()
			}
			good := seededStore(t, boltPath(t))
			dir := mountTmpfs(t, int64(len(good))*5/2)
			path := filepath.Join(dir, "full.bolt")
			if err := os.WriteFile(path, good, 0o644); err != nil {
				t.Fatal(err)
			}
			s := mustOpen(t, path, store.Options{})
			before := quadCount(t, s)
			_, err := s.Load(ctx, big, store.LoadOptions{})
			if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") {
				t.Fatalf("load onto a full disk: %v, want an error that says the disk is full", err)
			}
			if got := quadCount(t, s); got != before {
				t.Errorf("after the failed load the open store holds %d quads, want %d", got, before)
			}
			s.Close()
			again := mustOpen(t, path, store.Options{})
			if got := quadCount(t, again); got != before {
				t.Errorf("reopened store holds %d quads, want the old %d", got, before)
			}
			if left, _ := filepath.Glob(path + ".tmp-*"); len(left) > 0 {
				t.Errorf("temporary files left on the full disk: %v", left)
			}
		})
	}
}

func TestReadOnlyStorePath(t *testing.T) {
	ctx := context.Background()
	for _, withLockFile := range []bool{true, false} {
		t.Run(map[bool]string{true: "lock file present", false: "no lock file"}[withLockFile], func(t *testing.T) {
			dir := mountTmpfs(t, 8<<20)
			path := filepath.Join(dir, "ro.bolt")
			seededStore(t, path)
			if !withLockFile {
				os.Remove(path + ".lock")
			}
			remountReadOnly(t, dir)

			r := mustOpen(t, path, store.Options{ReadOnly: true})
			if quadCount(t, r) != seedQuads(t) {
				t.Error("reader of a read-only store sees the wrong graph")
			}
			r.Close()

			for _, p := range []string{path, filepath.Join(dir, "new.bolt")} {
				_, err := store.Open(ctx, p, store.Options{})
				if fail.CodeOf(err) != fail.Forbidden || !strings.Contains(err.Error(), dir) ||
					!strings.Contains(err.Error(), "read-only") {
					t.Errorf("open %s for writing: %v, want Forbidden naming the read-only folder", p, err)
				}
			}
		})
	}
}

// TestDamagedPagesInTheCommand flips bytes inside a store's pages, where
// bolt has no checksum to notice: bolt then indexes out of range or faults
// through its memory map. The real command must end with a message, never a
// stack trace, whatever it reads, in a task or in Gizmo.
func TestDamagedPagesInTheCommand(t *testing.T) {
	good := seededStore(t, boltPath(t))
	used := usedLength(good)
	rng := rand.New(rand.NewPCG(7, 7)) // fixed: the same damage every run
	damaged := 0
	for i := 0; i < 30; i++ {
		b := append([]byte(nil), good...)
		for n := []int{1, 5, 50}[i%3]; n > 0; n-- {
			b[rng.IntN(used)] = byte(rng.IntN(256))
		}
		db := filepath.Join(t.TempDir(), "flipped.bolt")
		if err := os.WriteFile(db, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"stats"}, {"show", "Jilin"}, {"appointments", "--to", "Northeast"}, {"query", "-e", "g.V().Out().All()"}} {
			c := runChild(t, db, args...)
			if strings.Contains(c.stderr, "goroutine ") || c.code > exitLocked {
				t.Fatalf("%v on damaged store %d: exit %d, stderr:\n%s", args, i, c.code, c.stderr)
			}
			// Damage shows as bolt's fault, caught and named, or as a
			// record that no longer decodes, reported by the read that
			// met it: either way an error with a message, not an answer.
			if c.code != 0 && strings.HasPrefix(c.stderr, "rustbelt: ") {
				damaged++
			}
		}
	}
	if damaged == 0 {
		t.Error("no run met a damaged page: the test no longer damages what bolt reads")
	}
	t.Logf("%d of 120 runs reported the damage", damaged)
}
