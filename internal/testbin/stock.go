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

var (
	stockOnce sync.Once
	stockPath string
	stockErr  error
)

// StockCayley builds stock Cayley v0.7.7 with bench/stock/build.sh, once
// per test binary, into a folder of the user's cache (where the next run
// finds it up to date), and returns its path. The first build fetches
// Cayley's dependencies and takes minutes. Outside CI a failed build skips
// the test; in CI (CI=true) it fails it, so that the comparison with stock
// Cayley cannot quietly stop running.
func StockCayley(t testing.TB) string {
	t.Helper()
	stockOnce.Do(func() {
		var root []byte
		if root, stockErr = exec.Command("go", "env", "GOMOD").Output(); stockErr != nil {
			stockErr = fmt.Errorf("find the module: %w", stockErr)
			return
		}
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		out := filepath.Join(cache, "rustbelt-test", "stock-cayley", "cayley")
		script := filepath.Join(filepath.Dir(strings.TrimSpace(string(root))), "bench", "stock", "build.sh")
		if msg, err := exec.Command("bash", script, out).CombinedOutput(); err != nil {
			stockErr = fmt.Errorf("bench/stock/build.sh: %v\n%s", err, msg)
			return
		}
		stockPath = out
	})
	if stockErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("build stock Cayley: %v", stockErr)
		}
		t.Skipf("build stock Cayley (CI fails here instead): %v", stockErr)
	}
	return stockPath
}
