package dev.vigil.tsdb;

import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.wal.WalFormat;
import java.util.function.UnaryOperator;

/**
 * One replay thread's decoding of WAL records whose checksum matched, in log order: it restarts
 * the type-17 value chains at each new segment, and names a record that does not decode by
 * segment and file offset (no string is built per record). Not thread-safe: the read-ahead
 * thread and the replaying thread each have one.
 */
final class ReplayRecordDecoder {
  private final RecordDecoder decoder;
  private final ByteSource src = new ByteSource("", new byte[0]);
  private int segment = -1;
  private String segmentName = "";

  ReplayRecordDecoder() {
    this(UnaryOperator.identity());
  }

  /** With series labels decoded to {@code canonical}'s strings (see {@link RecordDecoder}). */
  ReplayRecordDecoder(UnaryOperator<String> canonical) {
    decoder = new RecordDecoder(canonical);
  }

  /** Decodes the payload {@code buf[0, len)} of the record at {@code offset} into {@code out}. */
  void decode(byte[] buf, int len, int segment, long offset, RecordDecoder.Visitor out) {
    ByteSource in = source(buf, len, segment, offset);
    try {
      decoder.decode(in, out);
    } catch (CorruptDataException e) {
      throw doesNotDecode(e);
    }
  }

  /**
   * Reads only the header of the float run (type 20) {@code buf[0, len)} at {@code offset}
   * into {@code out} (see {@link RecordDecoder#floatRunHeader}).
   */
  void floatRunHeader(byte[] buf, int len, int segment, long offset,
      RecordDecoder.FloatRunHeader out) {
    ByteSource in = source(buf, len, segment, offset);
    try {
      decoder.floatRunHeader(in, out);
    } catch (CorruptDataException e) {
      throw doesNotDecode(e);
    }
  }

  private ByteSource source(byte[] buf, int len, int segment, long offset) {
    if (segment != this.segment) {
      this.segment = segment;
      segmentName = "WAL segment " + segment;
      decoder.segmentStart();
    }
    return src.reset(segmentName, buf, 0, len, offset + WalFormat.RECORD_HEADER_SIZE);
  }

  private static StorageException doesNotDecode(CorruptDataException e) {
    // The CRC matched, so the bytes are what was written: a bug or a newer writer.
    return new StorageException("WAL record with valid checksum does not decode: "
        + e.getMessage(), e);
  }
}
