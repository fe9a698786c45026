package dev.vigil.protocol.remote;

import java.util.Arrays;

/**
 * The symbol table of one remote write 2.0 request: each distinct string once, referenced by
 * index; index 0 is always the empty string, as the specification requires. Open addressing on
 * the strings' cached hash codes, so looking up a known symbol allocates nothing. Reset per
 * request; not thread-safe.
 */
final class SymbolTable {
  private String[] symbols = new String[256];
  private int size;
  private int[] slots = new int[512]; // symbol index + 1; 0 = empty

  SymbolTable() {
    reset();
  }

  void reset() {
    Arrays.fill(symbols, 0, size, null);
    Arrays.fill(slots, 0);
    size = 0;
    ref("");
  }

  int size() {
    return size;
  }

  String get(int i) {
    return symbols[i];
  }

  /** The index of {@code s}, adding it if new. */
  int ref(String s) {
    int mask = slots.length - 1;
    for (int i = mix(s.hashCode()) & mask; ; i = (i + 1) & mask) {
      int slot = slots[i];
      if (slot == 0) {
        if (size == symbols.length) {
          symbols = Arrays.copyOf(symbols, size * 2);
        }
        symbols[size] = s;
        slots[i] = ++size;
        if (size * 2 > slots.length) {
          rehash();
        }
        return size - 1;
      }
      String existing = symbols[slot - 1];
      if (existing == s || existing.equals(s)) {
        return slot - 1;
      }
    }
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int k = 0; k < size; k++) {
      int i = mix(symbols[k].hashCode()) & mask;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = k + 1;
    }
  }

  private static int mix(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
