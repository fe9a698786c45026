# Sourced by the benchmark scripts (bench/*/*.sh): sets ROOT (the repository), JAVA (the JDK 25
# that ./mvnw finds) and JAR (bench/target/benchmarks.jar, or $BENCH_JAR), building the jar when
# it is missing, and defines wait_ready.
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$ROOT/.mvn/scripts/find-jdk.sh"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="${BENCH_JAR:-$ROOT/bench/target/benchmarks.jar}"
[ -f "$JAR" ] || "$ROOT/mvnw" -q -f "$ROOT/pom.xml" -pl bench -am package -DskipTests

# wait_ready URL: returns once URL answers 2xx, polling every 0.05 s; after 120 s prints the
# tails of the logs in $WORK and exits the script.
wait_ready() {
  for _ in $(seq 1 2400); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.05
  done
  echo "not ready: $1" >&2
  tail -20 "${WORK:-/nonexistent}"/*.log >&2 2>/dev/null || true
  exit 1
}
