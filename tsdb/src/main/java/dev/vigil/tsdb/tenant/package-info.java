/**
 * One database per tenant under one data directory ({@code <data>/tenants/<tenant>}), opened
 * lazily and closed when idle. Tenancy is this wrapper, never a parameter of the storage code
 * below it. Depends only on the {@code Tsdb} facade.
 */
package dev.vigil.tsdb.tenant;
