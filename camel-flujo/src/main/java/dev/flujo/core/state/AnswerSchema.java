package dev.flujo.core.state;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.DisallowSchemaLoader;
import dev.flujo.core.FlujoConfigurationException;

/**
 * The JSON schema a person's answer must satisfy (draft 2020-12 unless the schema names another), checked with
 * networknt's json-schema-validator.
 *
 * <p>
 * Schemas are never fetched: a {@code $ref} to a URL is refused instead of loaded, so a schema (which is stored with a
 * paused run) cannot make the JVM call out. Compiled schemas are kept in a small cache by their text.
 */
public final class AnswerSchema {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.values(list -> {
                list.clear();
                list.add(DisallowSchemaLoader.getInstance());
            })));

    private static final Cache<String, JsonSchema> COMPILED = Caffeine.newBuilder().maximumSize(256).build();

    private AnswerSchema() {
    }

    /**
     * Checks a schema when an endpoint starts.
     *
     * @throws FlujoConfigurationException naming the option when the text is not a JSON schema
     */
    public static void check(String option, String schema) {
        try {
            compile(schema);
        } catch (RuntimeException e) {
            throw new FlujoConfigurationException("Option " + option + " is not a valid JSON schema: " + e.getMessage(), e);
        }
    }

    /**
     * @return the violations, one readable line each; empty when the answer satisfies the schema. A validator that
     *         fails on the answer (an answer it cannot judge) is a violation too, never an answer let through
     */
    public static List<String> violations(String schema, JsonNode answer) {
        JsonSchema compiled = compile(schema);
        try {
            return compiled.validate(answer).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (RuntimeException e) {
            return List.of("the answer cannot be checked against the schema: " + e);
        }
    }

    private static JsonSchema compile(String schema) {
        return COMPILED.get(schema, text -> {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !(node.isObject() || node.isBoolean())) {
                throw new IllegalArgumentException("a JSON schema is an object or a boolean");
            }
            JsonSchema compiled = FACTORY.getSchema(node);
            compiled.initializeValidators(); // resolves $refs now, so a bad one fails here, not on the first answer
            return compiled;
        });
    }
}
