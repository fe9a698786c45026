package dev.vigil.tsdb.head;

import dev.vigil.model.storage.Storage;
import dev.vigil.tsdb.contract.QueryableContract;
import java.nio.file.Path;

class HeadQueryableTest extends QueryableContract {
  @Override
  protected Storage open(Path dir) {
    return new Head(HeadOptions.defaults(), CommitLog.NONE);
  }
}
