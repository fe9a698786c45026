package dev.vigil.server.limits;

import dev.vigil.protocol.remote.ValidationLimits;

/**
 * The limits of one tenant, named as Mimir's limits config names them.
 *
 * @param ingestionRate samples per second ({@code ingestion_rate}); 0 = unlimited
 * @param ingestionBurstSize bucket size of that rate ({@code ingestion_burst_size})
 * @param validation {@code max_label_names_per_series}, {@code max_label_name_length},
 *     {@code max_label_value_length}
 */
public record TenantLimits(double ingestionRate, long ingestionBurstSize,
    ValidationLimits validation) {
  /** Mimir's defaults: 10,000 samples/s, burst 200,000, 30 labels, 1024/2048 characters. */
  public static final TenantLimits MIMIR_DEFAULTS =
      new TenantLimits(10_000, 200_000, ValidationLimits.MIMIR_DEFAULTS);

  public TenantLimits {
    if (ingestionRate < 0 || (ingestionRate > 0 && ingestionBurstSize <= 0)) {
      throw new IllegalArgumentException("invalid ingestion rate " + ingestionRate
          + " with burst " + ingestionBurstSize);
    }
  }
}
