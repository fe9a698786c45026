/**
 * {@code vigil mixin diff|apply}: compares and pushes rendered rule groups to a Mimir-compatible
 * ruler config API ({@code /prometheus/config/v1/rules}), with mimirtool's namespace semantics.
 * Uses only the JDK's HTTP client.
 */
@NullMarked
package dev.vigil.mixin.sync;

import org.jspecify.annotations.NullMarked;
