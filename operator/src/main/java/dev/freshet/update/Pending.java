package dev.freshet.update;

import java.time.Instant;

/**
 * The candidate a workload waits for, as recorded in the API server: when Freshet first saw its
 * digest, so a restart or a new leader does not reset a minimum age.
 *
 * @param candidate the tag and digest that wait
 * @param since when Freshet first saw that digest (whole seconds)
 */
public record Pending(Pin candidate, Instant since) {}
