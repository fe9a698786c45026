package dev.vigil.model.histogram;

/**
 * The outcome of adding or subtracting two histograms: the (uncompacted) result, whether a
 * {@code COUNTER_RESET} hint met a {@code NOT_COUNTER_RESET} one (the result's hint is then
 * UNKNOWN), and whether mismatched custom bucket bounds were reconciled to their intersection.
 */
public record CombineResult(
    FloatHistogram histogram, boolean counterResetCollision, boolean customBoundsReconciled) {}
