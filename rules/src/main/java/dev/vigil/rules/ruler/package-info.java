/**
 * The multi-tenant ruler: one rule manager per tenant of the rule store, kept in sync with it.
 * Uses rules.manager and rules.store; knows nothing of HTTP (the server's config API calls the
 * store, then {@code Ruler.sync(tenant)}).
 */
@NullMarked
package dev.vigil.rules.ruler;

import org.jspecify.annotations.NullMarked;
