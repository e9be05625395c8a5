#!/usr/bin/env bash
# Makes a PostgreSQL server available on 127.0.0.1 for the store tests and
# prints its DSN as the last line of stdout; progress goes to stderr.
# Safe to run repeatedly: when a server already answers on the port it only
# prints the DSN, and an existing cluster directory is reused.
#
#   export SWITCHBOARD_TEST_POSTGRES=$(scripts/postgres.sh)
#   go test -race ./server/store/...
#
# Installs Debian's postgresql package when no server binaries are found.
# The cluster (trust authentication, superuser "postgres", C locale, fsync
# off: for tests only) lives in $SWITCHBOARD_PG_DIR (/tmp/switchboard-pg)
# and listens on $SWITCHBOARD_PG_PORT (55432), on 127.0.0.1 only.
set -euo pipefail

port=${SWITCHBOARD_PG_PORT:-55432}
dir=${SWITCHBOARD_PG_DIR:-/tmp/switchboard-pg}
dsn="postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable"

log() { echo "postgres.sh: $*" >&2; }

# pg_bin prints the newest /usr/lib/postgresql/<major>/bin with initdb in
# it, or nothing.
pg_bin() {
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5n | tail -n 1)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then
    echo "$d"
  fi
}

# as_pg runs a command as the cluster's owner: user postgres when we are
# root (initdb and postgres refuse to run as root), ourselves otherwise.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

bin=$(pg_bin)
if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and we are not root: install the postgresql package"
    exit 1
  fi
  log "installing PostgreSQL"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  bin=$(pg_bin)
  if [ -z "$bin" ]; then
    log "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
    exit 1
  fi
fi

if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
  log "a server already answers on 127.0.0.1:$port"
  echo "$dsn"
  exit 0
fi

data=$dir/data
if [ "$(id -u)" -eq 0 ]; then
  install -d -o postgres -g postgres -m 0700 "$dir"
else
  install -d -m 0700 "$dir"
fi

if [ ! -f "$data/PG_VERSION" ]; then
  log "creating a cluster in $data"
  rm -rf "$data"
  as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --no-locale -E UTF8 >&2
fi

log "starting the server on 127.0.0.1:$port"
as_pg "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start -o \
  "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 || {
  log "the server did not start; its log:"
  tail -n 30 "$dir/server.log" >&2 || true
  exit 1
}

if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 30; then
  log "the server started but does not answer on 127.0.0.1:$port"
  exit 1
fi
log "ready"
echo "$dsn"
