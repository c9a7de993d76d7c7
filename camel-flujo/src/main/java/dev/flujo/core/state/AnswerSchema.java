package dev.flujo.core.state;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.schema.JsonSchemas;

/**
 * The JSON schema a person's answer must satisfy (draft 2020-12 unless the schema names another), checked by
 * {@link JsonSchemas}.
 *
 * <p>
 * Schemas are never fetched: a {@code $ref} to a URL is refused instead of loaded, so a schema (which is stored with a
 * paused run) cannot make the JVM call out. Compiled schemas are kept in a small cache by their text.
 */
public final class AnswerSchema {

    private AnswerSchema() {
    }

    /**
     * Checks a schema when an endpoint starts.
     *
     * @throws FlujoConfigurationException naming the option when the text is not a JSON schema
     */
    public static void check(String option, String schema) {
        try {
            JsonSchemas.compile(schema); // the same checks whatever the paths are named with
        } catch (RuntimeException e) {
            throw new FlujoConfigurationException("Option " + option + " is not a valid JSON schema: " + e.getMessage(), e);
        }
    }

    /**
     * @return the violations, one readable line each; empty when the answer satisfies the schema. A validator that
     *         fails on the answer (an answer it cannot judge) is a violation too, never an answer let through
     */
    public static List<String> violations(String schema, JsonNode answer) {
        return JsonSchemas.problems(schema, answer, JsonSchemas.Paths.JSON_PATH, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }
}
