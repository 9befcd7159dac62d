package io.streamfold.contract;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every Redis key the fleet uses, in one place. All keys carry the same hash tag, so the stream,
 * its dead letters, the batch ledger and every aggregate live in one Redis Cluster slot and one
 * Lua script may touch them all.
 *
 * <p>For stream name {@code events} (the default):
 * <table>
 *   <caption>Key layout</caption>
 *   <tr><th>key</th><th>type</th><th>content</th></tr>
 *   <tr><td>{@code {events}}</td><td>stream</td><td>the events; consumer group {@link #group()}</td></tr>
 *   <tr><td>{@code {events}:dlq}</td><td>stream</td><td>rejected entries: their fields plus
 *       {@code dlq_reason}, {@code dlq_detail}, {@code dlq_entry_id}, {@code dlq_consumer}, {@code dlq_at}</td></tr>
 *   <tr><td>{@code {events}:agg:total}</td><td>hash</td><td>{@code count}, {@code sum} (fixed-point units)
 *       over all events</td></tr>
 *   <tr><td>{@code {events}:agg:count:<dimension>}</td><td>hash</td><td>dimension value → event count</td></tr>
 *   <tr><td>{@code {events}:agg:sum:<dimension>}</td><td>hash</td><td>dimension value → value sum in units</td></tr>
 *   <tr><td>{@code {events}:batch:<batch id>}</td><td>string</td><td>ledger entry of a committed batch,
 *       expiring after the ledger TTL</td></tr>
 *   <tr><td>{@code {events}:lock:consumer-cleanup}</td><td>Redisson lock</td><td>held by the one processor
 *       removing dead consumers from the group</td></tr>
 * </table>
 */
public final class KeyLayout {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private final String stream;
    private final String group;

    /**
     * @param streamName the stream's name without braces, e.g. {@code events}; it becomes the hash tag
     * @param group      the consumer group the processors share
     */
    public KeyLayout(String streamName, String group) {
        if (!NAME.matcher(Objects.requireNonNull(streamName, "streamName")).matches()) {
            throw new IllegalArgumentException("stream name must be 1-64 characters of [A-Za-z0-9_.-], was '" + streamName + "'");
        }
        if (!NAME.matcher(Objects.requireNonNull(group, "group")).matches()) {
            throw new IllegalArgumentException("group must be 1-64 characters of [A-Za-z0-9_.-], was '" + group + "'");
        }
        this.stream = "{" + streamName + "}";
        this.group = group;
    }

    /** The default layout: stream {@code {events}}, group {@code aggregators}. */
    public static KeyLayout defaults() {
        return new KeyLayout("events", "aggregators");
    }

    /** The events stream. */
    public String stream() {
        return stream;
    }

    /** The consumer group every processor joins. */
    public String group() {
        return group;
    }

    /** The dead-letter stream. */
    public String deadLetters() {
        return stream + ":dlq";
    }

    /** Hash of {@code count} and {@code sum} over all events. */
    public String totals() {
        return stream + ":agg:total";
    }

    /** Hash of dimension value → count. */
    public String countsBy(String dimension) {
        return stream + ":agg:count:" + dimension;
    }

    /** Hash of dimension value → value sum in units. */
    public String sumsBy(String dimension) {
        return stream + ":agg:sum:" + dimension;
    }

    /** Ledger entry marking a batch as committed. */
    public String batch(String batchId) {
        return stream + ":batch:" + batchId;
    }

    /** Lock (Redisson) held by the one processor that removes dead consumers from the group. */
    public String cleanupLock() {
        return stream + ":lock:consumer-cleanup";
    }

    /** Field of {@link #totals()} holding the event count. */
    public static final String COUNT = "count";
    /** Field of {@link #totals()} holding the value sum in units. */
    public static final String SUM = "sum";
}
