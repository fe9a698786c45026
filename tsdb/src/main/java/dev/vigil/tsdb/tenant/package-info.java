/**
 * The layout of a multi-tenant data directory: one database per tenant in
 * {@code <data>/tenants/<tenant>}, and the tenant-ID rules that keep those paths safe. Opening
 * databases lazily and closing idle ones is the server's job (its tenant registry), because it
 * owns the requests that lease them. Tenancy is never a parameter of the storage code below.
 */
package dev.vigil.tsdb.tenant;
