package dev.vigil.collector.config;

import dev.vigil.collector.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code remote_write} entry. Only what identifies and authenticates the endpoint is modelled
 * yet; the queue tuning fields are accepted (so existing files load) and not interpreted.
 */
public record RemoteWriteConfig(
    String url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    String protobufMessage,
    boolean sendExemplars,
    boolean sendNativeHistograms,
    HttpClientConfig httpClient,
    List<RelabelConfig> writeRelabelConfigs) {

  public RemoteWriteConfig {
    headers = Map.copyOf(headers);
    writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
  }
}
