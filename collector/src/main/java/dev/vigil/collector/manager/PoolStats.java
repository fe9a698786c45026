package dev.vigil.collector.manager;

/**
 * One job's scrape pool as its self-monitoring metrics show it (Prometheus's
 * {@code prometheus_target_scrape_pool_*} series, labelled {@code scrape_job}).
 *
 * @param targets active targets after relabelling (also those failing for {@code target_limit})
 * @param targetLimit the job's {@code target_limit}, 0 for none
 * @param exceededTargetLimitTotal syncs that found more targets than {@code targetLimit}
 * @param droppedTargets targets relabelling dropped in the last sync
 * @param exceededSampleLimitTotal scrapes that failed for {@code sample_limit}
 * @param exemplarsRejectedTotal exemplars the store refused (Prometheus counts the out-of-order
 *     ones in {@code prometheus_target_scrapes_exemplar_out_of_order_total})
 */
public record PoolStats(String job, int targets, long targetLimit, long exceededTargetLimitTotal, int droppedTargets,
    long exceededSampleLimitTotal, long exemplarsRejectedTotal) {}
