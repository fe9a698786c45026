package dev.vigil.rules.store;

import dev.vigil.rules.file.RuleGroup;

/**
 * One rule group of a tenant's namespace.
 *
 * @param yaml the group as it was posted (one group, not a {@code groups:} file), what {@code GET
 *     .../{namespace}/{group}} answers
 * @param group the validated model
 */
public record StoredGroup(String namespace, String name, String yaml, RuleGroup group) {}
