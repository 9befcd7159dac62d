package io.streamfold.api.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into {@code application/problem+json}: the API's own refusals with their
 * precise detail, the framework's (unknown path, wrong method, unsupported media type) with theirs,
 * Redis being unavailable into a 503 with Retry-After, and anything else unexpected into a 500 whose detail reveals
 * nothing internal.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final OutageLog outageLog;

    ProblemMappers(OutageLog outageLog) {
        this.outageLog = outageLog;
    }

    @ServerExceptionMapper
    public Response refused(ProblemException problem, UriInfo uri) {
        return response(problem.status(), problem.getMessage(), uri, problem.errors());
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException exception, UriInfo uri) {
        int status = exception.getResponse().getStatus();
        String detail = switch (status) {
            case 400 -> "the request could not be read; see /q/openapi for what this resource takes";
            case 404 -> "no resource at " + uri.getPath();
            case 405 -> "method not allowed on " + uri.getPath();
            case 406 -> "this resource answers application/json only";
            case 413 -> "the request body is larger than allowed";
            case 415 -> "unsupported content type; send application/json";
            default -> exception.getMessage();
        };
        return response(status, detail, uri, null);
    }

    /** A body the framework could not bind: malformed JSON, or JSON of the wrong shape for the resource. */
    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException exception, UriInfo uri) {
        JsonLocation at = exception.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return response(400, "the body is not JSON of the shape this resource takes" + where
                + "; see /q/openapi", uri, null);
    }

    /** JSON of the wrong shape (Quarkus maps this one itself unless told otherwise). */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException exception, UriInfo uri) {
        return unreadable(exception, uri);
    }

    /** Anything else: Redis unavailable is 503 (logged by {@link OutageLog}, not per request), the rest 500. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException exception, UriInfo uri) {
        Optional<String> outage = RedisOutage.of(exception);
        if (outage.isPresent()) {
            outageLog.answered(uri.getPath(), outage.get(), exception);
            return response(503, "Redis is unavailable: " + outage.get() + "; try again shortly (a POST /events again "
                    + "with the same Idempotency-Key: it may have been applied if Redis failed after taking it)", uri, null);
        }
        LOG.errorf(exception, "Request to %s failed", uri.getPath());
        return response(500, "the request could not be served; the error is logged", uri, null);
    }

    static Response response(int status, String detail, UriInfo uri, List<?> errors) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "Error";
        Response.ResponseBuilder response = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath(), errors));
        if (status == 401) {
            response.header("WWW-Authenticate", "ApiKey header=\"X-API-Key\"");
        } else if (status == 429 || status == 503) {
            response.header("Retry-After", "1");
        }
        return response.build();
    }
}
