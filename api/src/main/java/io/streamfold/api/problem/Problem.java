package io.streamfold.api.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every 4xx and 5xx answer.
 *
 * @param type     a URI naming the kind of problem ({@code about:blank}: the status says it all)
 * @param title    the status's short phrase
 * @param status   the HTTP status
 * @param detail   what exactly was wrong with this request, and what was expected
 * @param instance the request path
 * @param errors   where one request holds several faults (events of a batch), each of them; else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<?> errors) {

    /** The media type of problem details. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
