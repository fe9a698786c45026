package dev.vigil.rules.unittest;

/** A malformed rule test file; the message names the file and the problem. */
final class TestFileException extends RuntimeException {
  TestFileException(String message) {
    super(message);
  }
}
