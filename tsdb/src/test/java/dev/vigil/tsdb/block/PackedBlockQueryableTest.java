package dev.vigil.tsdb.block;

import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.Storage;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import java.nio.file.Path;

/**
 * The contract for a block written with packed float chunks (small ones, so that series cross
 * many chunk boundaries and kind changes) and reopened from disk.
 */
class PackedBlockQueryableTest extends QueryableContract {
  @Override
  protected Storage open(Path dir) {
    return new Head(HeadOptions.defaults(), CommitLog.NONE);
  }

  @Override
  protected Queryable afterLoad(Storage loaded, Path dir) {
    try (Querier q = loaded.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      BlockWriter.write(dir, "01PACKEDBLOCK", q, Long.MIN_VALUE, Long.MAX_VALUE,
          new ChunkPolicy(120, 9), 1);
    }
    return Block.open(dir.resolve("01PACKEDBLOCK"));
  }

  @Override
  protected void close(Queryable q) {
    ((Block) q).close();
  }
}
