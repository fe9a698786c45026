# JVM options for a vigil command; $1 is its first argument. VIGIL_JAVA_OPTS overrides them.
# Sourced by ./vigil and the benchmark scripts, so both start Vigil the same way.
#
# Long-running commands (server, agent) get ZGC: short pauses under load, and the optimising
# compiler pays off. The tsdb tools are batch runs over much data: the optimising compiler, and
# the serial collector, which keeps the heap small (`tsdb dump` of 10M samples: ZGC 8.9 s and
# 3.5 GB RSS, serial 5.1 s and 0.29 GB; `tsdb analyze`: 2.6 s/0.58 GB, 2.3 s/0.29 GB). The other
# commands are short CLI runs in a fresh JVM, where C2's warm-up and ZGC's setup cost more than
# they save. Measured on this 2-core machine: `test promql` over the whole conformance suite
# 1.94 s -> 1.01 s, cold `mixin build` of the kubernetes-mixin 3.7 s -> 1.7 s
# (bench/mixin/run.sh).
vigil_java_opts() {
  if [ -n "${VIGIL_JAVA_OPTS:-}" ]; then
    echo "$VIGIL_JAVA_OPTS"
    return
  fi
  case "${1:-}" in
    server | agent) echo "-XX:+UseZGC -Xss8m" ;;
    tsdb) echo "-XX:+UseSerialGC -Xss8m" ;;
    *) echo "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss8m" ;;
  esac
}
