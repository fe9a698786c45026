/** PromQL result values (scalar, string, vector, matrix) and annotations. No evaluation logic. */
package dev.vigil.promql.value;
