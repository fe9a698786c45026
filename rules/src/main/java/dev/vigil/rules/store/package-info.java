/**
 * The ruler's per-tenant rule storage ({@code <data-dir>/rules/<tenant>/<namespace>/<group>.yaml})
 * with the operations of Mimir's ruler config API: list, get, set and delete of namespaces and
 * groups, validated by the rule-file loader and written atomically. Knows nothing of HTTP.
 */
@NullMarked
package dev.vigil.rules.store;

import org.jspecify.annotations.NullMarked;
