#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL on 127.0.0.1 (free port, temporary directory),
# exported as TEST_POSTGRES_URL. The server is stopped and removed afterwards, also on failure.
# If TEST_POSTGRES_URL is already set, the command runs against that server instead.
set -euo pipefail
if [[ -n ${TEST_POSTGRES_URL:-} ]]; then
  export XIESHANG_REQUIRE_POSTGRES=1
  exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n $bindir ]] || bindir=$(dirname "$(command -v initdb)")
dir=$(mktemp -d -t xieshang-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres: "$dir"
  as_pg=(runuser -u postgres --)
fi
user=$([[ $(id -u) -eq 0 ]] && echo postgres || id -un)

stop() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
echo "throwaway PostgreSQL on 127.0.0.1:$port"
export TEST_POSTGRES_URL="postgresql+psycopg://$user@127.0.0.1:$port/postgres"
export XIESHANG_REQUIRE_POSTGRES=1
status=0
"$@" || status=$?
exit $status
