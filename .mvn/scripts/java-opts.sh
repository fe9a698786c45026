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
# The server also starts with a young generation of at least 128 MB (-XX:NewSize) where the
# machine or container has 4 GB or more (its default heap is then 1 GB or more). A restart
# builds the head, all of it long-lived, through the young generation: G1's default first
# young generation (5% of the initial heap, ~20 MB) is full long before a replay of 100k
# series ends, and every collection inside the replay copies the head built so far (17 MB,
# then 50-70 MB), into memory touched for the first time. With 128 MB the replay of a 100k
# series x 100 samples head (104 MB allocated) collects no more: 0.62 s instead of 0.76 s
# (6 rotated rounds, paired 0.84x). The head is copied once by the first collection after the
# open instead, while the server serves. The price is memory an idle server touches before
# its first collection: up to ~110 MB more RSS (bench/README.md).
# The tsdb tools are batch runs over much data: the optimising compiler, and
# the serial collector, which keeps the heap small (`tsdb dump` of 10M samples: ZGC 8.9 s and
# 3.5 GB RSS, serial 5.1 s and 0.29 GB; `tsdb analyze`: 2.6 s/0.58 GB, 2.3 s/0.29 GB). The other
# commands are short CLI runs in a fresh JVM, where C2's warm-up and ZGC's setup cost more than
# they save. Measured on this 2-core machine: `test promql` over the whole conformance suite
# 1.94 s -> 1.01 s, cold `mixin build` of the kubernetes-mixin 3.7 s -> 1.7 s
# (bench/mixin/run.sh).
VIGIL_COMPILER_DIRECTIVES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/server-compiler-directives.json"
# The memory this process may use, in kB: the machine's, or its cgroup (v2) limit when lower.
vigil_memory_kb() {
  local kb limit
  kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || true)"
  limit="$(cat /sys/fs/cgroup/memory.max 2>/dev/null || true)"
  if [[ "$limit" =~ ^[0-9]+$ ]] && { [ -z "$kb" ] || [ $((limit / 1024)) -lt "$kb" ]; }; then
    kb=$((limit / 1024))
  fi
  echo "${kb:-0}"
}
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
      if [ "$1" = server ]; then
        # (A 4 GB machine's MemTotal reads a little under 4 GB: from 3.75 GB on.)
        if [ "$(vigil_memory_kb)" -ge $((4 * 1024 * 1024 - 262144)) ]; then
          printf '%s\n' -XX:NewSize=128m
        fi
        if [ -f "$VIGIL_COMPILER_DIRECTIVES" ]; then
          # The JVM's own messages ("2 compiler directives added") go to standard error.
          printf '%s\n' -XX:+DisplayVMOutputToStderr -XX:+UnlockDiagnosticVMOptions \
            "-XX:CompilerDirectivesFile=$VIGIL_COMPILER_DIRECTIVES"
        fi
      fi
      ;;
    tsdb) printf '%s\n' -XX:+UseSerialGC -Xss8m ;;
    *) printf '%s\n' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss8m ;;
  esac
}
