package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// buildStock builds stock Cayley v0.7.7 with bench/stock/build.sh into a
// folder of the user's cache, where the next run finds it up to date.
var buildStock = sync.OnceValues(func() (string, error) {
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("find the module: %w", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	out := filepath.Join(cache, "rustbelt-test", "stock-cayley", "cayley")
	script := filepath.Join(filepath.Dir(strings.TrimSpace(string(root))), "bench", "stock", "build.sh")
	if msg, err := exec.Command("bash", script, out).CombinedOutput(); err != nil {
		return "", fmt.Errorf("bench/stock/build.sh: %v\n%s", err, msg)
	}
	return out, nil
})

// StockCayley builds stock Cayley v0.7.7 once per test binary (see
// buildStock) and returns its path. The first build fetches Cayley's
// dependencies and takes minutes. Outside CI a failed build skips the
// test; in CI (CI=true) it fails it, so that the comparison with stock
// Cayley cannot quietly stop running.
func StockCayley(t testing.TB) string {
	t.Helper()
	path, err := buildStock()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("build stock Cayley: %v", err)
		}
		t.Skipf("build stock Cayley (CI fails here instead): %v", err)
	}
	return path
}
