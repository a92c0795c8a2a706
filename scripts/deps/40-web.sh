# The web page (server/web): its bundle in server/web/dist is committed, so
# that go build and go install embed the page without Node. This installs the
# npm packages from the lock file (npm ci, skipped while node_modules is what
# the lock file installed), rebuilds the bundle into a temporary folder, and
# fails, naming the files, when it differs from server/web/dist: the sources
# or the lock file changed without the bundle being rebuilt. It never writes
# into the working tree except node_modules, which git ignores.
web_dir=server/web
web_regen="npm --prefix $web_dir ci && npm --prefix $web_dir run build"
if ! command -v npm >/dev/null 2>&1; then
	echo "npm not found; installing Debian's nodejs and npm"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || {
		echo "cannot install npm: install Node.js and npm, then rerun" >&2
		exit 1
	}
fi
# The stamp holds the lock file's hash and that of the tree npm ci left (its
# hidden lock file), so that a changed lock file or any later npm install
# into node_modules runs npm ci again.
web_stamp="$web_dir/node_modules/.rustbelt-ci"
web_state() { cat "$web_dir/package-lock.json" "$web_dir/node_modules/.package-lock.json" 2>/dev/null | sha256sum; }
if [ ! -f "$web_stamp" ] || [ "$(cat "$web_stamp")" != "$(web_state)" ]; then
	echo "npm ci in $web_dir"
	npm ci --prefix "$web_dir" --no-audit --no-fund --loglevel=error || { echo "npm ci failed in $web_dir" >&2; exit 1; }
	web_state >"$web_stamp"
fi
web_tmp="$(mktemp -d)"
if ! (cd "$web_dir" && node build.mjs "$web_tmp/dist" >/dev/null); then
	rm -rf "$web_tmp"
	echo "building the web page failed ($web_regen)" >&2
	exit 1
fi
# Every file in either folder, and what is wrong with it, if anything.
web_stale="$({ (cd "$web_tmp/dist" && find . -type f); (cd "$web_dir/dist" 2>/dev/null && find . -type f) || true; } |
	sed 's|^\./||' | sort -u | while read -r f; do
		if [ ! -f "$web_dir/dist/$f" ]; then
			echo "  $f: built but not committed"
		elif [ ! -f "$web_tmp/dist/$f" ]; then
			echo "  $f: in dist but not built"
		elif ! cmp -s "$web_tmp/dist/$f" "$web_dir/dist/$f"; then
			echo "  $f: differs from the rebuilt one"
		fi
	done)"
if [ -n "$web_stale" ]; then
	rm -rf "$web_tmp"
	{
		echo "$web_dir/dist is stale: rebuilding it from src/ and package-lock.json gives other files."
		printf '%s\n' "$web_stale"
		echo "Regenerate it with: $web_regen"
		echo "and commit $web_dir/dist."
	} >&2
	exit 1
fi
rm -rf "$web_tmp"
echo "$web_dir/dist matches its sources ($(cat "$web_dir"/dist/* | wc -c) bytes)"
unset -f web_state
unset web_dir web_regen web_stamp web_tmp web_stale
