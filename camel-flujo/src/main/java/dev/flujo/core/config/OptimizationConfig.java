package dev.flujo.core.config;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flujo.core.FlujoConfigurationException;

/**
 * How a step executes, one immutable record per concern: {@link RetryOptions retries and time-outs},
 * {@link CacheOptions the cache}, {@link BudgetOptions usage budget and pricing}, {@link ProtectionOptions breakers,
 * bulkheads and limits}, {@link RateLimitOptions the agents' request and token rates}, {@link TelemetryOptions
 * telemetry} and {@link PipelineOptions the phase layout}. Each record validates itself; this one composes them, builds
 * them ({@link #builder()}), checks them ({@link #validate()}) and moves them around as one flat JSON object
 * ({@link #toJson()} / {@link #fromJson(String)}).
 *
 * <p>
 * Design: an option is a record component, and its name is the name users know everywhere - the URI option and
 * component option of the Camel adapter ({@code flujo:step:x?maxRetries=2}, {@code camel.component.flujo.maxRetries}),
 * the JSON field, the builder key. So the builder, the JSON form and the adapter's mapping work by name, generically,
 * and a new option is written in two places: its {@code @UriParam} field in the adapter and its component (with its
 * default and check) in the record of its concern. Step wiring (agent, processors, validators, plugins, fallback,
 * context writes) is not here: it names beans and endpoints, which only the host can resolve.
 *
 * @param retry      retries, time-out, which errors are not retried
 * @param caching    the step cache and its optimizations
 * @param budget     the run's token and cost budget, reservations, token prices
 * @param protection circuit breakers, bulkhead, adaptive concurrency limit
 * @param rateLimit  requests and tokens per minute of each agent
 * @param telemetry  statistics, meters, warnings, the automatic optimizer
 * @param pipeline   which phases run, how branch contexts are copied
 */
public record OptimizationConfig(RetryOptions retry, CacheOptions caching, BudgetOptions budget,
        ProtectionOptions protection, RateLimitOptions rateLimit, TelemetryOptions telemetry, PipelineOptions pipeline) {

    private static final OptimizationConfig DEFAULTS = new OptimizationConfig(
            RetryOptions.DEFAULTS,
            CacheOptions.DEFAULTS, BudgetOptions.DEFAULTS, ProtectionOptions.DEFAULTS, RateLimitOptions.DEFAULTS,
            TelemetryOptions.DEFAULTS,
            PipelineOptions.DEFAULTS);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // amounts keep their scale through JSON (12.50 stays 12.50, equal to what was written)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** The concerns, in declaration order: this record's components. */
    private static final RecordComponent[] CONCERNS = OptimizationConfig.class.getRecordComponents();

    /** Option name → the concern it belongs to, in declaration order: read once from the records. */
    private static final Map<String, RecordComponent> OPTIONS = options();

    public OptimizationConfig {
        retry = Objects.requireNonNull(retry, "retry");
        caching = Objects.requireNonNull(caching, "caching");
        budget = Objects.requireNonNull(budget, "budget");
        protection = Objects.requireNonNull(protection, "protection");
        rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        telemetry = Objects.requireNonNull(telemetry, "telemetry");
        pipeline = Objects.requireNonNull(pipeline, "pipeline");
    }

    private static Map<String, RecordComponent> options() {
        Map<String, RecordComponent> options = new LinkedHashMap<>();
        for (RecordComponent concern : CONCERNS) {
            for (RecordComponent option : concern.getType().getRecordComponents()) {
                if (options.put(option.getName(), concern) != null) {
                    throw new IllegalStateException("option " + option.getName() + " is declared twice");
                }
            }
        }
        return Collections.unmodifiableMap(options);
    }

    public static OptimizationConfig defaults() {
        return DEFAULTS;
    }

    /** The names of every option, in declaration order (concern by concern). */
    public static Set<String> optionNames() {
        return OPTIONS.keySet();
    }

    public static Builder builder() {
        return new Builder(DEFAULTS.toTree());
    }

    public Builder toBuilder() {
        return new Builder(toTree());
    }

    public int maxAttempts() {
        return retry.maxAttempts();
    }

    /**
     * Every problem with this configuration, each naming its option; empty when valid.
     */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        retry.validate(problems);
        caching.validate(problems);
        budget.validate(problems);
        protection.validate(problems);
        rateLimit.validate(problems);
        telemetry.validate(problems);
        pipeline.validate(problems);
        return problems;
    }

    /** @throws FlujoConfigurationException listing every problem, naming the step */
    public OptimizationConfig validateOrThrow(String stepName) {
        List<String> problems = validate();
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid configuration of step '" + stepName + "'", problems);
        }
        return this;
    }

    /**
     * This configuration with every optimization off (the kill switch behind {@code disableOptimizations()}): the
     * enable*Optimization flags, optimized error handling and telemetry, the object pool and cache compression. What
     * changes results or protects the agents (cache, limits, retries, breakers, bulkheads, monitoring) stays.
     */
    public OptimizationConfig withoutOptimizations() {
        Builder off = toBuilder();
        for (String option : List.of("enableOptimizedErrorHandling", "enableOptimizedTelemetry",
                "enableConcurrencyOptimization", "enableAutomaticOptimization", "enableMemoryOptimization",
                "enableObjectPool", "enableContextOptimization", "enableStepOptimization", "enableAlgorithmOptimization",
                "enableCacheOptimization", "cacheCompression")) {
            off.set(option, false);
        }
        return off.build();
    }

    /**
     * The value of every option by name, in declaration order, as its record holds it ({@code Duration},
     * {@code BigDecimal}, {@code List<String>}, boxed numbers and booleans; {@code null} for none).
     */
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent concern : CONCERNS) {
            Object record = valueOf(concern, this);
            for (RecordComponent option : concern.getType().getRecordComponents()) {
                values.put(option.getName(), valueOf(option, record));
            }
        }
        return Collections.unmodifiableMap(values);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("OptimizationConfig could not be written as JSON", e);
        }
    }

    /** The options as one flat JSON object: the concerns' fields side by side, absent ones left out. */
    private ObjectNode toTree() {
        ObjectNode tree = JSON.createObjectNode();
        for (RecordComponent concern : CONCERNS) {
            tree.setAll((ObjectNode) JSON.valueToTree(valueOf(concern, this)));
        }
        return tree;
    }

    private static Object valueOf(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a configuration written by {@link #toJson()} (absent fields keep their defaults) and validates it.
     *
     * @throws FlujoConfigurationException when the JSON is malformed, names an unknown option or is invalid
     */
    public static OptimizationConfig fromJson(String json) {
        if (json == null) {
            throw new FlujoConfigurationException("Invalid OptimizationConfig JSON: null");
        }
        JsonNode read;
        try {
            read = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new FlujoConfigurationException("Invalid OptimizationConfig JSON: " + e.getOriginalMessage(), e);
        }
        if (!(read instanceof ObjectNode object)) {
            throw new FlujoConfigurationException(
                    "Invalid OptimizationConfig JSON: expected an object, got "
                                                  + (read == null || read.isMissingNode()
                                                          ? "nothing" : read.getNodeType().toString().toLowerCase()));
        }
        Builder builder = builder();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            builder.setNode(field.getKey(), field.getValue(), "Invalid OptimizationConfig JSON");
        }
        return builder.build("Invalid OptimizationConfig JSON").validateOrThrow("(from JSON)");
    }

    /**
     * Builds a configuration by option name, from the defaults or from another configuration. The names are those of
     * the URI options; values are of the option's type ({@code Duration}, {@code BigDecimal}, {@code List<String>},
     * numbers, booleans) or its JSON form. Nothing is validated until {@link OptimizationConfig#validate()}: a builder
     * can make an invalid configuration, so tests can show it refused.
     */
    public static final class Builder {
        private final ObjectNode values;

        private Builder(ObjectNode values) {
            this.values = values;
        }

        /**
         * @throws FlujoConfigurationException naming the option when no option has that name, or the value cannot be
         *                                     one of its values
         */
        public Builder set(String option, Object value) {
            return setNode(option, JSON.valueToTree(value), "Invalid option");
        }

        /** Every option of the map, as {@link #set}. */
        public Builder setAll(Map<String, ?> options) {
            options.forEach(this::set);
            return this;
        }

        private Builder setNode(String option, JsonNode value, String what) {
            if (!OPTIONS.containsKey(option)) {
                throw new FlujoConfigurationException(
                        what + ": unknown option " + option + " (options: "
                                                      + String.join(", ", OPTIONS.keySet()) + ")");
            }
            values.set(option, value);
            return this;
        }

        /** @throws FlujoConfigurationException naming the option whose value is not of its type */
        public OptimizationConfig build() {
            return build("Invalid option");
        }

        private OptimizationConfig build(String what) {
            Map<RecordComponent, ObjectNode> byConcern = new LinkedHashMap<>();
            for (RecordComponent concern : CONCERNS) {
                byConcern.put(concern, JSON.createObjectNode());
            }
            values.fields().forEachRemaining(f -> byConcern.get(OPTIONS.get(f.getKey())).set(f.getKey(), f.getValue()));
            Object[] concerns = new Object[CONCERNS.length];
            int i = 0;
            for (Map.Entry<RecordComponent, ObjectNode> concern : byConcern.entrySet()) {
                concerns[i++] = read(concern.getValue(), concern.getKey().getType(), what);
            }
            try {
                return OptimizationConfig.class.getDeclaredConstructor(types()).newInstance(concerns);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static Object read(ObjectNode fields, Class<?> concern, String what) {
            try {
                return JSON.treeToValue(fields, concern);
            } catch (JsonMappingException e) {
                String option = e.getPath().isEmpty() ? "" : " (option " + e.getPath().get(0).getFieldName() + ")";
                throw new FlujoConfigurationException(what + option + ": " + e.getOriginalMessage(), e);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new FlujoConfigurationException(what + ": " + e.getMessage(), e);
            }
        }

        private static Class<?>[] types() {
            Class<?>[] types = new Class<?>[CONCERNS.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = CONCERNS[i].getType();
            }
            return types;
        }
    }
}
