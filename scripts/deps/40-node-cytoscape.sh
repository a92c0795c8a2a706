# The cytoscape npm package, which the export tests load Cytoscape.js
# exports with (export/testdata/cytoscape). Sourced by scripts/test.sh.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "installing nodejs and npm"
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }; then
		echo "could not install Node.js (apt-get install nodejs npm)" >&2
		exit 1
	fi
fi
cyto=export/testdata/cytoscape
# Installed after the lock file last changed: nothing to do.
if [ ! "$cyto/node_modules/cytoscape" -nt "$cyto/package-lock.json" ]; then
	echo "installing cytoscape for the export tests"
	if ! (cd "$cyto" && npm ci --no-audit --no-fund --loglevel=error); then
		echo "could not install the cytoscape package (cd $cyto && npm ci)" >&2
		exit 1
	fi
	touch "$cyto/node_modules/cytoscape"
fi
echo "node $(node --version), cytoscape $(node -p "require('./$cyto/node_modules/cytoscape/package.json').version")"
