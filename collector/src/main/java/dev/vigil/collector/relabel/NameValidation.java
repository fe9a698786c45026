package dev.vigil.collector.relabel;

/**
 * Which label names are legal: Prometheus 3's UTF-8 scheme (any non-empty valid UTF-8) or the
 * legacy {@code [a-zA-Z_][a-zA-Z0-9_]*}. Prometheus 3 defaults to UTF-8.
 */
public enum NameValidation {
  UTF8,
  LEGACY;

  public boolean isValidLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    if (this == LEGACY) {
      return isLegacyName(name);
    }
    // Java strings are UTF-16; the only way to be invalid UTF-8 is a lone surrogate.
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static boolean isLegacyName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  /**
   * Prometheus's legacy check for a target label that may contain {@code $var}/{@code ${var}}:
   * {@code ^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$}. Hand-written because it runs at config
   * time only and a regex here would hide the grammar.
   */
  static boolean isLegacyTemplate(String s) {
    int i = 0;
    int n = s.length();
    if (n == 0) {
      return false;
    }
    while (i < n) {
      // One or more of: a letter/underscore, or a $ variable; then \w*.
      int start = i;
      while (i < n) {
        char c = s.charAt(i);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
          i++;
        } else if (c == '$') {
          int j = i + 1;
          if (j < n && s.charAt(j) == '{') {
            int k = j + 1;
            while (k < n && isWord(s.charAt(k))) {
              k++;
            }
            if (k == j + 1 || k >= n || s.charAt(k) != '}') {
              return false;
            }
            i = k + 1;
          } else {
            int k = j;
            while (k < n && isWord(s.charAt(k))) {
              k++;
            }
            if (k == j) {
              return false;
            }
            i = k;
          }
        } else {
          break;
        }
      }
      if (i == start) {
        return false;
      }
      while (i < n && isWord(s.charAt(i))) {
        i++;
      }
    }
    return true;
  }

  private static boolean isWord(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
