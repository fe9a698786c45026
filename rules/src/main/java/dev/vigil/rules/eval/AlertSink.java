package dev.vigil.rules.eval;

import dev.vigil.rules.file.Rule;
import java.util.List;

/**
 * Receives the alerts of one alerting rule that are due for a notification after an evaluation
 * (Prometheus's {@code NotifyFunc}). Called on the evaluating thread; must not block for long.
 */
@FunctionalInterface
public interface AlertSink {
  /** @param alerts firing alerts and alerts resolved since they were last sent; never empty */
  void send(Rule.AlertingRule rule, List<Alert> alerts);

  /** Drops everything: for unit tests and rulers without Alertmanager. */
  AlertSink NONE = (rule, alerts) -> {};
}
