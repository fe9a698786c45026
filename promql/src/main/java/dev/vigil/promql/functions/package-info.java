/**
 * PromQL function implementations and their table (the counterpart of the parser's signature
 * table). Functions work on engine-supplied buffers ({@link dev.vigil.promql.functions.StepVector}
 * for instant vectors, {@link dev.vigil.promql.functions.Window} for one series' range) so the
 * step loop allocates little. Depends on the model, the AST and the value types; never on tsdb
 * and never on the engine package.
 */
package dev.vigil.promql.functions;
