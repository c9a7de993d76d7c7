package dev.flujo.core.schema;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.DisallowSchemaLoader;

/**
 * JSON Schemas (draft 2020-12 unless a schema names another) checked with networknt's json-schema-validator: the
 * answers of human steps ({@code answerSchema}) and the outputs of agent steps ({@code outputSchema}).
 *
 * <p>
 * Schemas are never fetched: a {@code $ref} to a URL is refused instead of loaded, so a schema (stored with a paused
 * run, or written in a route) cannot make the JVM call out. Compiled schemas are kept in a small cache by their text.
 * Problems name the place in the value as a JSON pointer ({@code /items/0/price}), so a model can find what to repair.
 */
public final class JsonSchemas {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaLoaders(loaders -> loaders.values(list -> {
                list.clear();
                list.add(DisallowSchemaLoader.getInstance());
            })));

    /** How a problem names the place in the value. */
    public enum Paths {
        /** {@code /items/0/price}: what a model is told (RFC 6901) */
        JSON_POINTER(PathType.JSON_POINTER),
        /** {@code $.items[0].price}: what a person answering a human step is told */
        JSON_PATH(PathType.LEGACY);

        private final SchemaValidatorsConfig config;

        Paths(PathType type) {
            this.config = SchemaValidatorsConfig.builder().pathType(type).build();
        }
    }

    private record Key(String schema, Paths paths) {
    }

    private static final Cache<Key, JsonSchema> COMPILED = Caffeine.newBuilder().maximumSize(256).build();

    private JsonSchemas() {
    }

    /**
     * The compiled schema of a text, its {@code $ref}s resolved.
     *
     * @throws IllegalArgumentException when the text is not a JSON schema
     */
    public static JsonSchema compile(String schema) {
        return compile(schema, Paths.JSON_POINTER);
    }

    static JsonSchema compile(String schema, Paths paths) {
        return COMPILED.get(new Key(schema, paths), key -> {
            JsonNode node;
            try {
                node = JSON.readTree(key.schema());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !(node.isObject() || node.isBoolean())) {
                throw new IllegalArgumentException("a JSON schema is an object or a boolean");
            }
            JsonSchema compiled = FACTORY.getSchema(node, key.paths().config);
            compiled.initializeValidators(); // resolves $refs now, so a bad one fails here, not on the first value
            return compiled;
        });
    }

    /**
     * @return the problems of the value, one readable line each (sorted), at most {@code max} of them and each at most
     *         {@code maxLength} characters, the last saying how many more there were; empty when the value satisfies
     *         the schema. A validator that fails on the value (a value it cannot judge) is a problem too, never a value
     *         let through
     */
    public static List<String> problems(String schema, JsonNode value, Paths paths, int max, int maxLength) {
        JsonSchema compiled = compile(schema, paths);
        List<String> all;
        try {
            all = compiled.validate(value).stream().map(ValidationMessage::getMessage).sorted().toList();
        } catch (RuntimeException e) {
            return List.of("the value cannot be checked against the schema: " + e);
        }
        if (all.size() <= max) {
            return all.stream().map(p -> bounded(p, maxLength)).toList();
        }
        List<String> shown = new ArrayList<>(max + 1);
        all.stream().limit(max).forEach(p -> shown.add(bounded(p, maxLength)));
        shown.add("(and " + (all.size() - max) + " more)");
        return shown;
    }

    /** A text cut to {@code max} characters, marked when cut. */
    public static String bounded(String text, int max) {
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }
}
