package dev.flujo.core.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flujo.core.FlujoException;

/**
 * Writes and reads {@link PausedRun} as JSON.
 *
 * <p>
 * Deliberately without default typing or {@code @JsonTypeInfo}: stored data can never name a class to instantiate, so a
 * tampered row cannot become a deserialization gadget. Untyped values (outputs, context values, answers) come back as
 * maps, lists, strings, booleans and {@link java.math.BigDecimal} / integral numbers. Unknown properties are rejected,
 * so a row that is not a paused run fails loudly.
 */
public final class StateCodec {

    /**
     * What a pause writes, a resume must read: a paused run's values have no size limit (an agent's 50 MB answer may be
     * the human step's input), so the reader lifts Jackson's default limit of 20,000,000 characters per string. The
     * other read limits (nesting depth, number length) stay.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private static final ObjectMapper JSON = JsonMapper.builder(FACTORY)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StateCodec() {
    }

    public static String write(PausedRun run) {
        try {
            return JSON.writeValueAsString(run);
        } catch (JsonProcessingException e) {
            throw new FlujoException("Paused run " + run.runId() + " cannot be stored as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The step results with every output JSON cannot hold replaced by a note of its type, children included: the
     * history of a paused run is a record, and one odd output (a stream from an endpoint) must not keep the run from
     * pausing.
     */
    public static java.util.List<dev.flujo.core.result.StepResult> storable(
            java.util.List<dev.flujo.core.result.StepResult> history) {
        return history.stream().map(StateCodec::storable).toList();
    }

    private static dev.flujo.core.result.StepResult storable(dev.flujo.core.result.StepResult r) {
        Object output = r.output();
        if (output != null && !writable(output)) {
            output = "(not stored: a " + output.getClass().getName() + ")";
        }
        java.util.Map<String, Object> updates = new java.util.LinkedHashMap<>();
        r.contextUpdates()
                .forEach((k, v) -> updates.put(k, writable(v) ? v : "(not stored: a " + v.getClass().getName() + ")"));
        return new dev.flujo.core.result.StepResult(
                r.name(), output, r.success(), r.attempts(), r.latencyNanos(),
                r.usage(), r.feedback(), r.metadata(), updates, storable(r.children()));
    }

    /** Whether a value can be stored as JSON. */
    public static boolean writable(Object value) {
        try {
            JSON.writeValueAsString(value);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * The context keys whose values cannot be stored as JSON, each with its type, so that a failed pause can say which
     * property to change.
     */
    public static java.util.List<String> unwritable(java.util.Map<String, Object> context) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        context.forEach((key, value) -> {
            if (!writable(value)) {
                keys.add(key + " (a " + value.getClass().getName() + ")");
            }
        });
        return keys;
    }

    /** @throws FlujoException when the JSON is not a paused run */
    public static PausedRun read(String json) {
        try {
            PausedRun run = JSON.readValue(json, PausedRun.class);
            if (run == null) {
                throw new FlujoException("Stored state is not a paused run: null");
            }
            return run;
        } catch (JsonProcessingException e) {
            throw new FlujoException("Stored state is not a valid paused run: " + e.getOriginalMessage(), e);
        }
    }
}
