package io.streamfold.contract;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every Redis key the fleet uses, in one place. All keys carry the same hash tag, so the stream,
 * its dead letters, the batch ledger and every aggregate live in one Redis Cluster slot and one
 * Lua script may touch them all.
 *
 * <p>For stream name {@code events} (the default), with {@code <minute>}, {@code <hour>}, {@code <day>} the
 * epoch minute, hour and day number of the events' time ({@code floor(ts / 60000)} etc.), {@code <d>} a
 * dimension's field name and {@code <v>} one of its values:
 * <table>
 *   <caption>Key layout</caption>
 *   <tr><th>key</th><th>type</th><th>content</th><th>expiry</th></tr>
 *   <tr><td>{@code {events}}</td><td>stream</td><td>the events; consumer group {@link #group()}</td><td>-</td></tr>
 *   <tr><td>{@code {events}:dlq}</td><td>stream</td><td>rejected entries: their fields plus
 *       {@code dlq_reason}, {@code dlq_detail}, {@code dlq_entry_id}, {@code dlq_consumer}, {@code dlq_deliveries},
 *       {@code dlq_at}</td><td>capped length</td></tr>
 *   <tr><td>{@code {events}:agg:total}</td><td>hash</td><td>{@code count}, {@code sum} (fixed-point units),
 *       {@code min}, {@code max} over all events</td><td>-</td></tr>
 *   <tr><td>{@code {events}:agg:count:<d>}, {@code :agg:sum:<d>}, {@code :agg:min:<d>},
 *       {@code :agg:max:<d>}</td><td>hash</td><td>dimension value → count, sum, min, max over all time;
 *       values beyond the dimension's limit are counted under {@value #OTHER}</td><td>-</td></tr>
 *   <tr><td>{@code {events}:hist}, {@code {events}:hist:<d>:<v>}</td><td>hash</td><td>histogram over all
 *       time of all values / of a dimension value: {@link ValueHistogram} bucket → count</td><td>-</td></tr>
 *   <tr><td>{@code {events}:bin:<minute>}</td><td>hash</td><td>the minute's {@code count}, {@code sum},
 *       {@code min}, {@code max} over all its events, and {@code <stat>:<d>:<v>} per dimension value
 *       (see {@link #binField})</td><td>retention after the minute, from its settling on</td></tr>
 *   <tr><td>{@code {events}:binhist:<minute>}, {@code {events}:binhist:<minute>:<d>:<v>}</td><td>hash</td>
 *       <td>the minute's histogram of all values / of a dimension value</td><td>retention after the minute, from
 *       its settling on</td></tr>
 *   <tr><td>{@code {events}:settle:through}</td><td>string</td><td>epoch minute W: every minute up to W is settled (its bin
 *       added to the all-time keys), and a later event of such a minute is written to both its bin and the all-time
 *       keys</td><td>-</td></tr>
 *   <tr><td>{@code {events}:settle:minutes}</td><td>sorted set</td><td>the minutes after W whose cells are in their
 *       bins only, not yet in the all-time keys: unsettled (member and score: the epoch minute); the all-time
 *       aggregates are the all-time keys plus these minutes' bins (see {@link AllTimeQuery})</td><td>-</td></tr>
 *   <tr><td>{@code {events}:settle:refused}</td><td>string</td><td>why the oldest unsettled minute could not be settled (a
 *       field that is no integer, a sum past 64 bits); settling is not tried again while it exists</td><td>10 s</td></tr>
 *   <tr><td>{@code {events}:uniq:hour:<hour>}, {@code {events}:uniq:day:<day>}</td><td>HyperLogLog</td>
 *       <td>the users of the hour / day</td><td>retention after the hour / day</td></tr>
 *   <tr><td>{@code {events}:uniq:merging}</td><td>HyperLogLog</td><td>a batch's users of one hour, only while
 *       the commit script merges them</td><td>deleted by that script</td></tr>
 *   <tr><td>{@code {events}:sessions:<window>}</td><td>hash</td><td>session id → its {@link SessionSummary} (40 bytes), for
 *       the sessions committed in that window of one session gap (Redis's clock)</td><td>two windows after the
 *       window starts</td></tr>
 *   <tr><td>{@code {events}:sessions:window}</td><td>string</td><td>the window of the last commit with
 *       sessions</td><td>-</td></tr>
 *   <tr><td>{@code {events}:ledger}</td><td>hash</td><td>consumer → id of the last batch it committed (the batch
 *       ledger: a consumer's retry is of its last batch)</td><td>a field is removed with its consumer</td></tr>
 *   <tr><td>{@code {events}:ratelimit:<key name>}</td><td>Redisson rate limiter</td><td>requests of one API key,
 *       shared by all API replicas</td><td>-</td></tr>
 *   <tr><td>{@code {events}:idem:<digest>}</td><td>string</td><td>digest of the request body, then the entry ids an
 *       ingestion request with that {@code Idempotency-Key} enqueued</td><td>the idempotency TTL</td></tr>
 *   <tr><td>{@code {events}:lock:consumer-cleanup}</td><td>Redisson lock</td><td>held by the one processor
 *       removing dead consumers from the group</td><td>lease</td></tr>
 * </table>
 * The processor's commit script ({@code commit.lua}) writes exactly these keys.
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

    /** Hash of dimension value → smallest value. */
    public String minsBy(String dimension) {
        return stream + ":agg:min:" + dimension;
    }

    /** Hash of dimension value → largest value. */
    public String maxesBy(String dimension) {
        return stream + ":agg:max:" + dimension;
    }

    /** Histogram (bucket → count) of all values over all time. */
    public String histogram() {
        return stream + ":hist";
    }

    /** Histogram (bucket → count) of a dimension value over all time. */
    public String histogram(String dimension, String value) {
        return stream + ":hist:" + dimension + ":" + value;
    }

    /** Hash of one minute's statistics: totals and {@link #binField} per dimension value. */
    public String minuteBin(long minute) {
        return stream + ":bin:" + minute;
    }

    /** Field of {@link #minuteBin} holding {@code stat} ({@link #COUNT}, {@link #SUM}, {@link #MIN}, {@link #MAX}) of a dimension value. */
    public static String binField(String stat, String dimension, String value) {
        return stat + ":" + dimension + ":" + value;
    }

    /** Histogram of one minute's values. */
    public String minuteHistogram(long minute) {
        return stream + ":binhist:" + minute;
    }

    /** Histogram of one minute's values of a dimension value. */
    public String minuteHistogram(long minute, String dimension, String value) {
        return stream + ":binhist:" + minute + ":" + dimension + ":" + value;
    }

    /** The epoch minute through which minute bins are settled: added to the all-time keys. */
    public String settledThrough() {
        return stream + ":settle:through";
    }

    /** Sorted set of the minutes whose bins are not yet added to the all-time keys. */
    public String unsettledMinutes() {
        return stream + ":settle:minutes";
    }

    /** Why settling was last refused; while it exists, commits do not try again. */
    public String settleRefused() {
        return stream + ":settle:refused";
    }

    /** HyperLogLog of the users of one epoch hour. */
    public String usersInHour(long hour) {
        return stream + ":uniq:hour:" + hour;
    }

    /** HyperLogLog of the users of one epoch day. */
    public String usersOnDay(long day) {
        return stream + ":uniq:day:" + day;
    }

    /** Where the commit script puts a batch's users (a HyperLogLog) to merge them; deleted before it ends. */
    public String usersBeingMerged() {
        return stream + ":uniq:merging";
    }

    /**
     * Hash of the sessions committed in one window (epoch seconds / session gap): session id → {@link SessionSummary}.
     * A session is found in the current window's hash, else in the previous one's.
     */
    public String sessions(long window) {
        return stream + ":sessions:" + window;
    }

    /** A {@code SCAN} pattern matching every key of the sessions (their hashes and {@link #sessionWindow()}). */
    public String allSessions() {
        return stream + ":sessions:*";
    }

    /** The window of the last commit with sessions, a number: where readers look. */
    public String sessionWindow() {
        return stream + ":sessions:window";
    }

    /** The batch ledger: consumer → id of the last batch it committed. */
    public String ledger() {
        return stream + ":ledger";
    }

    /** Rate limiter (Redisson) of one API key, shared by every API replica. */
    public String rateLimiter(String keyName) {
        return stream + ":ratelimit:" + keyName;
    }

    /** The answer to an ingestion request with an {@code Idempotency-Key}: {@code fingerprint} is a digest of key name and header. */
    public String idempotency(String fingerprint) {
        return stream + ":idem:" + fingerprint;
    }

    /** Lock (Redisson) held by the one processor that removes dead consumers from the group. */
    public String cleanupLock() {
        return stream + ":lock:consumer-cleanup";
    }

    /** Field (and statistic) holding an event count. */
    public static final String COUNT = "count";
    /** Field (and statistic) holding a value sum in units. */
    public static final String SUM = "sum";
    /** Field (and statistic) holding the smallest value. */
    public static final String MIN = "min";
    /** Field (and statistic) holding the largest value. */
    public static final String MAX = "max";
    /** The value counting every value of a dimension beyond its limit. */
    public static final String OTHER = "__other__";
}
