#!/usr/bin/env bash
# Run a command with a throwaway Redis on 127.0.0.1 (free port, temporary directory, no
# persistence), exported as TEST_REDIS_URL. The server is stopped and removed afterwards, also on
# failure. If TEST_REDIS_URL is already set, the command runs against that server instead.
set -euo pipefail
if [[ -n ${TEST_REDIS_URL:-} ]]; then
  export XIESHANG_REQUIRE_REDIS=1
  exec "$@"
fi
server=$(command -v redis-server || true)
if [[ -z $server ]]; then
  echo "redis-server is missing: install Debian's redis-server (make test does, as root)" >&2
  exit 1
fi
dir=$(mktemp -d -t xieshang-redis.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

stop() {
  local pid
  if [[ -f $dir/redis.pid ]]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}
trap stop EXIT

"$server" --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/server.log" >/dev/null
for _ in $(seq 100); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.05
done
echo "throwaway Redis on 127.0.0.1:$port"
export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
export XIESHANG_REQUIRE_REDIS=1
status=0
"$@" || status=$?
exit $status
