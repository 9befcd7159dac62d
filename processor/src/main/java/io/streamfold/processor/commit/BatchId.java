package io.streamfold.processor.commit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of a batch, derived only from the group, the consumer and its entry ids: a retried commit
 * of the same entries by the same consumer carries the same id, so the ledger recognises it. The
 * consumer is part of it so that a zombie whose entries another consumer reclaimed and committed
 * (often as exactly the same batch) is refused by the ownership check and counted as taken over,
 * not mistaken for its own retry.
 */
final class BatchId {

    private BatchId() {
    }

    /**
     * @param entryIds the batch's entry ids, in order, separated by single spaces, as ASCII in
     *                 {@code entryIds[0, length)}
     */
    static String of(String group, String consumer, byte[] entryIds, int length) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        sha.update(group.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(consumer.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(entryIds, 0, length);
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }
}
