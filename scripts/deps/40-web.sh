# The web page (server/web): installs its npm packages from the lock file
# and builds the bundle that rustbelt embeds, so that go test and go build
# see the real page. Both steps are skipped when already up to date.
web_dir=server/web
if ! command -v npm >/dev/null 2>&1; then
	echo "npm not found; installing Debian's nodejs and npm"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || {
		echo "cannot install npm: install Node.js and npm, then rerun" >&2
		exit 1
	}
fi
if [ ! -f "$web_dir/node_modules/.package-lock.json" ] || [ "$web_dir/package-lock.json" -nt "$web_dir/node_modules/.package-lock.json" ]; then
	echo "npm ci in $web_dir"
	npm ci --prefix "$web_dir" --no-audit --no-fund --loglevel=error || { echo "npm ci failed in $web_dir" >&2; exit 1; }
fi
if [ ! -f "$web_dir/dist/index.html" ] || [ -n "$(find "$web_dir/src" "$web_dir/build.mjs" "$web_dir/package-lock.json" -newer "$web_dir/dist/index.html" -print -quit)" ]; then
	(cd "$web_dir" && node build.mjs) || { echo "building the web page failed" >&2; exit 1; }
fi
unset web_dir
