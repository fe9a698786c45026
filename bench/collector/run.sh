#!/usr/bin/env bash
# Text exposition parser: Vigil against Debian's Prometheus on the same real node-exporter body
# (bench/src/main/resources/dev/vigil/bench/collector/node-exporter-1.5.0.prom), in the same run.
# Usage: bench/collector/run.sh [SECONDS] [TARGETS] [INTERVAL_MS]   (defaults: 15, 50, 100)
#   1. JMH TextParseBenchmark (wall-clock MB/s and samples/s, allocation per body with -prof gc);
#   2. ParserCpuTime: Vigil's scan per CPU-second of the parsing thread;
#   3. PrometheusParserProfile: Prometheus's parser per CPU-second, from a pprof CPU profile of its
#      steady-state scrapes of the same body (see its javadoc and bench/README.md for the limits);
#   then the ratio of 2 to 3 per format.
# Needs /usr/bin/prometheus; builds bench/target/benchmarks.jar if missing.
set -euo pipefail

SECONDS_PER_RUN="${1:-15}"
TARGETS="${2:-50}"
INTERVAL_MS="${3:-100}"
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/vigil-parse.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== JMH TextParseBenchmark (wall clock)"
# ignoreLock: on the shared machine another JMH run may hold /tmp/jmh.lock; wall-clock figures
# are then noisier, the CPU-time ratio below is not affected.
"$JAVA" -Djmh.ignoreLock=true -jar "$JAR" TextParseBenchmark -wi 2 -w 2 -i 3 -r 3 -prof gc 2>&1 \
  | grep -E '^TextParseBenchmark\.[a-z]+(:bytes|:samples|:gc.alloc.rate.norm)?  ' || true

for fmt in text openmetrics; do
  echo "== $fmt"
  "$JAVA" -Xmx512m -cp "$JAR" dev.vigil.bench.collector.ParserCpuTime "$fmt" "$SECONDS_PER_RUN" | tee "$OUT/vigil-$fmt"
  "$JAVA" -cp "$JAR" dev.vigil.bench.collector.PrometheusParserProfile "$fmt" "$TARGETS" "$INTERVAL_MS" "$SECONDS_PER_RUN" \
    | tee "$OUT/prom-$fmt"
  v=$(sed -n 's/.*: \([0-9.]*\) MB\/s per core.*/\1/p' "$OUT/vigil-$fmt")
  p=$(sed -n 's/^prometheus parser throughput: \([0-9.]*\) MB\/s.*/\1/p' "$OUT/prom-$fmt")
  echo "ratio ($fmt, MB per CPU-second, Vigil / Prometheus): $(awk -v v="$v" -v p="$p" 'BEGIN { printf "%.2f", v / p }')"
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
