/**
 * The ruler inside the server: the rules module's per-tenant managers over the tenants' stores,
 * Mimir's rule config API ({@code /prometheus/config/v1/rules}) and Prometheus's
 * {@code /api/v1/rules} and {@code /api/v1/alerts}. Must not depend on the app.
 */
package dev.vigil.server.ruler;
