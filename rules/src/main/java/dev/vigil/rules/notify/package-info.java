/**
 * Sending alerts to Alertmanager as Prometheus's notifier does: v2 API payload, external labels,
 * a bounded queue that drops the oldest alerts when full, batches, retries, and counters with
 * Prometheus's names. Depends on the model only; the rule manager feeds it.
 */
@NullMarked
package dev.vigil.rules.notify;

import org.jspecify.annotations.NullMarked;
