#!/usr/bin/env bash
# A restart after a crash of a server past its first block cut, against Prometheus: the head's
# series and the samples not yet in a block come back from a WAL checkpoint (plus, for
# Prometheus, the segments its checkpoint leaves), the full chunks from chunks_head.
#   Vigil: 100k series (SERIES) x 800 scrapes every 15 s, then the cut [0, 2h), which
#          checkpoints the whole WAL; the head keeps 320 samples per series.
#   Prometheus: `promtool tsdb bench write` of the same series x 800 scrapes (every 30 s),
#          started once so that it compacts [0, 2h) and [2h, 4h) and checkpoints, then killed
#          (SIGKILL); its head keeps 320 samples per series too.
# Each round restarts both from fresh copies, alternately, and the script ends with
# Prometheus's replay time (total_replay_duration) over Vigil's open: median and range.
# Usage: [SERIES=N] bench/restart/after-cut.sh [ROUNDS]   (default 4 rounds)
# Needs /usr/bin/prometheus and /usr/bin/promtool; builds bench/target/benchmarks.jar if missing.
set -euo pipefail

ROUNDS="${1:-4}"
SERIES="${SERIES:-100000}"
SCRAPES=800

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-after-cut.XXXXXX")"
PROM_PID=""
cleanup() {
  [ -z "$PROM_PID" ] || kill -9 "$PROM_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
. "$ROOT/.mvn/scripts/java-opts.sh"
train_server_aot "$WORK"
report() {
  # shellcheck disable=SC2046
  "$JAVA" $(vigil_java_opts server) -XX:AOTCache="$WORK/vigil.aot" -cp "$JAR" \
    dev.vigil.bench.tsdb.ReplayCpuReport "$@"
}
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > "$WORK/prometheus.yml"

echo "preparing Vigil's data..."
report 0 "$WORK/vigil" "$SCRAPES" cut "$SERIES" > "$WORK/vigil-prepare.log" 2>&1
grep -q "cut block" "$WORK/vigil-prepare.log" || { echo "Vigil did not cut a block" >&2; exit 1; }

echo "preparing Prometheus's data (it compacts about a minute after its start)..."
"$JAVA" -cp "$JAR" dev.vigil.bench.tsdb.SeriesLabelsJson "$SERIES" > "$WORK/labels.json"
promtool tsdb bench write --out="$WORK/prom-bench" --metrics="$SERIES" --scrapes="$SCRAPES" \
  "$WORK/labels.json" > /dev/null 2>&1
mv "$WORK/prom-bench/storage" "$WORK/prom"
# (The port first: the log must be this start's before the loop below reads it.)
PORT="$(free_port)"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address="127.0.0.1:$PORT" > "$WORK/prom-prepare.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 1 3000); do
  grep -q "WAL checkpoint complete" "$WORK/prom-prepare.log" && break
  sleep 0.1
done
kill -9 "$PROM_PID"
wait "$PROM_PID" 2>/dev/null || true
PROM_PID=""
grep -q "WAL checkpoint complete" "$WORK/prom-prepare.log" \
  || { echo "Prometheus did not checkpoint its WAL" >&2; exit 1; }
rm -f "$WORK/prom/queries.active" "$WORK/prom/lock"

vigil_side() {
  rm -rf "$WORK/vigil-run" && cp -a "$WORK/vigil" "$WORK/vigil-run"
  echo -n "vigil-after-cut: "; report 1 "$WORK/vigil-run" "$SCRAPES" cut "$SERIES" 2>/dev/null
}
prom_side() {
  rm -rf "$WORK/prom-run" && cp -a "$WORK/prom" "$WORK/prom-run"
  local port
  port="$(free_port)"
  : > "$WORK/prom-run.log"
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom-run" \
    --web.listen-address="127.0.0.1:$port" > "$WORK/prom-run.log" 2>&1 &
  PROM_PID=$!
  for _ in $(seq 1 1200); do
    grep -q total_replay_duration "$WORK/prom-run.log" && break
    sleep 0.1
  done
  echo "prom-after-cut: $(grep -o 'checkpoint_replay_duration=[^ ]*' "$WORK/prom-run.log")" \
    "$(grep -o 'total_replay_duration=[^ ]*' "$WORK/prom-run.log")"
  kill -9 "$PROM_PID"
  wait "$PROM_PID" 2>/dev/null || true
  PROM_PID=""
}
# Alternating which starts first (see run.sh).
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r, $SERIES series, load $(cut -d' ' -f1 /proc/loadavg)"
  if [ $((r % 2)) -eq 1 ]; then
    vigil_side
    prom_side
  else
    prom_side
    vigil_side
  fi
done > >(tee "$WORK/rounds.log")
wait $! 2>/dev/null || true

python3 - "$WORK/rounds.log" <<'PY'
import re, statistics, sys

UNIT = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "µs": 1e-6}

def seconds(go_duration):
    return sum(float(n) * UNIT[u] for n, u in re.findall(r"([\d.]+)(ms|µs|h|m|s)", go_duration))

ratios = []
for block in re.split(r"(?m)^== round \d+, ", open(sys.argv[1]).read())[1:]:
    v = re.search(r"(?m)^vigil-after-cut: open 0: .*?([\d.]+) s wall", block)
    p = re.search(r"(?m)^prom-after-cut: .*total_replay_duration=([\dhmsµ.]+)", block)
    if v and p:
        ratios.append(seconds(p.group(1)) / float(v.group(1)))
print("== Prometheus's replay time over Vigil's after the first cut: "
      f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}x), {len(ratios)} rounds")
PY
