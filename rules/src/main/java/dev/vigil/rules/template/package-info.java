/**
 * A Go {@code text/template} engine with Go's parse, execution and {@code fmt} semantics, plus the
 * template functions and alert prelude Prometheus adds for rule labels and annotations.
 *
 * <p>Must not depend on the rule-file model ({@code dev.vigil.rules.file}) nor on a PromQL engine:
 * queries go through {@link dev.vigil.rules.template.QueryFunction}.
 */
@NullMarked
package dev.vigil.rules.template;

import org.jspecify.annotations.NullMarked;
