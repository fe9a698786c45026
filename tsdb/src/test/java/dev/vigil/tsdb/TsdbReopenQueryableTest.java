package dev.vigil.tsdb;

import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.Storage;
import dev.vigil.tsdb.contract.QueryableContract;
import java.nio.file.Path;

/** The contract after close and reopen: everything the head answered comes back from the WAL. */
class TsdbReopenQueryableTest extends QueryableContract {
  @Override
  protected Storage open(Path dir) {
    return Tsdb.open(dir, TsdbOptions.defaults());
  }

  @Override
  protected Queryable afterLoad(Storage loaded, Path dir) {
    ((Tsdb) loaded).close();
    return Tsdb.open(dir, TsdbOptions.defaults());
  }

  @Override
  protected void close(Queryable q) {
    ((Tsdb) q).close();
  }
}
