#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server:
#   bash .ci/with-postgres.sh make test
# Starts Debian's server binaries on a free loopback port (from 25432 up) with a temporary data
# directory (trust auth on 127.0.0.1, durability off: the data is thrown away), creates the
# database `directory_test`, exports DATABASE_URL for the command, and stops the server and
# deletes the directory on exit, whatever happens. Used by `.ci/run` and `make test-postgres`.
# PG_SYNCHRONOUS_COMMIT=on keeps commits durable across a crash of the server processes (the
# durability harness stops it with `pg_ctl -m immediate`); PG_BIN, PG_DATA_DIR, PG_LOG_FILE and
# PG_SERVER_OPTIONS are exported so a command can stop and start the server the same way.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL server not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 1
fi

# initdb refuses to run as root: as root, run the server as the `postgres` user Debian creates.
if [ "$(id -u)" -eq 0 ]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below Linux's ephemeral range (32768-60999): a port there can be taken for a moment by any
# outgoing connection's local end, which a connect probe does not see but bind refuses.
PG_PORT=${PG_PORT:-25432}

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ci-postgres.XXXXXX")
chmod 755 "$PG_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"

stop_postgres() {
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
}
trap stop_postgres EXIT

as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; exit 1; }

# Start on the first free port from PG_PORT; a port that turns out taken at bind time (another
# server started meanwhile) moves on to the next, a few times.
for attempt in 1 2 3 4 5; do
    while port_in_use "$PG_PORT"; do
        PG_PORT=$((PG_PORT + 1))
    done
    # fsync and full_page_writes only matter when the machine itself crashes.
    PG_SERVER_OPTIONS="-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c full_page_writes=off"
    PG_SERVER_OPTIONS+=" -c synchronous_commit=${PG_SYNCHRONOUS_COMMIT:-off}"
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "$PG_SERVER_OPTIONS" start >/dev/null; then
        break
    fi
    if [ "$attempt" -eq 5 ] || ! grep -q "Address already in use" "$PG_DIR/server.log"; then
        cat "$PG_DIR/server.log" >&2
        exit 1
    fi
    PG_PORT=$((PG_PORT + 1))
done
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres directory_test

export DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/directory_test"
export PG_BIN PG_SERVER_OPTIONS PG_DATA_DIR="$PG_DIR/data" PG_LOG_FILE="$PG_DIR/server.log"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT: DATABASE_URL=$DATABASE_URL"
"$@"
