package dev.vigil.collector.exposition;

/** UTF-8 validity on raw bytes, as Go's {@code utf8.Valid} (no surrogates, no overlongs). */
final class Utf8 {
  private Utf8() {}

  static boolean isValid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (b[i] >= 0) {
        i++;
      } else {
        int len = sequenceLength(b, i, to);
        if (len <= 0) {
          return false;
        }
        i += len;
      }
    }
    return true;
  }

  /** Length of the valid multi-byte sequence at {@code i}, or -1. */
  static int sequenceLength(byte[] b, int i, int to) {
    int c = b[i] & 0xff;
    if (c >= 0xc2 && c <= 0xdf) {
      return i + 1 < to && cont(b[i + 1]) ? 2 : -1;
    }
    if (c >= 0xe0 && c <= 0xef) {
      if (i + 2 >= to || !cont(b[i + 1]) || !cont(b[i + 2])) {
        return -1;
      }
      int c1 = b[i + 1] & 0xff;
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f)) {
        return -1;
      }
      return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
      if (i + 3 >= to || !cont(b[i + 1]) || !cont(b[i + 2]) || !cont(b[i + 3])) {
        return -1;
      }
      int c1 = b[i + 1] & 0xff;
      if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f)) {
        return -1;
      }
      return 4;
    }
    return -1;
  }

  private static boolean cont(byte x) {
    return (x & 0xc0) == 0x80;
  }
}
