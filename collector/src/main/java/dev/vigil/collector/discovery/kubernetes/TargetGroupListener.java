package dev.vigil.collector.discovery.kubernetes;

import dev.vigil.collector.discovery.TargetGroup;
import java.util.List;

/**
 * Receives every target group a discovery currently knows, each time that set changes; a scrape
 * pool's {@code sync} fits. Calls are serialised; a group that disappeared is simply absent from
 * the next snapshot.
 */
@FunctionalInterface
public interface TargetGroupListener {
  void update(List<TargetGroup> groups);
}
