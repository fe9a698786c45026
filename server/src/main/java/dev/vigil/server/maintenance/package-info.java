/**
 * Background upkeep of the tenants' TSDBs: head → block cuts, compaction, retention and closing
 * idle tenants, on a schedule, with metrics; and applying changed per-tenant limits to open
 * TSDBs. Must not depend on HTTP or PromQL.
 */
package dev.vigil.server.maintenance;
