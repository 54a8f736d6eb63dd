#!/usr/bin/env bash
# postgres_fixture.sh - the CTest fixture "postgres" (tests/CMakeLists.txt): one real PostgreSQL
# 15 (scripts/postgres.sh) for the log store tests and the decision-store e2e test, on a free
# loopback port picked at start.
#
#   postgres_fixture.sh start DIR   # DIR/url: the server's URL; DIR/datadir: where its data is
#   postgres_fixture.sh stop DIR    # stops it by its PID and removes the data
#
# The data directory is DIR/data, unless the server's user (postgres, when we are root) cannot
# reach DIR (a parent that is not searchable, as a private TMPDIR): then a private directory
# under /var/tmp, named in DIR/datadir so that stop finds and removes it.
set -euo pipefail
cmd=${1:?usage: postgres_fixture.sh start|stop DIR}
dir=${2:?usage: postgres_fixture.sh start|stop DIR}
here=$(cd "$(dirname "$0")" && pwd)
pg="$here/../../scripts/postgres.sh"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# Stops the server named in DIR/datadir, if any, and removes its data.
stop_previous() {
  [ -f "$dir/datadir" ] || return 0
  local data; data=$(cat "$dir/datadir")
  if [ -d "$data" ]; then bash "$pg" stop "$data"; fi
  rm -rf "$data"
}

case $cmd in
start)
  stop_previous  # a run that was interrupted before its cleanup
  rm -rf "$dir"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  data="$dir/data"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
    data=$(mktemp -d /var/tmp/chartprov-pg.XXXXXX)
  fi
  echo "$data" >"$dir/datadir"
  for attempt in 1 2 3; do
    port=$(free_port)
    if bash "$pg" start "$data" "$port"; then
      bash "$pg" url "$data" >"$dir/url"
      exit 0
    fi
    echo "postgres_fixture: start on port $port failed (attempt $attempt)" >&2
  done
  exit 1
  ;;
stop)
  [ -f "$dir/datadir" ] || { echo "postgres_fixture: nothing started in $dir"; exit 0; }
  stop_previous
  rm -rf "$dir"
  ;;
*) echo "usage: postgres_fixture.sh start|stop DIR" >&2; exit 2 ;;
esac
