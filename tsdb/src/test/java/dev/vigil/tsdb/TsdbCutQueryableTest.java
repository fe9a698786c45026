package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.Storage;
import dev.vigil.tsdb.contract.QueryableContract;
import java.nio.file.Path;

/**
 * The contract after cutting blocks from the head (checkpointing the WAL) and reopening: head,
 * blocks and checkpoint replay together answer like the reference store.
 */
class TsdbCutQueryableTest extends QueryableContract {
  private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRangeMs(300_000);

  @Override
  protected Storage open(Path dir) {
    return Tsdb.open(dir, OPTS);
  }

  @Override
  protected Queryable afterLoad(Storage loaded, Path dir) {
    Tsdb db = (Tsdb) loaded;
    assertThat(db.cutBlocks()).isNotEmpty();
    db.close();
    Tsdb reopened = Tsdb.open(dir, OPTS);
    assertThat(reopened.blocks()).isNotEmpty();
    return reopened;
  }

  @Override
  protected void close(Queryable q) {
    ((Tsdb) q).close();
  }
}
