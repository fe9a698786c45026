# JVM options for a vigil command; $1 is its first argument. VIGIL_JAVA_OPTS overrides them.
# Sourced by ./vigil and the benchmark scripts, so both start Vigil the same way.
#
# Long-running or data-heavy commands (server, agent, tsdb) get ZGC: short pauses under load,
# and the optimising compiler pays off. The other commands are short CLI runs in a fresh JVM,
# where C2's warm-up and ZGC's setup cost more than they save. Measured on this 2-core machine:
# `test promql` over the whole conformance suite 1.94 s -> 1.01 s, cold `mixin build` of the
# kubernetes-mixin 3.7 s -> 1.7 s (bench/mixin/run.sh).
vigil_java_opts() {
  if [ -n "${VIGIL_JAVA_OPTS:-}" ]; then
    echo "$VIGIL_JAVA_OPTS"
    return
  fi
  case "${1:-}" in
    server | agent | tsdb) echo "-XX:+UseZGC -Xss8m" ;;
    *) echo "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss8m" ;;
  esac
}
