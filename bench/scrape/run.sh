#!/usr/bin/env bash
# Scrape benchmark (issue 8): collector CPU per 1M scraped series, Vigil's collector against
# Debian's Prometheus 2.42 in agent mode, one after the other on the same exporters, with the
# same config file (static_configs + remote_write to a blackhole receiver answering 204).
# Usage: bench/scrape/run.sh [TARGETS] [SERIES_PER_TARGET] [SECONDS]   (defaults: 100 10000 90)
#   INTERVAL (env, default 15s): scrape_interval of the job; SECONDS is the steady window measured
#   after the first full round of scrapes and WARMUP_ROUNDS (env, default 4) more intervals (on a
#   loaded machine Vigil's sender needs 3-4 intervals to send the first round's backlog of new
#   series; a window that includes that catch-up measures it instead of the steady state).
# Exporters and receiver run in their own JVM (dev.vigil.bench.scrape.StaticExporters); only the
# collector's own process is measured: utime+stime of /proc/<pid>/stat (all threads: scrape,
# parse, WAL, sender, GC, JIT) per series the exporters served in the window, and its RSS.
# Vigil runs dev.vigil.bench.scrape.VigilScrapeRunner (what `vigil agent` runs) from the bench
# jar with ./vigil's agent JVM options (VIGIL_JAVA_OPTS overrides them).
set -euo pipefail

TARGETS="${1:-100}"
SERIES="${2:-10000}"
WINDOW="${3:-90}"
INTERVAL="${INTERVAL:-15s}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-4}"
PROM_PORT="${PROM_PORT:-19093}"

. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../bench-jar.sh"
. "$ROOT/.mvn/scripts/java-opts.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-scrape.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
TICKS="$(getconf CLK_TCK)"
INTERVAL_S="$(echo "$INTERVAL" | sed -n 's/^\([0-9]*\)s$/\1/p')"
[ -n "$INTERVAL_S" ] || { echo "INTERVAL must be whole seconds like 15s, got $INTERVAL" >&2; exit 2; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "scrape: $TARGETS targets x $SERIES series = $((TARGETS * SERIES)) series every $INTERVAL, window ${WINDOW}s"

"$JAVA" -Xmx2g -XX:+UseParallelGC -cp "$JAR" dev.vigil.bench.scrape.StaticExporters "$TARGETS" "$SERIES" \
  "$WORK/ports" >"$WORK/exporters.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do [ -f "$WORK/ports" ] && break; sleep 0.2; done
[ -f "$WORK/ports" ] || { echo "exporters did not start" >&2; cat "$WORK/exporters.log" >&2; exit 1; }
CONTROL="http://127.0.0.1:$(head -1 "$WORK/ports")"

{
  printf 'global:\n  scrape_interval: %s\n  scrape_timeout: %s\n' "$INTERVAL" "$INTERVAL"
  printf 'scrape_configs:\n  - job_name: kube\n    static_configs:\n      - targets:\n'
  tail -n +2 "$WORK/ports" | sed 's/^/          - 127.0.0.1:/'
  printf 'remote_write:\n  - url: %s/api/v1/write\n' "$CONTROL"
} >"$WORK/scrape.yml"

stat_of() { curl -fs "$CONTROL/stats" | awk -v k="$1" '$1 == k { print $2 }'; }
cpu_s() { awk -v t="$TICKS" '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); printf "%.2f", (f[12] + f[13]) / t }' "/proc/$1/stat"; }
rss_mb() { awk -v k="$2" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# Live heap after full collections (taken after the window, so not in its CPU): the RSS of each
# runtime mostly reflects its heap sizing policy (ZGC without -Xmx grows to a quarter of RAM).
# Vigil: the bytes of all live objects from GC.class_histogram (which collects first), the same
# quantity as Go's heap_alloc after a forced GC; GC.heap_info's "used" is also printed, but with
# ZGC it counts whole pages that were not relocated, i.e. live objects plus holes.
zgc_used_mb() { # PID
  "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$1" GC.heap_info | grep -o 'used [0-9]*[KMG]' | head -1 \
    | awk '{ v = substr($2, 1, length($2) - 1); u = substr($2, length($2)); printf "%.0f", u == "G" ? v * 1024 : u == "K" ? v / 1024 : v }'
}
live_heap_mb() { # NAME PID
  if [ "$1" = vigil ]; then
    "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$2" GC.run >/dev/null
    "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$2" GC.run >/dev/null # ZGC may keep the first cycle's floating garbage
    echo "vigil: heap used after GC (GC.heap_info) $(zgc_used_mb "$2") MB" >&2
    "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$2" GC.class_histogram | awk '$1 == "Total" { printf "%.0f", $3 / 1048576 }'
  else
    curl -fs -o /dev/null "http://127.0.0.1:$PROM_PORT/debug/pprof/heap?gc=1"
    curl -fs -o /dev/null "http://127.0.0.1:$PROM_PORT/debug/pprof/heap?gc=1"
    curl -fs "http://127.0.0.1:$PROM_PORT/metrics" | awk '$1 == "go_memstats_heap_alloc_bytes" { printf "%.0f", $2 / 1048576 }'
  fi
}

# measure NAME PID: prints the startup + first round cost, then the steady window's figures.
measure() {
  local name="$1" pid="$2" base t0 c0 s0 b0 w0 c1 s1 b1 w1 t1
  base="$(stat_of series)"
  for _ in $(seq 1 $((INTERVAL_S * 40))); do
    kill -0 "$pid" 2>/dev/null || { echo "$name exited" >&2; tail -30 "$WORK/$name.log" >&2; exit 1; }
    [ $(($(stat_of series) - base)) -ge $((TARGETS * SERIES)) ] && break
    sleep 0.25
  done
  echo "$name: start + first round of scrapes: $(cpu_s "$pid") CPU-s, RSS $(rss_mb "$pid" VmRSS) MB"
  sleep $((WARMUP_ROUNDS * INTERVAL_S))
  c0="$(cpu_s "$pid")"; s0="$(stat_of series)"; b0="$(stat_of write_bytes)"; w0="$(stat_of writes)"; t0="$(date +%s.%N)"
  sleep "$WINDOW"
  c1="$(cpu_s "$pid")"; s1="$(stat_of series)"; b1="$(stat_of write_bytes)"; w1="$(stat_of writes)"; t1="$(date +%s.%N)"
  awk -v n="$name" -v c="$(echo "$c1 - $c0" | bc)" -v s="$((s1 - s0))" -v b="$((b1 - b0))" -v w="$((w1 - w0))" \
    -v t="$(echo "$t1 - $t0" | bc)" -v iv="$INTERVAL_S" -v rss="$(rss_mb "$pid" VmRSS)" -v hwm="$(rss_mb "$pid" VmHWM)" \
    -v live="$(live_heap_mb "$name" "$pid")" 'BEGIN {
      per = c / (s / 1e6)
      printf "%s: window %.1f s, %d series scraped, %.2f CPU-s (%.2f cores), remote write %d requests %.1f MB\n", n, t, s, c, c / t, w, b / 1e6
      printf "%s: %.3f CPU-s per 1M scraped series; 1M series every %ds = %.2f CPU-s per minute (%.3f cores); RSS %d MB (peak %d MB), live heap after GC %d MB\n", n, per, iv, per * 60 / iv, per / iv, rss, hwm, live
      printf "RESULT %s %.4f %d %d\n", n, per, rss, live
    }' | tee -a "$WORK/results"
}

echo "== Vigil collector (VigilScrapeRunner: ScrapeManager -> RemoteStorage, JVM opts: $(vigil_java_opts agent))"
# shellcheck disable=SC2086
"$JAVA" $(vigil_java_opts agent) -cp "$JAR" dev.vigil.bench.scrape.VigilScrapeRunner "$WORK/scrape.yml" \
  "$WORK/vigil-data" >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)
VIGIL_PID=$!
measure vigil "$VIGIL_PID"
kill "$VIGIL_PID"; wait "$VIGIL_PID" 2>/dev/null || true
sleep 2

echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') --enable-feature=agent"
prometheus --enable-feature=agent --config.file="$WORK/scrape.yml" --storage.agent.path="$WORK/prom-data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
PROM_PID=$!
measure prometheus "$PROM_PID"
kill "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true

awk '$1 == "RESULT" { per[$2] = $3; rss[$2] = $4; live[$2] = $5 } END {
  printf "ratio Vigil / Prometheus: CPU per scraped series %.2f, RSS %.2f, live heap %.2f\n",
    per["vigil"] / per["prometheus"], rss["vigil"] / rss["prometheus"], live["vigil"] / live["prometheus"] }' "$WORK/results"
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
