#!/usr/bin/env bash
# A restart after kill -9 under remote write, against Prometheus, as a user sees it: the same
# remote write 1.0 batches (bench/ingest: 2000 Kubernetes-like series per request, 15 s scrapes,
# 4 connections) pushed into Debian's Prometheus (--web.enable-remote-write-receiver) and into a
# Vigil server (tenant "bench"); both processes are then killed with SIGKILL, and each is
# restarted ROUNDS times, alternately, from a copy of what the kill left. Per restart:
#   ready   from the process's launch until a query answers with every series of one metric
#           (count({__name__=~"metric_0.*"}) = SERIES/100): JVM or Go start, the WAL replay
#           (Prometheus's before it answers at all; Vigil's from its start, on a thread of its
#           own, for every tenant a crash left with WAL to replay), and the query;
#   replay  what the server reports for the replay alone (Vigil's "opened ... in N ms" log line,
#           Prometheus's total_replay_duration);
#   samples count_over_time(...[1d]) summed over every series afterwards, which must equal the
#           samples both acknowledged: nothing acknowledged may be lost by the kill.
# Usage: [DATA=DIR] [ONLY=vigil|prometheus] bench/restart/remote-write.sh [ROUNDS] [SERIES] [SCRAPES]
#   (defaults: 3 100000 100). SERIES must be a multiple of 2000. DATA keeps what the kill left
#   in DIR, and a later run with the same DIR restarts from it without loading again (to compare
#   two Vigil builds on the same data: BENCH_JAR=other.jar ONLY=vigil). ONLY restarts one side.
# Needs /usr/bin/prometheus, curl and python3; builds bench/target/benchmarks.jar if missing.
# Vigil runs with the server's JVM options and an AOT cache trained as ./vigil trains it
# (AOT=off leaves it out).
set -euo pipefail

ROUNDS="${1:-3}"
SERIES="${2:-100000}"
SCRAPES="${3:-100}"
PROM_PORT="${PROM_PORT:-19092}"
VIGIL_PORT="${VIGIL_PORT:-19011}"
if [ $((SERIES % 2000)) -ne 0 ] || [ "$SCRAPES" -lt 2 ]; then
  echo "SERIES must be a multiple of 2000 and SCRAPES at least 2" >&2
  exit 2
fi

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
. "$ROOT/.mvn/scripts/java-opts.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-rw-restart.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

AOT_OPTS=()
if [ "${AOT:-on}" != off ]; then
  train_server_aot "$WORK"
  AOT_OPTS=(-XX:AOTCache="$WORK/vigil.aot")
fi
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > "$WORK/prometheus.yml"

start_prometheus() { # data dir
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$1" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
    > "$1.log" 2>&1 &
  PIDS+=($!)
  PID=$!
}
start_vigil() { # data dir
  # shellcheck disable=SC2046
  "$JAVA" $(vigil_java_opts server) "${AOT_OPTS[@]}" -cp "$JAR" \
    dev.vigil.bench.ingest.IngestBenchmark serve 127.0.0.1 "$VIGIL_PORT" "$1" > "$1.log" 2>&1 &
  PIDS+=($!)
  PID=$!
}
# Prints the first value of an instant query's answer ("" while there is none).
query() { # base url, query, time
  # The JSON is parsed only once a server answers: a python3 start per refused or failed poll
  # (every 20 ms while a server starts or replays) took CPU from the servers being measured.
  local body
  body="$(curl -fs -H 'X-Scope-OrgID: bench' --data-urlencode "query=$2" \
    --data-urlencode "time=$3" "$1/api/v1/query" 2>/dev/null)" || return 0
  printf '%s' "$body" | python3 -c 'import json,sys
r=json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null || true
}

# Every sample the server holds, metric by metric (Prometheus 2.42 refuses one query over all
# of them: count_over_time drops the names, and series of one pod would collide).
count_samples() { # base url
  python3 - "$1" "$AT" "$SERIES" <<'PY'
import json, sys, urllib.parse, urllib.request
base, at, series = sys.argv[1], sys.argv[2], int(sys.argv[3])
total = 0
for k in range(min(100, series)):
    q = urllib.parse.urlencode({"query": 'sum(count_over_time({__name__=~"metric_%d(_total)?"}[1d]))' % k, "time": at})
    req = urllib.request.Request(base + "/api/v1/query", data=q.encode(), headers={"X-Scope-OrgID": "bench"})
    r = json.load(urllib.request.urlopen(req))["data"]["result"]
    total += int(float(r[0]["value"][1])) if r else 0
print(total)
PY
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
STORE="${DATA:-$WORK}"
mkdir -p "$STORE"
if [ -f "$STORE/at" ]; then
  echo "== restarting from what $STORE holds (loaded earlier): $SERIES series x $SCRAPES scrapes"
else
echo "== loading both servers: $SERIES series x $SCRAPES scrapes"
start_prometheus "$STORE/prom"
PROM_PID=$PID
start_vigil "$STORE/vigil"
VIGIL_PID=$PID
wait_ready "http://127.0.0.1:$PROM_PORT/-/ready"
wait_ready "http://127.0.0.1:$VIGIL_PORT/ready"
"$JAVA" -Xmx6g -cp "$JAR" dev.vigil.bench.ingest.IngestBenchmark push "$SERIES" "$SCRAPES" 4 \
  "$(getconf CLK_TCK)" \
  "prometheus,prometheus,$PROM_PID,http://127.0.0.1:$PROM_PORT" \
  "vigil,vigil,$VIGIL_PID,http://127.0.0.1:$VIGIL_PORT" | grep -E "payload|accepted|ratio"
# The last scrape's timestamp (the newest sample Prometheus's head holds; a pushed scrape may
# be older than the lookback from now): queries are evaluated there, count_over_time looks back
# a day.
AT="$(curl -fs "http://127.0.0.1:$PROM_PORT/api/v1/status/tsdb" | python3 -c 'import json,sys
print(json.load(sys.stdin)["data"]["headStats"]["maxTime"] / 1000)')"
kill -9 "$PROM_PID" "$VIGIL_PID"
wait "$PROM_PID" "$VIGIL_PID" 2>/dev/null || true
PIDS=()
echo "$AT" > "$STORE/at"
fi
AT="$(cat "$STORE/at")"
EXPECTED=$((SERIES * SCRAPES))

# One restart of $1 (prometheus|vigil) from a fresh copy of what the kill left.
restart() {
  local kind="$1" base dir="$WORK/run-$1"
  rm -rf "$dir" "$dir.log"
  cp -a "$STORE/$([ "$kind" = vigil ] && echo vigil || echo prom)" "$dir"
  local t0 t1
  t0=$(date +%s%N)
  if [ "$kind" = vigil ]; then
    start_vigil "$dir"
    base="http://127.0.0.1:$VIGIL_PORT/prometheus"
  else
    start_prometheus "$dir"
    base="http://127.0.0.1:$PROM_PORT"
  fi
  local want=$((SERIES / 100)) got=""
  for _ in $(seq 1 3000); do
    got="$(query "$base" "count({__name__=~\"metric_0.*\"})" "$AT")"
    [ "$got" = "$want" ] && break
    sleep 0.02
  done
  t1=$(date +%s%N)
  local replay samples
  if [ "$kind" = vigil ]; then
    replay="$(grep -o 'replayed .* in [0-9]* ms' "$dir.log" | grep -o '[0-9]* ms$' | head -1)"
  else
    replay="$(grep -o 'total_replay_duration=[^ ]*' "$dir.log" | cut -d= -f2)"
  fi
  samples="$(count_samples "$base")"
  printf '%-10s ready %.3f s (count %s of %s), replay %s, samples %s of %s%s\n' "$kind" \
    "$(echo "($t1 - $t0) / 1000000000" | bc -l)" "${got:-none}" "$want" "${replay:-?}" \
    "${samples:-none}" "$EXPECTED" "$([ "$samples" = "$EXPECTED" ] || echo '  << LOST SAMPLES')"
  kill -9 "$PID"
  wait "$PID" 2>/dev/null || true
  PIDS=()
}

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r, load $(cut -d' ' -f1 /proc/loadavg)"
  [ "${ONLY:-vigil}" != vigil ] || restart vigil
  [ "${ONLY:-prometheus}" != prometheus ] || restart prometheus
done
