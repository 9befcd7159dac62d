package io.streamfold.api.ingest;

import io.streamfold.api.access.AccessFilter;
import io.streamfold.api.config.ApiConfig;
import io.streamfold.api.problem.ProblemException;
import io.streamfold.contract.EventParser;
import io.streamfold.contract.ParseResult;
import io.streamfold.contract.Rejection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accepts events over HTTP: one JSON object or an array, each validated by the contract's parser
 * (the one the processors use), all appended in one atomic round trip, or none when any is invalid.
 * A request whose Idempotency-Key came before gets that first answer (or 422 for another body)
 * before its body is validated: what was accepted once stays accepted, whatever the clock says now.
 */
@Path("/events")
public class EventsResource {

    /** The request header that makes a retried request not enqueue twice. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Pattern IDEMPOTENCY_KEY_FORMAT = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final EventBodies bodies;
    private final EventParser parser;
    private final StreamAppender appender;

    EventsResource(ApiConfig config, StreamAppender appender, Clock clock) {
        this.bodies = new EventBodies(config.access().maxEventsPerRequest(), config.access().maxBodyBytes());
        this.parser = new EventParser(config.schema().toSchema(), clock);
        this.appender = appender;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response ingest(byte[] body, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Context ContainerRequestContext request) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY_FORMAT.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest("header " + IDEMPOTENCY_KEY + " must be 1 to 255 visible ASCII characters");
        }
        String keyName = (String) request.getProperty(AccessFilter.HEADER);
        String fingerprint = idempotencyKey == null ? null : sha256(keyName + "\n" + idempotencyKey);
        String bodyDigest = sha256(body);
        if (fingerprint != null) {
            Optional<StreamAppender.Appended> earlier = appender.lookUp(fingerprint, bodyDigest);
            if (earlier.isPresent()) {
                return answer(earlier.get());
            }
        }
        return answer(appender.append(validated(body), fingerprint, bodyDigest));
    }

    /** The body's events, each accepted by the parser at this moment's clock; else a 400 listing every invalid one. */
    private List<Map<String, String>> validated(byte[] body) {
        List<Map<String, String>> events = bodies.read(body);
        List<Invalid> invalid = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (parser.parse(events.get(i)) instanceof ParseResult.Rejected rejected) {
                Rejection rejection = rejected.rejection();
                invalid.add(new Invalid(i, rejection.reason().code(), rejection.field(), rejection.message()));
            }
        }
        if (!invalid.isEmpty()) {
            Invalid first = invalid.get(0);
            throw new ProblemException(400, invalid.size() + " of " + events.size()
                    + " events are invalid, so none was accepted; event " + first.index() + ": " + first.message(), invalid);
        }
        return events;
    }

    private static Response answer(StreamAppender.Appended appended) {
        return switch (appended.outcome()) {
            case APPENDED -> Response.accepted(new Accepted(appended.ids())).build();
            case REPLAYED -> Response.accepted(new Accepted(appended.ids())).header("Idempotent-Replayed", "true").build();
            case CONFLICT -> throw new ProblemException(422, IDEMPOTENCY_KEY
                    + " was used before with a different body; use a new key for a new request");
        };
    }

    /** One invalid event of a request: its position, the dead-letter reason code, the field and the message. */
    public record Invalid(int index, String reason, String field, String message) {
    }

    private static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
