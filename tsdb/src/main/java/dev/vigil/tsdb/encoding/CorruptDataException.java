package dev.vigil.tsdb.encoding;

import dev.vigil.model.storage.StorageException;

/**
 * Bytes that do not decode: bad checksum, truncated field, impossible value. The message always
 * names the resource (file or in-memory name), the offset and what was expected vs found.
 */
public class CorruptDataException extends StorageException {
  private final String resource;
  private final long offset;

  public CorruptDataException(String resource, long offset, String problem) {
    super(resource + " at offset " + offset + ": " + problem);
    this.resource = resource;
    this.offset = offset;
  }

  public CorruptDataException(String resource, long offset, String problem, Throwable cause) {
    super(resource + " at offset " + offset + ": " + problem, cause);
    this.resource = resource;
    this.offset = offset;
  }

  public String resource() {
    return resource;
  }

  public long offset() {
    return offset;
  }
}
