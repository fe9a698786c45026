/**
 * Self-monitoring values of the ruler and notifier as plain samples, so that this module needs no
 * metrics library and no global registry: the server collects them and renders them.
 */
@NullMarked
package dev.vigil.rules.metrics;

import org.jspecify.annotations.NullMarked;
