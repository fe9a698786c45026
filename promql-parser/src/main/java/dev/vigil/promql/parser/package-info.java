/**
 * PromQL text to AST and back: lexer, parser, the AST (sealed records), the function signature
 * table and the canonical printer. Knows nothing of evaluation or storage.
 */
package dev.vigil.promql.parser;
