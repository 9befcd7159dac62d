package io.streamfold.api.session;

import io.streamfold.api.problem.ProblemException;
import io.streamfold.api.query.QueryModel;
import io.streamfold.contract.KeyLayout;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Map;
import org.redisson.client.codec.StringCodec;

/** Session summaries, while they last (they expire after the processors' session gap without events). */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    private final QueryModel model;

    SessionsResource(QueryModel model) {
        this.model = model;
    }

    @GET
    @Path("/{id}")
    public Session session(@PathParam("id") String id) {
        Map<String, String> summary = model.redisson().<String, String>getMap(model.keys().session(id), StringCodec.INSTANCE)
                .readAllMap();
        if (summary.isEmpty()) {
            throw ProblemException.notFound("no session with id " + ProblemException.quote(id) + ": never seen, or expired after its gap without events");
        }
        return new Session(id, Long.parseLong(summary.get(KeyLayout.EVENTS)),
                model.fixedPoint().toDecimal(Long.parseLong(summary.get(KeyLayout.SUM))),
                Instant.ofEpochMilli(Long.parseLong(summary.get(KeyLayout.FIRST))).toString(),
                Instant.ofEpochMilli(Long.parseLong(summary.get(KeyLayout.LAST))).toString());
    }
}
