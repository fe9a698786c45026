/** JMH benchmarks of the PromQL engine. */
package dev.vigil.bench.promql;
