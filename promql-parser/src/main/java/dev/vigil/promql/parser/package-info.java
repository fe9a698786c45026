/**
 * PromQL text to AST and back: the hand-written lexer and recursive-descent parser (Prometheus
 * 3.x grammar, experimental features behind {@link dev.vigil.promql.parser.ParserOptions}), the
 * AST (sealed records), the function signature table and the canonical printer. Entry points are
 * {@link dev.vigil.promql.parser.Parser} and {@link dev.vigil.promql.parser.Printer}.
 *
 * <p>Depends only on {@code dev.vigil.model.labels}; knows nothing of evaluation or storage.
 */
package dev.vigil.promql.parser;
