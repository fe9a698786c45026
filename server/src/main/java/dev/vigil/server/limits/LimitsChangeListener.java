package dev.vigil.server.limits;

/**
 * Told when a tenant's limits change while the server runs (a runtime config reload), so that
 * what was built from the old limits (an open database's out-of-order window and exemplar
 * capacity) can follow at once instead of at its next opening.
 */
@FunctionalInterface
public interface LimitsChangeListener {
  /**
   * Called after the new limits are in force ({@link LimitsProvider#forTenant} answers
   * {@code after}), once per tenant whose limits differ, on the reloading thread.
   */
  void limitsChanged(String tenant, TenantLimits before, TenantLimits after);
}
