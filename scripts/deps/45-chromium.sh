# Headless Chromium for the browser test (server/browser_test.go), from
# Debian's package; the test fails under CI=true without it. Exports
# RUSTBELT_CHROMIUM, the binary the test drives.
if ! command -v chromium >/dev/null 2>&1; then
	echo "installing Debian's chromium"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; } || {
		echo "cannot install chromium (apt-get install chromium)" >&2
		exit 1
	}
fi
RUSTBELT_CHROMIUM="$(command -v chromium)"
export RUSTBELT_CHROMIUM
