package dev.vigil.rules.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvalSlotsTest {

  /** Reference values of XXH64 (seed 0) from the xxHash project and its Python binding. */
  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.argumentSet("empty", "", 0xEF46DB3751D8E999L),
        Arguments.argumentSet("one byte", "a", 0xD24EC4F1A98C6E5BL),
        Arguments.argumentSet("three bytes", "abc", 0x44BC2CF5AD770999L),
        Arguments.argumentSet("over 32 bytes", "Nobody inspects the spammish repetition",
            0xFBCEA83C8A378BF1L));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void xxhash64MatchesReference(String input, long expected) {
    assertThat(XxHash64.hash(input.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }

  @Test
  void slotIsTheLatestAtOrBeforeNowAndKeepsTheGroupOffset() {
    Random r = new Random(42);
    long interval = 60_000_000_000L;
    for (int i = 0; i < 1000; i++) {
      long hash = r.nextLong();
      long now = 1_700_000_000_000_000_000L + (r.nextLong() & 0xffffffffffffL);
      long slot = EvalSlots.evalTimestampNanos(hash, interval, now);
      assertThat(slot).isLessThanOrEqualTo(now).isGreaterThan(now - interval);
      assertThat(Math.floorMod(slot, interval)).isEqualTo(Long.remainderUnsigned(hash, interval));
    }
  }

  @Test
  void groupHashDependsOnFileAndName() {
    assertThat(EvalSlots.groupHash("f", "g")).isEqualTo(EvalSlots.groupHash("f", "g"))
        .isNotEqualTo(EvalSlots.groupHash("g", "f"))
        .isNotEqualTo(EvalSlots.groupHash("f", "h"));
  }

  @Test
  void tableLinkEscapesLikeGo() {
    assertThat(GroupRunner.tableLink("sum(rate(x{a=\"b c\"}[5m])) * 2 > 1~"))
        .isEqualTo("/graph?g0.expr=sum%28rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29%29+%2A+2+%3E+1~"
            + "&g0.tab=1");
  }
}
