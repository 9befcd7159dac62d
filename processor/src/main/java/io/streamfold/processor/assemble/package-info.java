/**
 * Stage 2, assemble: raw entries into a Batch, valid events parsed from their bytes, the rest dead letters with a reason;
 * delivery counts of redelivered entries. May call read (its entries), aggregation and commit (the Batch).
 */
package io.streamfold.processor.assemble;
