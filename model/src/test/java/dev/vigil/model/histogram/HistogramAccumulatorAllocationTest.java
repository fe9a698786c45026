package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The summing hot path must not allocate once the accumulator's arrays have grown: the engine
 * adds thousands of histograms per group and step.
 */
class HistogramAccumulatorAllocationTest {

  @Test
  void addingSameShapedHistogramsAllocatesNothing() {
    Assumptions.assumeTrue(ManagementFactory.getThreadMXBean()
        instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "unsupported");
    FloatHistogram a = HistogramNotation.parse(
        "{{schema:3 count:40 sum:12 z_bucket:2 z_bucket_w:0.001 offset:-5"
            + " buckets:[1 2 3 4 5 6 7 8 0 1] n_offset:2 n_buckets:[1 1 1]}}");
    FloatHistogram b = HistogramNotation.parse(
        "{{schema:2 count:20 sum:4 z_bucket:1 z_bucket_w:0.001 offset:-1"
            + " buckets:[1 2 3 4] n_buckets:[1 1 1 2]}}");
    HistogramAccumulator acc = HistogramAccumulator.kahan();
    long tid = Thread.currentThread().threadId();
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 30; round++) {
      acc.reset();
      acc.add(a);
      long before = mx.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 10_000; i++) {
        acc.add((i & 1) == 0 ? a : b);
      }
      best = Math.min(best, mx.getThreadAllocatedBytes(tid) - before);
    }
    // Allow a little slack for the measurement itself; 10k adds must not allocate per add.
    assertThat(best).isLessThan(10_000);
  }
}
