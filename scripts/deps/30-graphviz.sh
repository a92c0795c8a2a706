# Graphviz: the export tests render DOT output with `dot -Tsvg`, and the
# README picture is made with it. Sourced by scripts/test.sh.
if ! command -v dot >/dev/null 2>&1; then
	echo "installing graphviz"
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends graphviz >/dev/null; }; then
		echo "could not install graphviz (apt-get install graphviz)" >&2
		exit 1
	fi
fi
dot -V
