package dev.vigil.server.metadata;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the metadata kept per tenant.
 *
 * @param retain metadata not re-sent for this long is forgotten (Mimir's
 *     {@code -ingester.metadata-retain-period}, 10m; Prometheus re-sends every minute)
 * @param maxFamiliesPerTenant metric families kept per tenant; new ones beyond it are dropped
 *     (Mimir's {@code max_global_metadata_per_user} is unlimited by default; Vigil keeps a bound
 *     so that no sender can grow the heap without end)
 * @param maxPerFamily distinct type/help/unit combinations kept per family (Mimir's
 *     {@code max_global_metadata_per_metric}, likewise bounded here)
 * @param maxLength longest help, name or unit in UTF-8 bytes (Mimir's
 *     {@code -validation.max-metadata-length}, 1024): longer help is cut, longer names and units
 *     drop the entry, as Mimir does
 */
public record MetadataOptions(Duration retain, int maxFamiliesPerTenant, int maxPerFamily,
    int maxLength) {
  public static final MetadataOptions DEFAULTS =
      new MetadataOptions(Duration.ofMinutes(10), 100_000, 10, 1024);

  public MetadataOptions {
    Objects.requireNonNull(retain, "retain");
    if (!retain.isPositive() || maxFamiliesPerTenant <= 0 || maxPerFamily <= 0 || maxLength <= 0) {
      throw new IllegalArgumentException("metadata bounds must be positive: " + retain + ", "
          + maxFamiliesPerTenant + ", " + maxPerFamily + ", " + maxLength);
    }
  }
}
