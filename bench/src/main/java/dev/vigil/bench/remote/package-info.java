/**
 * Benchmarks of the remote-write sender: request encoding (Vigil's streaming encoder against
 * protobuf-java's generated builders, the way a Java sender would do it).
 */
package dev.vigil.bench.remote;
