package io.streamfold.processor.commit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The id of a batch, derived only from the group and its entry ids: a retried commit of the same
 * entries carries the same id, so the ledger recognises it.
 */
final class BatchId {

    private BatchId() {
    }

    static String of(String group, List<String> entryIds) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        sha.update(group.getBytes(StandardCharsets.UTF_8));
        for (String id : entryIds) {
            sha.update((byte) '\n');
            sha.update(id.getBytes(StandardCharsets.US_ASCII));
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }
}
