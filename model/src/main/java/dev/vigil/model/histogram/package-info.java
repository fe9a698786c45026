/**
 * Native histograms (exponential and custom buckets) with Prometheus's semantics: the immutable
 * {@link dev.vigil.model.histogram.FloatHistogram} and its operations (add/sub with schema and
 * zero-bucket reconciliation, scaling, compaction, resolution reduction, reset detection, trim),
 * the allocation-lean {@link dev.vigil.model.histogram.HistogramAccumulator} for sums, bucket
 * iteration, PromQL's estimates ({@link dev.vigil.model.histogram.HistogramStatistics}, {@link
 * dev.vigil.model.histogram.ClassicBucketQuantile}), classic-to-NHCB conversion and the {@code
 * {{...}}} test notation ({@link dev.vigil.model.histogram.HistogramNotation}). Depends only on
 * the JDK; knows nothing of storage, labels or the engine.
 */
package dev.vigil.model.histogram;
