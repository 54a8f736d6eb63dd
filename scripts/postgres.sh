#!/usr/bin/env bash
# postgres.sh - run a private PostgreSQL 15 server for tests: its own data directory, listening
# on 127.0.0.1:<port> only (unix sockets in the data directory), fsync and synchronous commit
# on, trust authentication for one test role that owns a database of the same name.
#
#   postgres.sh start DATADIR PORT [USER]   # initdb when DATADIR is new; returns once it accepts
#   postgres.sh stop  DATADIR               # SIGINT (fast shutdown) to the PID in postmaster.pid,
#                                           # waits for it to exit (SIGQUIT after 30 s)
#   postgres.sh url   DATADIR               # postgresql://USER@127.0.0.1:PORT/USER
#
# USER defaults to "chartprov". Binaries: $PG_BIN or /usr/lib/postgresql/15/bin.
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user,
# which then owns DATADIR; that user must be able to reach DATADIR (every parent searchable),
# or start refuses with a message. Files in DATADIR besides PostgreSQL's own: chartprov.conf
# (port, sockets; rewritten on each start), chartprov-url, chartprov-user, chartprov-created,
# server.log.
set -euo pipefail

usage() { echo "usage: $0 start DATADIR PORT [USER] | stop DATADIR | url DATADIR" >&2; exit 2; }
die() { echo "postgres.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || usage
cmd=$1; dir=$2
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RUN_AS=$(id -un)
[ "$(id -u)" != 0 ] || RUN_AS=postgres

as_server_user() { # runs a command as the user the server runs as
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
alive() { # alive PID: exists and is not a zombie
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  local st; st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
server_pid() { # the postmaster PID of DATADIR, if one runs; nothing otherwise
  local pid
  [ -f "$dir/postmaster.pid" ] || return 0
  pid=$(head -n 1 "$dir/postmaster.pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # Ours, not a reused PID: the process is a postgres whose data directory is DATADIR.
  if alive "$pid" && [ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" = "$dir" ]; then echo "$pid"; fi
}

case $cmd in
start)
  [ $# -ge 3 ] || usage
  port=$3; user=${4:-chartprov}
  [[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port '$port'"
  [[ $user =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "bad user name '$user' (lower case letters, digits, _)"
  [ -x "$PG_BIN/initdb" ] || die "no $PG_BIN/initdb (install postgresql-15: make deps)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(server_pid)" ] || die "already running for $dir (pid $(server_pid))"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$dir"
    runuser -u postgres -- test -x "$dir" \
      || die "user postgres cannot reach $dir (a parent directory is not searchable); choose another directory"
  fi
  chmod 0700 "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    if ! out=$(as_server_user "$PG_BIN/initdb" -D "$dir" --username="$user" --auth=trust \
      --encoding=UTF8 --locale=C 2>&1); then
      echo "$out" >&2; die "initdb failed"
    fi
    echo "include_if_exists = 'chartprov.conf'" >>"$dir/postgresql.conf"
    echo "$user" >"$dir/chartprov-user"
  fi
  user=$(cat "$dir/chartprov-user")  # the role initdb made, whatever this start was asked
  cat >"$dir/chartprov.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 100
EOF
  echo "postgresql://$user@127.0.0.1:$port/$user" >"$dir/chartprov-url"
  [ "$(id -u)" != 0 ] || chown postgres: "$dir/chartprov.conf" "$dir/chartprov-url"
  as_server_user "$PG_BIN/pg_ctl" start -D "$dir" -l "$dir/server.log" -w -t 60 >/dev/null \
    || { tail -n 20 "$dir/server.log" >&2 || true; die "pg_ctl start failed"; }
  if [ ! -f "$dir/chartprov-created" ]; then  # once, after the first start that succeeded
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$user" || die "createdb $user failed"
    : >"$dir/chartprov-created"
  fi
  echo "postgres up: $(cat "$dir/chartprov-url") (pid $(server_pid), data $dir, as $RUN_AS)"
  ;;
stop)
  [ -d "$dir" ] || die "no directory $dir"
  dir=$(cd "$dir" && pwd)
  pid=$(server_pid)
  [ -n "$pid" ] || { echo "postgres.sh: not running for $dir"; exit 0; }
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    echo "postgres.sh: pid $pid still running after 30 s; SIGQUIT" >&2
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
  fi
  alive "$pid" && die "pid $pid did not exit"
  echo "postgres stopped (pid $pid)"
  ;;
url)
  [ -f "$dir/chartprov-url" ] || die "no server was started in $dir"
  cat "$dir/chartprov-url"
  ;;
*) usage ;;
esac
