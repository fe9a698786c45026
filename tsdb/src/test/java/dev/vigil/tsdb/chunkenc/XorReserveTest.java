package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link XorAppender#reserveXor}: room made up front for the samples a replay brings next. */
class XorReserveTest {
  /** An encoder driven directly, as a head series drives its open chunk. */
  private static final class Stream extends XorAppender {
    Stream() {
      super(false);
    }

    void append(long t, double v) {
      appendXor(t, v);
    }

    void reserveFor(int samples) {
      reserveXor(samples);
    }

    byte[] bytes() {
      return xorBytes();
    }
  }

  @Test
  void aStreamReservedAtAnyPointWritesTheSameBytesAsOneThatGrew() {
    Random r = new Random(7);
    for (int iter = 0; iter < 500; iter++) {
      int n = 1 + r.nextInt(200);
      long[] ts = XorChunkTest.times(r, n)[0];
      int shape = r.nextInt(6);
      Stream grown = new Stream();
      Stream reserved = new Stream();
      double prev = 0;
      for (int i = 0; i < n; i++) {
        double v = XorChunkTest.value(r, shape, i, prev);
        prev = v;
        if (r.nextInt(10) == 0) {
          reserved.reserveFor(i + r.nextInt(150));
        }
        grown.append(ts[i], v);
        reserved.append(ts[i], v);
      }
      assertThat(reserved.bytes()).as("iteration %d", iter).isEqualTo(grown.bytes());
    }
  }

  @Test
  void aSteadyStreamReservedAfterEightSamplesTakesAFullChunkWithoutGrowingNorTwiceItsSize() {
    Stream s = new Stream();
    long t = 1_795_622_760_000L;
    double v = 1000;
    for (int i = 0; i < XorAppender.RESERVE_AFTER_SAMPLES; i++) {
      s.append(t += 15_000, v += 3);
    }
    s.reserveFor(120);
    byte[] room = s.buffer();
    for (int i = XorAppender.RESERVE_AFTER_SAMPLES; i < 120; i++) {
      s.append(t += 15_000, v += 3);
    }
    assertThat(s.buffer()).as("grown after the reservation").isSameAs(room);
    // The first sample (a whole timestamp and value) is not taken for the rate of the rest.
    assertThat(room.length).isLessThanOrEqualTo(2 * s.writtenBytes());
  }

  @Test
  void nothingIsReservedBeforeEightSamples() {
    Stream s = new Stream();
    long t = 1_795_622_760_000L;
    for (int i = 0; i < XorAppender.RESERVE_AFTER_SAMPLES - 1; i++) {
      s.append(t += 15_000, i);
    }
    byte[] before = s.buffer();
    s.reserveFor(120);
    assertThat(s.buffer()).isSameAs(before);
  }
}
