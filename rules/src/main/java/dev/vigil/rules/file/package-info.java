/**
 * Prometheus rule files: the model ({@link dev.vigil.rules.file.RuleGroup},
 * {@link dev.vigil.rules.file.Rule}), a strict loader whose errors are promtool's, and
 * {@link dev.vigil.rules.file.RuleFileChecker}, the library behind {@code vigil check rules}.
 *
 * <p>Uses the template package for label/annotation checks. Must not depend on the PromQL engine
 * or storage: expressions are checked through {@link dev.vigil.rules.file.ExprValidator}.
 */
@NullMarked
package dev.vigil.rules.file;

import org.jspecify.annotations.NullMarked;
