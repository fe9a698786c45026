package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil server --config.file}: Mimir's YAML keys become flags; flags win. */
class ServerConfigFileTest {
  static ServerConfig parse(String... args) throws Exception {
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return cmd.config();
  }

  @Test
  void fileSetsWhatTheCommandLineDoesNotSay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        multitenancy_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 9100
        limits:
          ingestion_rate: 50000
          max_global_series_per_user: 1000
          max_total_query_length: 30d
          out_of_order_time_window: 15m
          max_global_exemplars_per_user: 500
        querier:
          timeout: 30s
        blocks_storage:
          tsdb:
            dir: %s
            close_idle_tsdb_timeout: 1h
            wal_fsync: 250ms
            memory_snapshot_on_shutdown: false
            head_snapshot_interval: 10m
        compactor:
          blocks_retention_period: 30d
        ruler:
          alertmanager_url: [http://am1:9093, http://am2:9093]
          evaluation_interval: 30s
        """.formatted(dir.resolve("data")));
    ServerConfig c = parse("--config.file", file.toString(), "--querier.timeout=45s");
    assertThat(c.multitenancy()).isFalse();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(9100);
    assertThat(c.limits().ingestionRate()).isEqualTo(50000);
    assertThat(c.limits().maxGlobalSeriesPerUser()).isEqualTo(1000);
    assertThat(c.limits().maxTotalQueryLength()).isEqualTo(Duration.ofDays(30));
    assertThat(c.limits().outOfOrderTimeWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.limits().maxGlobalExemplarsPerUser()).isEqualTo(500);
    assertThat(c.engine().timeout()).isEqualTo(Duration.ofSeconds(45)); // the flag wins
    assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(c.maintenance().closeIdleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.wal().fsync()).isEqualTo(dev.vigil.tsdb.wal.FsyncPolicy.INTERVAL);
    assertThat(c.wal().fsyncIntervalMs()).isEqualTo(250);
    assertThat(c.headSnapshot()).isFalse();
    assertThat(c.maintenance().headSnapshotInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.maintenance().retentionTime()).isEqualTo(Duration.ofDays(30));
    assertThat(c.ruler().alertmanagers()).hasSize(2);
    assertThat(c.ruler().evaluationInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.configYaml()).contains("blocks_retention_period");
  }

  @Test
  void unknownKeysAreErrorsNamingTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, "limits:\n  ingestion_rat: 5\n");
    assertThatThrownBy(() -> parse("--config.file", file.toString()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("unknown or unsupported key 'limits.ingestion_rat'");
  }

  @Test
  void anOutOfOrderWindowWiderThanHalfABlockIsRefused() {
    assertThatThrownBy(() -> parse("--ingester.out-of-order-time-window=90m"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("out-of-order time window PT1H30M is not in [0, 1h]");
  }

  @Test
  void withoutAFileTheDefaultsAreMimirs() throws Exception {
    ServerConfig c = parse();
    assertThat(c.port()).isEqualTo(9009);
    assertThat(c.limits().maxGlobalSeriesPerUser()).isEqualTo(150_000);
    assertThat(c.limits().rulerMaxRulesPerRuleGroup()).isEqualTo(20);
    assertThat(c.limits().outOfOrderTimeWindow()).isZero(); // Mimir's
    assertThat(c.limits().maxGlobalExemplarsPerUser()).isEqualTo(100_000); // Prometheus's
    assertThat(c.maintenance().retentionTime()).isEqualTo(Duration.ofDays(15));
    assertThat(c.ruler().enabled()).isTrue();
    assertThat(c.wal().fsync()).isEqualTo(dev.vigil.tsdb.wal.FsyncPolicy.PER_COMMIT);
  }

  @Test
  void walFsyncIsCommitOrAnInterval() {
    assertThatThrownBy(() -> parse("--blocks-storage.tsdb.wal-fsync=often"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--blocks-storage.tsdb.wal-fsync");
    assertThatThrownBy(() -> parse("--blocks-storage.tsdb.wal-fsync=0s"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'commit' or a positive interval such as 200ms, got 0s");
  }
}
