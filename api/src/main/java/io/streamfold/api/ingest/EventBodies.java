package io.streamfold.api.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.streamfold.api.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of {@code POST /events} — one JSON object or an array of them — into flat field
 * maps, exactly as a stream entry would carry them: strings as they are, numbers as their exact
 * decimal text. Anything else (nested values, booleans, null, invalid UTF-8 or JSON, too many
 * events, a body too large) is refused with a precise problem.
 */
final class EventBodies {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private final int maxEvents;
    private final int maxBytes;

    EventBodies(int maxEvents, int maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    List<Map<String, String>> read(byte[] body) {
        if (body.length > maxBytes) {
            throw new ProblemException(413, "the body is " + body.length
                    + " bytes; at most " + maxBytes + " are accepted");
        }
        if (body.length == 0) {
            throw ProblemException.badRequest("the body is empty; send one event object or an array of them");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read: " + e.getMessage());
        }
        if (root.isObject()) {
            return List.of(fields(root, -1));
        }
        if (!root.isArray()) {
            throw ProblemException.badRequest("the body must be one event object or an array of them; was a JSON "
                    + root.getNodeType().name().toLowerCase());
        }
        if (root.isEmpty()) {
            throw ProblemException.badRequest("the array is empty; send at least one event");
        }
        if (root.size() > maxEvents) {
            throw new ProblemException(413, "the array holds " + root.size()
                    + " events; at most " + maxEvents + " are accepted per request");
        }
        List<Map<String, String>> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(fields(root.get(i), i));
        }
        return events;
    }

    private static Map<String, String> fields(JsonNode event, int index) {
        String where = index < 0 ? "the event" : "event " + index;
        if (!event.isObject()) {
            throw ProblemException.badRequest(where + " must be a JSON object; was a JSON "
                    + event.getNodeType().name().toLowerCase());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                fields.put(field.getKey(), value.textValue());
            } else if (value.isIntegralNumber()) {
                fields.put(field.getKey(), value.bigIntegerValue().toString());
            } else if (value.isNumber()) {
                fields.put(field.getKey(), value.decimalValue().toPlainString());
            } else {
                throw ProblemException.badRequest(where + ": field " + ProblemException.quote(field.getKey())
                        + " must be a string or a number; was a JSON " + value.getNodeType().name().toLowerCase());
            }
        }
        return fields;
    }
}
