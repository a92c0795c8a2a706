#!/usr/bin/env bash
# A PostgreSQL primary and a streaming replica of it on this machine, made
# with Debian's PostgreSQL tools (initdb, pg_basebackup -R, pg_ctl): the
# smallest copy of the topology in README's "Beyond one machine". Each
# server has a data folder and a port of its own under one folder; trust
# authentication, listening on 127.0.0.1 only.
#
#   scripts/replica.sh up       make what is missing, start what is stopped, print the URLs
#   scripts/replica.sh status   print the URLs and whether each server answers
#   scripts/replica.sh down     stop both and remove the folder
#
# Environment: RUSTBELT_REPLICA_DIR (default $TMPDIR/rustbelt-replica),
# RUSTBELT_PRIMARY_PORT (default 5433), RUSTBELT_REPLICA_PORT (default 5434).
# `up` is idempotent: run it again and it only starts what is stopped.
# The servers run as the user postgres when run as root (PostgreSQL refuses
# to run as root), else as the user who runs this.
set -euo pipefail

dir=${RUSTBELT_REPLICA_DIR:-${TMPDIR:-/tmp}/rustbelt-replica}
pport=${RUSTBELT_PRIMARY_PORT:-5433}
rport=${RUSTBELT_REPLICA_PORT:-5434}
db=rustbelt

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/pg_basebackup" ]; then
	echo "replica.sh: no PostgreSQL server tools in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
	exit 1
fi

# as runs a PostgreSQL tool as the user the servers run as.
if [ "$(id -u)" = 0 ]; then
	owner=postgres
	as() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as() { "$@"; }
fi

url() { echo "postgres://postgres@127.0.0.1:$1/$db?sslmode=disable"; }

running() { as "$bin/pg_ctl" -D "$1" status >/dev/null 2>&1; }

ready() {
	for _ in $(seq 1 60); do
		"$bin/pg_isready" -q -h 127.0.0.1 -p "$1" && return 0
		sleep 0.5
	done
	echo "replica.sh: the server on port $1 did not come up; see $dir/$2.log" >&2
	exit 1
}

start() { # data folder name, port
	if ! running "$dir/$1"; then
		as "$bin/pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w -t 60 start >/dev/null
	fi
	ready "$2" "$1"
}

up() {
	mkdir -p "$dir"
	chown "$owner" "$dir"
	chmod 0755 "$dir"
	if ! as test -x "$dir"; then
		echo "replica.sh: $owner cannot reach $dir; choose a RUSTBELT_REPLICA_DIR whose parents others may enter" >&2
		exit 1
	fi
	if [ ! -s "$dir/primary/PG_VERSION" ]; then
		rm -rf "$dir/primary"
		as "$bin/initdb" -D "$dir/primary" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
		# initdb's pg_hba.conf already lets local replication connections in.
		cat >>"$dir/primary/postgresql.conf" <<-EOF
			# scripts/replica.sh
			listen_addresses = '127.0.0.1'
			port = $pport
			unix_socket_directories = '$dir'
			wal_level = replica
			max_wal_senders = 4
			wal_keep_size = '256MB'
			hot_standby = on
			shared_buffers = '64MB'
		EOF
	fi
	start primary "$pport"
	if [ -z "$(as "$bin/psql" -h 127.0.0.1 -p "$pport" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
		as "$bin/createdb" -h 127.0.0.1 -p "$pport" -U postgres "$db"
	fi
	if [ ! -f "$dir/replica/standby.signal" ]; then
		rm -rf "$dir/replica"
		# -R writes standby.signal and the primary's address; -X stream
		# brings the log written during the copy along with it.
		as "$bin/pg_basebackup" -h 127.0.0.1 -p "$pport" -U postgres -D "$dir/replica" -R -X stream -c fast
		echo "port = $rport" | as tee -a "$dir/replica/postgresql.conf" >/dev/null
	fi
	start replica "$rport"
	status
}

status() {
	for s in "primary $pport" "replica $rport"; do
		set -- $s
		state=down
		"$bin/pg_isready" -q -h 127.0.0.1 -p "$2" && state=up
		echo "$1 $(url "$2") $state"
	done
}

down() {
	for s in replica primary; do
		if [ -d "$dir/$s" ] && running "$dir/$s"; then
			as "$bin/pg_ctl" -D "$dir/$s" -m fast -w stop >/dev/null
		fi
	done
	rm -rf "$dir"
}

case "${1:-}" in
up | status | down) "$1" ;;
*)
	echo "usage: scripts/replica.sh up|status|down" >&2
	exit 2
	;;
esac
