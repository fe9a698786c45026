/**
 * Snappy block format (not the framed stream format), as remote write uses it. Wraps snappy-java
 * with size limits checked before any allocation. Must not depend on protobuf or storage.
 */
package dev.vigil.protocol.snappy;
