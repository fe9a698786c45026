package dev.vigil.rules.notify;

import java.util.List;

/**
 * Accepts alerts for delivery. Implementations queue and return at once: the rule manager calls
 * this on its evaluation threads.
 */
@FunctionalInterface
public interface AlertSender {
  void send(List<NotifierAlert> alerts);

  /** Discards alerts: a ruler without Alertmanager. */
  AlertSender NONE = alerts -> {};
}
