#!/usr/bin/env bash
# Ingest benchmark: the same remote write 1.0 batches (2000 samples, snappy protobuf, 10
# Kubernetes-like labels per series) pushed over loopback to Debian's Prometheus
# (--web.enable-remote-write-receiver) and to Vigil, one after the other in the same run;
# samples/s and samples per CPU-second of each server process, and memory per series.
# Usage: bench/ingest/run.sh [SERIES] [SCRAPES] [CONCURRENCY]   (defaults: 1000000 6 4)
# Needs /usr/bin/prometheus; builds bench/target/benchmarks.jar if missing. Vigil runs from the
# bench jar in its own JVM with ./vigil's JVM options (VIGIL_JAVA_OPTS overrides them).
set -euo pipefail

SERIES="${1:-1000000}"
SCRAPES="${2:-6}"
CONCURRENCY="${3:-4}"
PROM_PORT="${PROM_PORT:-19091}"
VIGIL_PORT="${VIGIL_PORT:-19010}"

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
. "$ROOT/.mvn/scripts/java-opts.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-ingest.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
printf 'global:\n  scrape_interval: 1m\n' >"$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom-data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
  >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
PROM_PID=$!

echo "== Vigil (VigilServer from the bench jar: TSDB storage, no ingestion rate or series limit)"
# shellcheck disable=SC2086
"$JAVA" $(vigil_java_opts server) -cp "$JAR" dev.vigil.bench.ingest.IngestBenchmark \
  serve 127.0.0.1 "$VIGIL_PORT" "$WORK/vigil-data" >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)
VIGIL_PID=$!

wait_ready "http://127.0.0.1:$PROM_PORT/-/ready"
wait_ready "http://127.0.0.1:$VIGIL_PORT/ready"

# The generator builds every body first, then loads the servers one at a time; its own CPU is
# not counted (each server's utime+stime is read from /proc/<pid>/stat).
"$JAVA" -Xmx6g -cp "$JAR" dev.vigil.bench.ingest.IngestBenchmark push "$SERIES" "$SCRAPES" \
  "$CONCURRENCY" "$(getconf CLK_TCK)" \
  "prometheus,prometheus,$PROM_PID,http://127.0.0.1:$PROM_PORT" \
  "vigil,vigil,$VIGIL_PID,http://127.0.0.1:$VIGIL_PORT"
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
