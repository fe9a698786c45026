# Sourced by the benchmark scripts (bench/*/*.sh): sets ROOT (the repository), JAVA (the JDK 25
# that ./mvnw finds) and JAR (bench/target/benchmarks.jar, or $BENCH_JAR), building the jar when
# it is missing, and defines wait_ready, free_port and train_server_aot.
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

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# train_server_aot DIR: trains the server's JDK AOT cache as ./vigil does (the server's JVM
# options, java-opts.sh, which the caller sources; the jar's own training run) into
# DIR/vigil.aot, its log in DIR/aot.log, its scratch data in DIR/aot-training.
train_server_aot() {
  echo "training the AOT cache..."
  # shellcheck disable=SC2046
  "$JAVA" $(vigil_java_opts server) -XX:AOTCacheOutput="$1/vigil.aot" -cp "$JAR" \
    dev.vigil.app.Main aot-training "$1/aot-training" > "$1/aot.log" 2>&1
}
