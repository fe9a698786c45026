/**
 * The rule manager: runs rule groups on Prometheus's evaluation slots, counts missed iterations
 * and failures, swaps groups atomically on update keeping the state of unchanged rules, restores
 * {@code for} state after a restart, and hands due alerts to a notifier. Time comes from an
 * injected clock and scheduler. Uses rules.eval for evaluation and rules.notify for alerts; knows
 * nothing of HTTP or tenants (the server runs one manager per tenant).
 */
@NullMarked
package dev.vigil.rules.manager;

import org.jspecify.annotations.NullMarked;
