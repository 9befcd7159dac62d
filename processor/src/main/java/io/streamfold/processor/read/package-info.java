/**
 * Stage 1, read: XREADGROUP of new entries and of this consumer's own pending ones (without counting a delivery), XAUTOCLAIM
 * of entries idle with others, decoded straight into reusable RawEntries. May call redis only.
 */
package io.streamfold.processor.read;
