# Sourced by the benchmark scripts (bench/*/run.sh): sets ROOT (the repository), JAVA (the JDK 25
# that ./mvnw finds) and JAR (bench/target/benchmarks.jar, or $BENCH_JAR), building the jar when
# it is missing.
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$ROOT/.mvn/scripts/find-jdk.sh"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="${BENCH_JAR:-$ROOT/bench/target/benchmarks.jar}"
[ -f "$JAR" ] || "$ROOT/mvnw" -q -f "$ROOT/pom.xml" -pl bench -am package -DskipTests
