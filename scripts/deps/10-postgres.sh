# PostgreSQL: the machine runs a server on 127.0.0.1:5432 (trust auth,
# database test). Start it if it is installed but stopped; fail if there is
# none, because the backend tests must run against a real server.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
	if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
		pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
		for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	fi
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
	echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2
	exit 1
fi
export RUSTBELT_TEST_POSTGRES="${RUSTBELT_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
