# PostgreSQL's server tools (initdb, pg_ctl, pg_basebackup): the replica
# test sets up a primary and a streaming replica with scripts/replica.sh,
# and in CI it fails without them. Sourced by scripts/test.sh.
if ! ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1; then
	echo "installing the PostgreSQL server tools"
	if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }; then
		echo "could not install the PostgreSQL server tools (apt-get install postgresql)" >&2
		exit 1
	fi
fi
ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1
