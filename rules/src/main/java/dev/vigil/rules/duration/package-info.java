/**
 * Prometheus's duration syntax ({@code 1h30m}, {@code 1d}, {@code 1w}, {@code 1y}, {@code 0}) as
 * used in rule files and by the {@code parseDuration} template function.
 *
 * <p>Depends on nothing else in Vigil.
 */
@NullMarked
package dev.vigil.rules.duration;

import org.jspecify.annotations.NullMarked;
