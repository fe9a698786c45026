package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import org.junit.jupiter.api.Test;

class BatchPoolTest {
  private static AppendBatch filled(Head head, int samples) {
    AppendBatch b = head.borrowBatch();
    for (int i = 0; i < samples; i++) {
      b.add(0, Labels.of("__name__", "m", "i", Integer.toString(i % 1000)), i, i, null);
    }
    return b;
  }

  @Test
  void largeBatchesAreReusedInTheirFewSlotsOnly() {
    Head head = new Head(HeadOptions.defaults(), CommitLog.NONE);
    AppendBatch big1 = filled(head, 100_000);
    AppendBatch big2 = filled(head, 100_000);
    AppendBatch big3 = filled(head, 100_000);
    head.returnBatch(big1);
    head.returnBatch(big2);
    head.returnBatch(big3); // both large slots taken: dropped
    assertThat(big1.sampleCount()).isZero();
    AppendBatch a = head.borrowBatch();
    AppendBatch b = head.borrowBatch();
    assertThat(a).isSameAs(big1);
    assertThat(b).isSameAs(big2);
    assertThat(head.borrowBatch()).isNotSameAs(big3);
  }

  @Test
  void outsizedBatchesAreDropped() {
    Head head = new Head(HeadOptions.defaults(), CommitLog.NONE);
    AppendBatch huge = filled(head, 300_000);
    head.returnBatch(huge);
    assertThat(head.borrowBatch()).isNotSameAs(huge);
  }
}
