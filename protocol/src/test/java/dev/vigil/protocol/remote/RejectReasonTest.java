package dev.vigil.protocol.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleRejectedException;
import dev.vigil.model.storage.SampleRejectedException.Kind;
import dev.vigil.model.storage.StorageException;
import org.junit.jupiter.api.Test;

class RejectReasonTest {
  /** Mimir's ingester reasons and error IDs for the store's refusals by timestamp. */
  @Test
  void theStoresRefusalsByTimestampTakeMimirsReasonsAndErrorIds() {
    assertThat(reason(Kind.OUT_OF_ORDER))
        .extracting(RejectReason::label, RejectReason::errorId)
        .containsExactly("sample-out-of-order", "err-mimir-sample-out-of-order");
    assertThat(reason(Kind.TOO_OLD))
        .extracting(RejectReason::label, RejectReason::errorId)
        .containsExactly("sample-too-old", "err-mimir-sample-timestamp-too-old");
    assertThat(reason(Kind.OUT_OF_BOUNDS))
        .extracting(RejectReason::label, RejectReason::errorId)
        .containsExactly("sample-timestamp-too-old", "err-mimir-sample-timestamp-too-old");
    assertThat(reason(Kind.DUPLICATE_TIMESTAMP))
        .extracting(RejectReason::label, RejectReason::errorId)
        .containsExactly("new-value-for-timestamp", "err-mimir-sample-duplicate-timestamp");
    assertThat(RejectReason.of(new StorageException("disk full"))).isEqualTo(RejectReason.STORAGE);
  }

  @Test
  void theMessageNamesTheSampleAndEndsWithTheErrorId() {
    StorageException e = new SampleRejectedException(Kind.DUPLICATE_TIMESTAMP,
        "duplicate sample for timestamp: series {__name__=\"up\"} already has another value");
    assertThat(RejectReason.message(e, Labels.of("__name__", "up"), 42)).isEqualTo(
        "duplicate sample for timestamp: series {__name__=\"up\"} already has another value,"
            + " timestamp: 42, series: '{__name__=\"up\"}' (err-mimir-sample-duplicate-timestamp)");
  }

  private static RejectReason reason(Kind kind) {
    return RejectReason.of(new SampleRejectedException(kind, "refused"));
  }
}
