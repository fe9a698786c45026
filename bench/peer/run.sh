#!/usr/bin/env bash
# Peer benchmark: the same data in Debian's Prometheus and in Vigil, the same query_range timed
# on both. Loopback only. Usage: bench/peer/run.sh [RUNS] [SERIES]   (defaults: 20, 10000)
# Needs /usr/bin/prometheus and /usr/bin/promtool; builds bench/target/benchmarks.jar if missing.
set -euo pipefail

RUNS="${1:-20}"
SERIES="${2:-10000}"
# HOURS > 1: both servers read the data from 24 h blocks (Vigil imports the same OpenMetrics file
# Prometheus's blocks are made from), and the query covers the middle hour: old data.
HOURS="${HOURS:-1}"
# RANGE_S: seconds the timed query_range covers (3600); 0 times a single step, an instant query.
RANGE_S="${RANGE_S:-3600}"
WARMUP="${WARMUP:-3}"
PROM_PORT="${PROM_PORT:-19090}"
VIGIL_PORT="${VIGIL_PORT:-19009}"
QUERY='sum by (job) (rate(x[5m]))'

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-peer.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
peer() { "$JAVA" -cp "$JAR" dev.vigil.bench.peer.PeerBenchmark "$@"; }

# One hour of data ending a minute ago, aligned to the minute: recent enough for both servers'
# retention, and (for Vigil) for the head's out-of-order window.
NOW=$(date +%s)
END_S=$(( (NOW / 60) * 60 - 60 ))
T0_S=$(( END_S - 3600 * HOURS ))
Q_START=$(( T0_S + 1800 * (HOURS - 1) ))   # the middle hour (all of it when HOURS=1)
Q_END=$(( Q_START + RANGE_S ))
CMP_START=$(( Q_START + (RANGE_S > 301 ? 301 : 1) ))   # off the 15 s grid, see below
CMP_END=$(( RANGE_S > 0 ? Q_END : CMP_START ))
echo "data: $SERIES series x $(( 240 * HOURS + 1 )) samples, $(date -u -d @"$T0_S" +%FT%TZ) .. $(date -u -d @"$END_S" +%FT%TZ)"

echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
peer openmetrics "$WORK/data.om" "$((T0_S * 1000))" "$SERIES" "$HOURS"
mkdir -p "$WORK/prom-data"
if [ "$HOURS" -gt 1 ]; then
  promtool tsdb create-blocks-from openmetrics --max-block-duration=24h "$WORK/data.om" \
    "$WORK/prom-data" >"$WORK/promtool.log"
  echo "== Vigil: importing the same file into 24 h blocks"
  "$ROOT/vigil" tsdb import openmetrics --block-duration=24h --data-dir "$WORK/vigil-data" \
    --tenant bench "$WORK/data.om" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log"; exit 1; }
else
  promtool tsdb create-blocks-from openmetrics "$WORK/data.om" "$WORK/prom-data" >"$WORK/promtool.log"
fi
rm "$WORK/data.om"
printf 'global:\n  scrape_interval: 1m\n' >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom-data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)

echo "== Vigil (./vigil server, default storage engine)"
"$ROOT/vigil" server --listen "127.0.0.1:$VIGIL_PORT" --data-dir "$WORK/vigil-data" \
  --distributor.ingestion-rate-limit=0 >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)

wait_ready "http://127.0.0.1:$PROM_PORT/-/ready"
wait_ready "http://127.0.0.1:$VIGIL_PORT/ready"
if [ "$HOURS" -eq 1 ]; then
  peer push-otlp "http://127.0.0.1:$VIGIL_PORT" bench "$((T0_S * 1000))" "$SERIES"
fi

echo "== query_range $QUERY, start=$Q_START end=$Q_END step=60s, $WARMUP warm-up + $RUNS timed runs each"
# Same answers? Debian's Prometheus is 2.x, Vigil follows Prometheus 3, and two changes between
# them show on this grid-aligned data: 3.x windows exclude their left edge (2.x includes the
# sample at t-5m), and 3.x caps the zero-point extrapolation after the 110% threshold (differs
# while a window holds the series start). So the check uses steps shifted by 1 s off the 15 s
# grid, from the first whole window on, where both versions must agree to rounding.
peer compare "http://127.0.0.1:$PROM_PORT" - "http://127.0.0.1:$VIGIL_PORT/prometheus" bench \
  "$QUERY" "$CMP_START" "$CMP_END" 60
OUT="$WORK/times.txt"
peer time prometheus "http://127.0.0.1:$PROM_PORT" - "$QUERY" "$Q_START" "$Q_END" 60 "$WARMUP" "$RUNS" | tee -a "$OUT"
peer time vigil "http://127.0.0.1:$VIGIL_PORT/prometheus" bench "$QUERY" "$Q_START" "$Q_END" 60 "$WARMUP" "$RUNS" | tee -a "$OUT"
awk '/^MEDIAN/ {m[$2]=$3} END {printf "ratio (Prometheus median / Vigil median): %.2f\n", m["prometheus"]/m["vigil"]}' "$OUT"
