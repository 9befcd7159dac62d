package io.streamfold.api.ingest;

import java.util.List;

/** The stream entry ids of the accepted events, in the order they were sent. */
public record Accepted(List<String> ids) {
}
