package dev.flujo.core.step;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.flujo.core.schema.JsonSchemas;

/**
 * An agent step's {@code outputSchema}: the agent's answer must be JSON that satisfies a JSON Schema. Decided once per
 * plan; applied by the output phase that follows the output processors, so the validators and plugins see the
 * structured value.
 *
 * <p>
 * Models wrap JSON in Markdown code fences and lead it in with a sentence ("Here is the JSON:"): a text answer is
 * trimmed to the fenced block, or else to the span from the first {@code {} or {@code [} to the last matching bracket,
 * before it is parsed. An answer that does not parse, or breaks the schema, fails the attempt; its problems - the parse
 * error, or each violation with its JSON pointer, at most {@value #MAX_PROBLEMS} of at most {@value #MAX_LENGTH}
 * characters - are the next attempt's feedback, so the model can repair its answer. An answer that passes becomes the
 * output: a {@code Map} or {@code List} (Jackson's natural form), or the object the binder makes ({@code outputType}).
 * An answer that already is a {@code Map}, {@code List} or other object is checked as the JSON it maps to.
 */
public final class StructuredOutput {

    static final int MAX_PROBLEMS = 10;
    static final int MAX_LENGTH = 200;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final String schema;
    private final Function<JsonNode, Object> binder;
    private final String typeName;

    /**
     * @param schema the JSON Schema's text (checked by {@link JsonSchemas#compile})
     * @param type   the class the output is bound to, or {@code null} for a {@code Map} or {@code List}
     */
    public StructuredOutput(String schema, Class<?> type) {
        this.schema = Objects.requireNonNull(schema, "schema");
        JsonSchemas.compile(schema);
        this.typeName = type == null ? null : type.getName();
        this.binder = type == null ? node -> JSON.convertValue(node, Object.class) : node -> {
            try {
                return JSON.treeToValue(node, type);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e.getOriginalMessage(), e);
            }
        };
    }

    /** The schema's text, e.g. to send as a model's response format. */
    public String schema() {
        return schema;
    }

    /** What checking one answer gave: the structured output, or the problems to hand to the next attempt. */
    sealed interface Checked {
    }

    record Passed(Object output) implements Checked {
    }

    record Problems(String feedback, List<String> problems) implements Checked {
    }

    Checked check(Object answer) {
        JsonNode node;
        if (answer instanceof CharSequence text) {
            String json = trimmed(text.toString());
            try {
                node = JSON.readTree(json);
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
                String problem = JsonSchemas.bounded("the answer is not JSON: " + e.getOriginalMessage() + where,
                        MAX_LENGTH);
                return new Problems(problem, List.of(problem));
            }
            if (node == null || node.isMissingNode()) {
                String problem = "the answer is empty: JSON that satisfies the output schema is expected";
                return new Problems(problem, List.of(problem));
            }
        } else if (answer == null) {
            String problem = "the answer is empty: JSON that satisfies the output schema is expected";
            return new Problems(problem, List.of(problem));
        } else {
            node = JSON.valueToTree(answer);
        }
        List<String> problems = JsonSchemas.problems(schema, node, JsonSchemas.Paths.JSON_POINTER, MAX_PROBLEMS, MAX_LENGTH);
        if (!problems.isEmpty()) {
            return new Problems(
                    "the answer does not satisfy the output schema: " + String.join("; ", problems), problems);
        }
        try {
            return new Passed(binder.apply(node));
        } catch (IllegalArgumentException e) {
            String problem = JsonSchemas.bounded(
                    "the answer does not fit " + typeName + ": " + e.getMessage(), MAX_LENGTH);
            return new Problems(problem, List.of(problem));
        }
    }

    /** The JSON inside a model's text: a fenced block's content, or the outermost bracketed span. */
    static String trimmed(String text) {
        String t = text.strip();
        int fence = t.indexOf("```");
        if (fence >= 0) {
            int start = t.indexOf('\n', fence);
            int end = start < 0 ? -1 : t.indexOf("```", start);
            if (start >= 0 && end > start) {
                return t.substring(start + 1, end).strip();
            }
        }
        if (t.isEmpty() || t.charAt(0) == '{' || t.charAt(0) == '[') {
            return t;
        }
        int object = t.indexOf('{');
        int array = t.indexOf('[');
        int first = object < 0 ? array : array < 0 ? object : Math.min(object, array);
        if (first < 0) {
            return t; // no JSON at all: the parse error says so
        }
        char close = t.charAt(first) == '{' ? '}' : ']';
        int last = t.lastIndexOf(close);
        return last > first ? t.substring(first, last + 1) : t.substring(first);
    }
}
