package io.streamfold.api.session;

import io.streamfold.api.problem.ProblemException;
import io.streamfold.api.query.QueryModel;
import io.streamfold.contract.KeyLayout;
import io.streamfold.contract.SessionSummary;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.Codec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/**
 * Session summaries, while they last: the processors keep them in one hash per window of the session gap,
 * so a session is looked up in the window of the last commit, then in the one before (see {@link KeyLayout}).
 */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    /** Session ids as text, summaries as their bytes. */
    private static final Codec SUMMARIES = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE);

    private final QueryModel model;

    SessionsResource(QueryModel model) {
        this.model = model;
    }

    @GET
    @Path("/{id}")
    public Session session(@PathParam("id") String id) {
        byte[] stored = stored(id);
        if (stored == null) {
            throw ProblemException.notFound("no session with id " + ProblemException.quote(id) + ": never seen, or expired after its gap without events");
        }
        SessionSummary summary = SessionSummary.decode(stored);
        return new Session(id, summary.events(), model.fixedPoint().toDecimal(summary.sum()),
                Instant.ofEpochMilli(summary.first()).toString(), Instant.ofEpochMilli(summary.last()).toString());
    }

    private byte[] stored(String id) {
        KeyLayout keys = model.keys();
        String window = model.redisson().<String>getBucket(keys.sessionWindow(), StringCodec.INSTANCE).get();
        if (window == null) {
            return null;
        }
        long current = Long.parseLong(window);
        for (long w = current; w >= current - 1; w--) {
            byte[] stored = model.redisson().<String, byte[]>getMap(keys.sessions(w), SUMMARIES).get(id);
            if (stored != null) {
                return stored;
            }
        }
        return null;
    }
}
