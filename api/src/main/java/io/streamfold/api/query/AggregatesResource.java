package io.streamfold.api.query;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Aggregates over HTTP. */
@Path("/aggregates")
@Produces(MediaType.APPLICATION_JSON)
public class AggregatesResource {

    private final AggregateReader reader;

    AggregatesResource(AggregateReader reader) {
        this.reader = reader;
    }

    /** Totals and every dimension's values with count and sum. */
    @GET
    @Path("/summary")
    public Summary summary() {
        return reader.summary();
    }
}
