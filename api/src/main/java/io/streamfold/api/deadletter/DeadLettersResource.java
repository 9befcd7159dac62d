package io.streamfold.api.deadletter;

import io.streamfold.api.config.ApiConfig;
import io.streamfold.api.problem.ProblemException;
import io.streamfold.api.query.QueryParameters;
import io.streamfold.api.redis.RedisScript;
import io.streamfold.contract.KeyLayout;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamMessageId;
import org.redisson.client.codec.StringCodec;

/** The dead-letter stream: the newest dead letters, and replaying chosen ones onto the stream. */
@Path("/deadletters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {

    /** Most dead letters one request may list or replay. */
    static final int MAX = 1_000;

    private static final Pattern ENTRY_ID = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

    private final RedisScript replay = RedisScript.of(DeadLettersResource.class, "replay.lua", RScript.Mode.READ_WRITE);
    private final RedissonClient redisson;
    private final KeyLayout keys;

    DeadLettersResource(RedissonClient redisson, ApiConfig config) {
        this.redisson = redisson;
        this.keys = config.stream().keys();
    }

    /** The newest {@code count} dead letters (default 20), newest first. */
    @GET
    public List<DeadLetter> newest(@Context UriInfo uri, @QueryParam("count") String count) {
        QueryParameters.requireOnly(uri, Set.of("count"));
        int n = count(count);
        List<DeadLetter> letters = new ArrayList<>(n);
        redisson.<String, String>getStream(keys.deadLetters(), StringCodec.INSTANCE)
                .rangeReversed(n, StreamMessageId.MAX, StreamMessageId.MIN)
                .forEach((id, fields) -> letters.add(new DeadLetter(id.toString(), fields)));
        return letters;
    }

    /** Moves the named dead letters back onto the stream, each atomically (appended, then deleted). */
    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replay(Replay request) {
        if (request == null || request.ids() == null || request.ids().isEmpty()) {
            throw ProblemException.badRequest("the body must be {\"ids\": [...]} naming at least one dead letter");
        }
        if (request.ids().size() > MAX) {
            throw new ProblemException(413, "the body names " + request.ids().size() + " dead letters; at most " + MAX
                    + " may be replayed per request");
        }
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(request.ids()));
        for (String id : ids) {
            if (id == null || !ENTRY_ID.matcher(id).matches()) {
                throw ProblemException.badRequest("dead letter id " + (id == null ? "null" : ProblemException.quote(id))
                        + " is not a stream entry id such as 1764000000000-0");
            }
        }
        List<Object> moved = replay.run(redisson, List.of(keys.stream(), keys.deadLetters()), ids.toArray());
        List<Replay.Moved> replayed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Object entry = i < moved.size() ? moved.get(i) : null;
            if (entry instanceof String newId) {
                replayed.add(new Replay.Moved(ids.get(i), newId));
            } else {
                missing.add(ids.get(i));
            }
        }
        return Response.accepted(new Replay.Result(replayed, missing)).build();
    }

    private static int count(String text) {
        if (text == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ProblemException.badRequest("query parameter 'count' must be a whole number from 1 to " + MAX + "; was "
                + ProblemException.quote(text));
    }
}
