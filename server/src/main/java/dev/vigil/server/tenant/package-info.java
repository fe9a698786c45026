/**
 * Tenancy as a wrapper around storage: the {@code X-Scope-OrgID} rules (Mimir's IDs, federation
 * with {@code a|b}), the lazily opened per-tenant stores under {@code <data-dir>/tenants/}, and
 * the federating {@code Queryable} that adds {@code __tenant_id__}. Must not depend on HTTP
 * libraries, PromQL or a particular storage engine.
 */
package dev.vigil.server.tenant;
