package dev.vigil.server.limits;

/** Answers the current limits of a tenant; cheap and thread-safe (called per request). */
@FunctionalInterface
public interface LimitsProvider {
  TenantLimits forTenant(String tenant);
}
