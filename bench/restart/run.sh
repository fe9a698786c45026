#!/usr/bin/env bash
# Restarts against Prometheus: the same series (100k by default, 15 s scrapes) in Vigil and in Debian's
# Prometheus, each restarted from a fresh process, alternately, ROUNDS times per head size:
#   vigil-crash    Vigil replaying the whole WAL (a restart after a crash, no snapshot)
#   vigil-clean    Vigil restoring the head snapshot a clean close wrote
#   vigil-crash-15m  Vigil after a crash 15 min after the server's periodic head snapshot: the
#                  snapshot restored, the last 60 scrapes replayed from the WAL
#   prom-wal       Prometheus replaying its WAL (what every Prometheus restart does)
#   prom-snapshot  Prometheus with --enable-feature=memory-snapshot-on-shutdown
# and ends with Prometheus's replay time over Vigil's per head and kind of restart, the median
# and range of the rounds' ratios (each round's Prometheus start against its Vigil start).
# Usage: [SERIES=N] bench/restart/run.sh [ROUNDS] [SAMPLES_PER_SERIES...]
#   (defaults: 100000 series, 4 rounds, 300 and 600 samples per series)
# Samples per series must be multiples of 100: `promtool tsdb bench write` writes its scrapes in
# steps of 100 (--scrapes=30 writes 100 per series), and both sides must hold the same samples.
# Needs /usr/bin/prometheus and /usr/bin/promtool; builds bench/target/benchmarks.jar if missing.
# Vigil runs with the server's JVM options and AOT cache (see ./vigil); AOT=off leaves the cache
# out, AOT=both adds rounds without it.
set -euo pipefail

ROUNDS="${1:-4}"
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(300 600)
SERIES="${SERIES:-100000}"
for n in "${SIZES[@]}"; do
  if [ $((n % 100)) -ne 0 ] || [ "$n" -le 0 ]; then
    echo "samples per series must be a positive multiple of 100 (promtool's steps), got $n" >&2
    exit 2
  fi
done

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-restart.XXXXXX")"
PROM_PID=""
cleanup() {
  [ -z "$PROM_PID" ] || kill "$PROM_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# Vigil starts as ./vigil starts the server: its JVM options, and an AOT cache trained by the
# same training run (on this jar's classpath; AOT=off: without the cache, AOT=both: Vigil
# with and without it in every round).
. "$ROOT/.mvn/scripts/java-opts.sh"
AOT_OPTS=()
AOT="${AOT:-on}"
if [ "$AOT" != off ]; then
  train_server_aot "$WORK"
  AOT_OPTS=(-XX:AOTCache="$WORK/vigil.aot")
fi
# shellcheck disable=SC2046
report() {
  local aot=("${AOT_OPTS[@]}")
  [ -z "${NO_AOT:-}" ] || aot=()
  "$JAVA" $(vigil_java_opts server) "${aot[@]}" -cp "$JAR" \
    dev.vigil.bench.tsdb.ReplayCpuReport "$@"
}
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > "$WORK/prometheus.yml"

# Starts Prometheus on DIR (extra flags after it), prints its replay time and CPU, stops it.
prom() {
  local dir="$1" what="$2"
  shift 2
  local port
  port="$(free_port)"
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$dir" \
    --web.listen-address="127.0.0.1:$port" "$@" > "$dir.log" 2>&1 &
  PROM_PID=$!
  for _ in $(seq 1 600); do
    grep -q total_replay_duration "$dir.log" && break
    sleep 0.1
  done
  local cpu
  cpu="$(awk '{print ($14+$15)*10}' "/proc/$PROM_PID/stat")"
  echo "$what: $(grep -o 'total_replay_duration=[^ ]*' "$dir.log"), process CPU ${cpu} ms"
  kill "$PROM_PID"
  wait "$PROM_PID" 2>/dev/null || true
  PROM_PID=""
}

"$JAVA" -cp "$JAR" dev.vigil.bench.tsdb.SeriesLabelsJson "$SERIES" > "$WORK/labels.json"
for n in "${SIZES[@]}"; do
  echo "preparing $n samples per series..."
  report 0 "$WORK/crash-$n" "$n" crash "$SERIES" > /dev/null 2>&1
  report 0 "$WORK/clean-$n" "$n" snapshot "$SERIES" > /dev/null 2>&1
  # (sizes are at least 100: the snapshot comes after scrape n-61, 60 scrapes are logged after it)
  report 0 "$WORK/periodic-$n" "$n" periodic:$((n - 61)) "$SERIES" > /dev/null 2>&1
  promtool tsdb bench write --out="$WORK/prom-$n" --metrics="$SERIES" --scrapes="$n" \
    "$WORK/labels.json" > /dev/null 2>&1
  cp -a "$WORK/prom-$n/storage" "$WORK/prom-snap-$n"
  # Twice: a stop right after the first replay may come before the snapshot can be written.
  for _ in 1 2; do
    prom "$WORK/prom-snap-$n" "(prime the snapshot)" \
      --enable-feature=memory-snapshot-on-shutdown > /dev/null
  done
done
vigil_side() {
  local n="$1"
  echo -n "vigil-crash: "; report 1 "$WORK/crash-$n" "$n" crash "$SERIES" 2>/dev/null
  echo -n "vigil-clean: "; report 1 "$WORK/clean-$n" "$n" snapshot "$SERIES" 2>/dev/null
  echo -n "vigil-crash-15m: "; report 1 "$WORK/periodic-$n" "$n" periodic:$((n - 61)) "$SERIES" 2>/dev/null
  if [ "$AOT" = both ]; then
    echo -n "vigil-crash, no AOT cache: "; NO_AOT=1 report 1 "$WORK/crash-$n" "$n" crash "$SERIES" 2>/dev/null
    echo -n "vigil-clean, no AOT cache: "; NO_AOT=1 report 1 "$WORK/clean-$n" "$n" snapshot "$SERIES" 2>/dev/null
    echo -n "vigil-crash-15m, no AOT cache: "
    NO_AOT=1 report 1 "$WORK/periodic-$n" "$n" periodic:$((n - 61)) "$SERIES" 2>/dev/null
  fi
}
prom_side() {
  local n="$1"
  rm -rf "$WORK/prom-run" && cp -a "$WORK/prom-$n/storage" "$WORK/prom-run"
  prom "$WORK/prom-run" "prom-wal"
  prom "$WORK/prom-snap-$n" "prom-snapshot" --enable-feature=memory-snapshot-on-shutdown
}
# Odd rounds start Vigil first, even rounds Prometheus: on this VM a start right after a large
# process exits touches its fresh memory slower (Vigil's young-head open after Prometheus's
# 600-sample replay against after a pause: 1.01/0.76, 0.96/0.97, 1.09/0.91, 1.24/1.05 s), and
# a fixed order put the same start there every round.
for r in $(seq 1 "$ROUNDS"); do
  for n in "${SIZES[@]}"; do
    echo "== round $r, $SERIES series x $n samples, load $(cut -d' ' -f1 /proc/loadavg)"
    if [ $((r % 2)) -eq 1 ]; then
      vigil_side "$n"
      prom_side "$n"
    else
      prom_side "$n"
      vigil_side "$n"
    fi
  done
done > >(tee "$WORK/rounds.log")
wait $! 2>/dev/null || true # the tee, so that the log is whole

# Per head: Prometheus's replay time over Vigil's in each round (its WAL replay against Vigil's
# two crashes, its snapshot against Vigil's clean restart), median and range over the rounds.
python3 - "$WORK/rounds.log" <<'PY'
import re, statistics, sys

UNIT = {"h": 3600, "m": 60, "s": 1, "ms": 1e-3, "µs": 1e-6}

def seconds(go_duration):  # Prometheus logs Go durations: 985.2ms, 1.38s, 1m5.2s
    return sum(float(n) * UNIT[u] for n, u in re.findall(r"([\d.]+)(ms|µs|h|m|s)", go_duration))

ratios = {}
for block in re.split(r"(?m)^== round \d+, ", open(sys.argv[1]).read())[1:]:
    head = re.match(r"(\d+) series x (\d+) samples", block)
    vigil = {k: float(v) for k, v in re.findall(r"(?m)^(vigil-[a-z0-9-]+): open 0: .*?([\d.]+) s wall", block)}
    prom = {k: seconds(v) for k, v in re.findall(r"(?m)^(prom-[a-z]+): total_replay_duration=([\dhmsµ.]+)", block)}
    r = ratios.setdefault(f"{int(head.group(1)):,} series x {head.group(2)} samples", {})
    for column, p, v in (("crash, whole WAL", "prom-wal", "vigil-crash"),
                         ("crash 15 min after the periodic snapshot", "prom-wal", "vigil-crash-15m"),
                         ("clean (snapshot)", "prom-snapshot", "vigil-clean")):
        if p in prom and v in vigil:
            r.setdefault(column, []).append(prom[p] / vigil[v])
print("== Prometheus's replay time over Vigil's: median (range) of the rounds")
for head, columns in ratios.items():
    print(head + ": " + "; ".join(
        f"{c} {statistics.median(x):.2f}x ({min(x):.2f}-{max(x):.2f}x)" for c, x in columns.items()))
PY
