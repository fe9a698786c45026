package dev.vigil.tsdb.block;

/** File names inside a block directory; see {@code FORMAT.md}. */
public final class BlockFormat {
  public static final String META = "meta.json";
  public static final String INDEX = "index";
  public static final String CHUNKS = "chunks";
  /** Suffix of a block being written; such a directory is never read as a block. */
  public static final String TMP_SUFFIX = ".tmp";

  private BlockFormat() {}
}
