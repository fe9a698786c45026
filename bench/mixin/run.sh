#!/usr/bin/env bash
# kubernetes-mixin render time: cold `vigil mixin build` (a fresh JVM per run, started the way
# ./vigil starts it) against Debian's C++ jsonnet running the three commands of the mixin's
# Makefile (conformance/README.md), on the same vendor tree, interleaved in one run. The tree is
# the mixin module's upstream fixtures (kubernetes-mixin aa38e2bf and its pinned dependencies,
# see mixin/src/test/fixtures/upstream/README.md) laid out as `vigil mixin vendor` writes it.
# Vigil does more than the three commands (it also writes the rule-group files and the
# PrometheusRule/ConfigMap manifests). Outputs are compared once (they must be identical).
# Usage: bench/mixin/run.sh [RUNS]   (default 5). Needs /usr/bin/jsonnet and app/target/vigil.jar
# (built with `./mvnw -pl app -am package -DskipTests` when missing).
set -euo pipefail

RUNS="${1:-5}"
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
. "$ROOT/.mvn/scripts/find-jdk.sh"
. "$ROOT/.mvn/scripts/java-opts.sh"
VIGIL_JAVA_OPTS="$(vigil_java_opts mixin)" # what ./vigil uses for `vigil mixin ...`
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="$ROOT/app/target/vigil.jar"
[ -f "$JAR" ] || "$ROOT/mvnw" -q -f "$ROOT/pom.xml" -pl app -am package -DskipTests
command -v jsonnet >/dev/null || { echo "needs the C++ jsonnet (apt-get install jsonnet)" >&2; exit 1; }
FIX="$ROOT/mixin/src/test/fixtures/upstream"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vigil-mixin-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

P="$WORK/kubernetes-mixin"
cp -r "$FIX/kubernetes-mixin" "$P"
V="$P/vendor/github.com"
mkdir -p "$V/grafana/grafonnet" "$V/jsonnet-libs/docsonnet" "$V/jsonnet-libs/xtd"
cp -r "$FIX/grafonnet/gen" "$V/grafana/grafonnet/"
cp -r "$FIX/docsonnet/doc-util" "$V/jsonnet-libs/docsonnet/"
cp -r "$FIX/xtd/." "$V/jsonnet-libs/xtd/"
cd "$P"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "vigil:   $JAVA $VIGIL_JAVA_OPTS -jar app/target/vigil.jar mixin build --vendor vendor -o OUT mixin.libsonnet"
echo "jsonnet: $(jsonnet --version 2>&1 | head -1): -S lib/alerts.jsonnet; -S lib/rules.jsonnet; -m OUT lib/dashboards.jsonnet"

vigil_run() {
  # shellcheck disable=SC2086
  "$JAVA" $VIGIL_JAVA_OPTS -jar "$JAR" mixin build --vendor vendor -o "$WORK/vigil-out" mixin.libsonnet >/dev/null 2>"$WORK/vigil.err" \
    || { cat "$WORK/vigil.err" >&2; return 1; }
}
cpp_run() {
  rm -rf "$WORK/cpp-out" && mkdir -p "$WORK/cpp-out/dashboards"
  jsonnet -J vendor -S lib/alerts.jsonnet >"$WORK/cpp-out/alerts.yaml"
  jsonnet -J vendor -S lib/rules.jsonnet >"$WORK/cpp-out/rules.yaml"
  jsonnet -J vendor -m "$WORK/cpp-out/dashboards" lib/dashboards.jsonnet >/dev/null
}
export -f vigil_run cpp_run
export JAVA JAR WORK VIGIL_JAVA_OPTS
measure() { # runs the function $1 in a child shell; prints "wall cpu" seconds (cpu = user + sys of all its processes)
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" bash -c "$1"
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

VIGIL=(); CPP=(); VIGIL_CPU=(); CPP_CPU=()
for i in $(seq 1 "$RUNS"); do
  read -r v vc < <(measure vigil_run)
  read -r c cc < <(measure cpp_run)
  VIGIL+=("$v"); CPP+=("$c"); VIGIL_CPU+=("$vc"); CPP_CPU+=("$cc")
  echo "run $i: vigil ${v} s wall (${vc} s CPU), jsonnet ${c} s wall (${cc} s CPU)"
done

diff -r "$WORK/cpp-out/dashboards" "$WORK/vigil-out/dashboards" >/dev/null && cmp -s "$WORK/cpp-out/alerts.yaml" "$WORK/vigil-out/alerts.yaml" \
  && cmp -s "$WORK/cpp-out/rules.yaml" "$WORK/vigil-out/rules.yaml" \
  && echo "outputs: identical (alerts.yaml, rules.yaml, $(ls "$WORK/vigil-out/dashboards" | wc -l) dashboards)" \
  || { echo "outputs DIFFER" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
mv=$(median "${VIGIL[@]}"); mc=$(median "${CPP[@]}")
mvc=$(median "${VIGIL_CPU[@]}"); mcc=$(median "${CPP_CPU[@]}")
echo "median wall: vigil ${mv} s, jsonnet ${mc} s, ratio vigil/jsonnet $(ratio "$mv" "$mc")x"
echo "median CPU:  vigil ${mvc} s, jsonnet ${mcc} s, ratio vigil/jsonnet $(ratio "$mvc" "$mcc")x"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
