# JVM options for a vigil command, one per line; $1 is its first argument. VIGIL_JAVA_OPTS
# (split on spaces) overrides them. Sourced by ./vigil and the benchmark scripts, so both start
# Vigil the same way.
#
# Long-running commands (server, agent) get G1 with transparent huge pages (madvise; no effect
# where the kernel has them off): against ZGC, 1M series remote-written took 904 instead of
# 1746 B of RSS per series, new series 106k instead of ~60k samples per CPU-second, and a cold
# restart of 100k series 20-45% less time (no compressed oops and 4 KB page faults under ZGC);
# the price is young pauses of ~15 ms median, 70 ms p90, 150 ms at most at 1M series on 2 cores
# (ZGC: ~1 ms). VIGIL_JAVA_OPTS="-XX:+UseZGC -Xss8m" brings ZGC back (bench/README.md).
# They also get loop back-edge notifications to the JIT 8 times rarer in C1's code (tiers 2-3).
# With the AOT cache's profiles a method that reached C2 in training is queued for C2 at its
# first notification; for a method whose loop runs a few times per call (the labels of a label
# set) that was a loop's, so C2 compiled it twice, on-stack replacement first and whole after,
# on the one C2 thread a restart waits for. A cold replay of 100k series x 100 samples: C2's
# on-stack replacements 0.26-0.33 s -> 0.06-0.14 s, the replay 1.05-1.17 s -> 0.81-0.88 s; a
# loop that runs long in one call still gets its replacement, after <= 128k more iterations.
# The server also gets server-compiler-directives.json (beside this file), when it is there:
# the methods that create series are left to C1, with which a restart's replay of series
# records is done sooner than C2 would have compiled them (see that file); a cold replay of
# 100k series x 100 samples took 0.67-0.70 s instead of 0.83-0.88 s.
# The tsdb tools are batch runs over much data: the optimising compiler, and
# the serial collector, which keeps the heap small (`tsdb dump` of 10M samples: ZGC 8.9 s and
# 3.5 GB RSS, serial 5.1 s and 0.29 GB; `tsdb analyze`: 2.6 s/0.58 GB, 2.3 s/0.29 GB). The other
# commands are short CLI runs in a fresh JVM, where C2's warm-up and ZGC's setup cost more than
# they save. Measured on this 2-core machine: `test promql` over the whole conformance suite
# 1.94 s -> 1.01 s, cold `mixin build` of the kubernetes-mixin 3.7 s -> 1.7 s
# (bench/mixin/run.sh).
VIGIL_COMPILER_DIRECTIVES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/server-compiler-directives.json"
vigil_java_opts() {
  if [ -n "${VIGIL_JAVA_OPTS:-}" ]; then
    # shellcheck disable=SC2086
    printf '%s\n' $VIGIL_JAVA_OPTS
    return
  fi
  case "${1:-}" in
    server | agent)
      printf '%s\n' -XX:+UseG1GC -XX:+UseTransparentHugePages -Xss8m \
        -XX:Tier2BackedgeNotifyFreqLog=17 -XX:Tier3BackedgeNotifyFreqLog=16
      if [ "$1" = server ] && [ -f "$VIGIL_COMPILER_DIRECTIVES" ]; then
        # The JVM's own messages ("1 compiler directives added") go to standard error.
        printf '%s\n' -XX:+DisplayVMOutputToStderr -XX:+UnlockDiagnosticVMOptions \
          "-XX:CompilerDirectivesFile=$VIGIL_COMPILER_DIRECTIVES"
      fi
      ;;
    tsdb) printf '%s\n' -XX:+UseSerialGC -Xss8m ;;
    *) printf '%s\n' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss8m ;;
  esac
}
