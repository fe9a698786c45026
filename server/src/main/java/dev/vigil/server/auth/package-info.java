/**
 * Optional request authentication: per-tenant tokens (HTTP basic with the tenant as user name,
 * or bearer). Must not depend on storage or PromQL.
 */
package dev.vigil.server.auth;
