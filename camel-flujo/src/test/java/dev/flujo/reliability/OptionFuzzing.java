package dev.flujo.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flujo.camel.FlujoEndpointConfigurer;
import dev.flujo.camel.FlujoKind;
import dev.flujo.core.FlujoConfigurationException;
import org.apache.camel.Endpoint;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.ResolveEndpointFailedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the option fuzz tests share: the options of {@code flujo.json}, the bad values tried, which of them are
 * documented values of an option ({@link #acceptedBecause}), a valid endpoint of each kind to set them on, and how a
 * refusal must name the option.
 */
final class OptionFuzzing {

    /** The bound of one route start or reconfiguration: far above the slowest seen (about a second). */
    static final long BOUND_SECONDS = 20;
    static final int MB = 1 << 20;

    /** A reference to a bean that exists but is an agent, the wrong type for every other bean option. */
    static final String WRONG_BEAN = "#agent";
    /** The options an agent bean is a value of. */
    static final Set<String> AGENT_REFS = Set.of("agent", "fallback");

    /** Tried in URIs, as written (wrapped in RAW() so that the option gets exactly this text). */
    static final List<String> BAD_VALUES = List.of("abc", "-1", "", " ", "99999999999999999999", "1e309", "NaN",
            "Infinity", "1.5", "0x10", "true", "#noSuchBean", WRONG_BEAN, "5 minutes", "5S", "18446744073709552s",
            "P999999999999D");

    /** 1 MB values, passed as endpoint parameters (as the endpoint DSL does): see {@link #hugeValues}. */
    static final List<String> HUGE_VALUES = List.of("x".repeat(MB), "9".repeat(MB));

    /**
     * Options whose text flujo hands to Camel as an endpoint URI or a Simple expression. Camel's
     * URISupport.sanitizeUri, which Camel itself applies to every endpoint URI it resolves, takes time quadratic in the
     * URI (a 40 KB option value makes even a {@code direct:} or {@code log:} route start take 30-70 s; 1 MB, hours),
     * and its Simple parser about 1.5 s per 64 KB: these options get 4 KB "huge" values, and no 1 MB value goes into a
     * URI.
     */
    static final Set<String> CAMEL_PARSED = Set.of("agent", "fallback", "branches", "body", "default", "resumeUri",
            "validate", "until", "condition", "message", "validateMessage", "systemMessage");
    static final int CAMEL_PARSED_HUGE = 4096;

    /** Options a blank value leaves unset: no sink, no fallback, no processors, the default merge strategy... */
    static final Set<String> BLANK_IS_UNSET = Set.of("sinkTo", "items", "cacheKeyContext", "message", "fallback",
            "promptProcessors", "outputProcessors", "validators", "validate", "plugins", "circuitBreakerRef",
            "mergeStrategy", "reduce", "default", "answerSchema", "stateDataSource", "outputSchema", "outputType",
            "validateMessage", "systemMessage");
    /** Options any non-blank text is a value of: names (a property, a header, context keys) or a Simple template. */
    static final Set<String> FREE_TEXT = Set.of("sinkTo", "items", "cacheKeyContext", "inputTokensHeader",
            "outputTokensHeader", "costHeader", "message", "condition", "validateMessage", "systemMessage");
    /** Simple predicates: the literals true and false are predicates; the other bad values are not. */
    static final Set<String> PREDICATES = Set.of("validate", "until");

    /** An endpoint option of the descriptor and the kinds that take it (Camel's own options: every kind). */
    record Option(String name, String type, Set<FlujoKind> kinds, boolean camelOwn) {
    }

    private OptionFuzzing() {
    }

    /** The options of one section of the descriptor: {@code properties} (endpoint) or {@code componentProperties}. */
    static Map<String, Option> options(String section) {
        JsonNode model;
        try (InputStream in = OptionFuzzing.class.getResourceAsStream("/META-INF/dev/flujo/camel/flujo.json")) {
            model = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Option> options = new TreeMap<>();
        model.get(section).fields().forEachRemaining(p -> {
            String kind = p.getValue().get("kind").asText();
            if (kind.equals("parameter") || kind.equals("property")) {
                String name = p.getKey();
                Set<FlujoKind> kinds = EnumSet.noneOf(FlujoKind.class);
                for (FlujoKind k : FlujoKind.values()) {
                    if (k.takes(name)) {
                        kinds.add(k);
                    }
                }
                boolean camelOwn = kinds.isEmpty();
                options.put(name, new Option(
                        name, p.getValue().get("type").asText(),
                        camelOwn ? EnumSet.allOf(FlujoKind.class) : kinds, camelOwn));
            }
        });
        return options;
    }

    /** Every value tried on an option: the bad values and the huge ones. */
    static List<String> values(Option option) {
        return Stream.concat(BAD_VALUES.stream(), hugeValues(option).stream()).toList();
    }

    /** A single daemon thread for bounded starts: a start that hangs fails the test and must not keep the JVM up. */
    static ExecutorService starter() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "option-fuzz");
            t.setDaemon(true);
            return t;
        });
    }

    static String uri(FlujoKind kind, String name, Map<String, String> options) {
        return "flujo:" + kind.uriName() + ":" + name + "?" + options.entrySet().stream()
                .map(e -> e.getKey() + "=RAW(" + e.getValue() + ")").collect(Collectors.joining("&"));
    }

    /** A valid endpoint of each kind, its state (human, resume) in the database at {@code state}. */
    static Map<String, String> base(FlujoKind kind, String state) {
        Map<String, String> base = new LinkedHashMap<>();
        switch (kind) {
            case STEP -> base.put("agent", "#agent");
            case PARALLEL -> base.put("branches", "a=direct:b1,b=direct:b2");
            case LOOP -> {
                base.put("body", "direct:b1");
                base.put("until", "${body} != null");
            }
            case CONDITIONAL -> {
                base.put("condition", "${body}");
                base.put("branches", "a=direct:b1");
            }
            case ROUTER -> {
                base.put("agent", "#agent");
                base.put("branches", "a=direct:b1");
            }
            case MAP -> base.put("body", "direct:b1");
            case HUMAN -> {
                base.put("resumeUri", "direct:b1");
                base.put("stateUrl", state);
            }
            case RESUME -> base.put("stateUrl", state);
        }
        return base;
    }

    /** The 1 MB values, or 4 KB ones for the options Camel parses (see {@link #CAMEL_PARSED}). */
    static List<String> hugeValues(Option option) {
        return CAMEL_PARSED.contains(option.name())
                ? HUGE_VALUES.stream().map(v -> v.substring(0, CAMEL_PARSED_HUGE)).toList() : HUGE_VALUES;
    }

    /**
     * Why a value is a documented value of the option, or {@code null} when it must fail the start. Each reason is also
     * what the test then checks: the endpoint holds the value as given (see {@link #assertHeld}).
     */
    static String acceptedBecause(Option option, String value) {
        String name = option.name();
        if (value.isBlank()) {
            return BLANK_IS_UNSET.contains(name) ? "blank: unset" : null;
        }
        if (value.equals(WRONG_BEAN) && AGENT_REFS.contains(name)) {
            return "an agent bean";
        }
        switch (option.type()) {
            case "boolean":
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? "a boolean" : null;
            case "number":
                try {
                    double d = Double.parseDouble(value);
                    return Double.isFinite(d) && d > 0 ? "a positive finite number" : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            case "string":
                if (FREE_TEXT.contains(name)) {
                    return "any text";
                }
                if (PREDICATES.contains(name) && (value.equals("true") || value.equals("false"))) {
                    return "a Simple predicate literal";
                }
                return (name.equals("answerSchema") || name.equals("outputSchema")) && value.equals("true")
                        ? "the JSON Schema true" : null;
            default:
                return null; // whole numbers, durations, enums: none of the bad values is one
        }
    }

    /** What one route start (or change) did with a value: started, or failed with this error. */
    record Outcome(Endpoint endpoint, Throwable error, long millis) {
    }

    static Outcome bounded(ExecutorService starter, String what, Callable<Endpoint> start) throws Exception {
        long began = System.nanoTime();
        Future<Endpoint> future = starter.submit(start);
        try {
            Endpoint endpoint = future.get(BOUND_SECONDS, TimeUnit.SECONDS);
            return new Outcome(endpoint, null, (System.nanoTime() - began) / 1_000_000);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError(what + " did not end within " + BOUND_SECONDS + " s (a hang)");
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause(), (System.nanoTime() - began) / 1_000_000);
        }
    }

    /** A throwable's class and the start of its message: a 1 MB value must not end up in a test report. */
    static String brief(Throwable t) {
        String message = String.valueOf(t.getMessage());
        return t.getClass().getName() + ": " + (message.length() > 500 ? message.substring(0, 500) + "..." : message);
    }

    static String shown(String value) {
        return value.length() > 40 ? "<" + value.length() + " chars>" : "'" + value + "'";
    }

    /** Whether a problem text names the option (the value itself, which may contain anything, is left out). */
    static boolean names(String problem, String option, String value) {
        String text = problem.replace("'" + value + "'", "");
        if (value.strip().length() > 3) {
            text = text.replace(value, "");
        }
        return Pattern.compile("(?<![A-Za-z])" + Pattern.quote(option) + "(?![A-Za-z])").matcher(text).find();
    }

    /** How a refusal named the option. */
    enum Refusal {
        /** A {@link FlujoConfigurationException} one of whose problems names the option. */
        FLUJO,
        /**
         * Camel's {@link PropertyBindingException} for the option: a {@code #bean} or {@code #property:} reference on a
         * boolean or enum option is left to Camel to resolve (it binds them), and Camel names the option when the
         * reference does not resolve or resolves to bad text.
         */
        CAMEL_REFERENCE,
        /** Camel's error for the endpoint URI: its own options, converted before the component sees them. */
        CAMEL_OWN
    }

    /**
     * The failure names the option; never a NullPointerException, ClassCastException or an Error in the cause chain.
     */
    static Refusal assertFailedNaming(String what, Throwable error, String option, String value, boolean camelOwn) {
        FlujoConfigurationException flujo = null;
        ResolveEndpointFailedException endpointError = null;
        PropertyBindingException binding = null;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NullPointerException || t instanceof ClassCastException || t instanceof Error) {
                throw new AssertionError(what + ": failed with " + brief(t));
            }
            if (flujo == null && t instanceof FlujoConfigurationException f) {
                flujo = f;
            }
            if (endpointError == null && t instanceof ResolveEndpointFailedException r) {
                endpointError = r;
            }
            if (binding == null && t instanceof PropertyBindingException b) {
                binding = b;
            }
        }
        if (camelOwn) {
            // Camel converts its own options before the component sees them, and names neither them nor the value
            assertNotNull(endpointError, () -> what + ": not Camel's endpoint error: " + brief(error));
            return Refusal.CAMEL_OWN;
        }
        if (flujo == null && binding != null && value.startsWith("#")
                && option.equalsIgnoreCase(binding.getPropertyName())) {
            return Refusal.CAMEL_REFERENCE;
        }
        if (flujo == null) {
            throw new AssertionError(what + ": no FlujoConfigurationException in the cause chain: " + brief(error));
        }
        FlujoConfigurationException refusal = flujo;
        assertTrue(refusal.getProblems().stream().anyMatch(p -> names(p, option, value)),
                () -> what + ": no problem names the option: " + brief(refusal));
        return Refusal.FLUJO;
    }

    /** An accepted value is held as given: the same text, or the same boolean or number. */
    static void assertHeld(String what, Endpoint endpoint, String option, String type, String value) {
        Object held = new FlujoEndpointConfigurer().getOptionValue(endpoint, option, false);
        if (value.isBlank()) {
            assertTrue(held == null || held.toString().isBlank(), () -> what + ": holds " + shown(held.toString()));
        } else if (type.equals("boolean")) {
            assertEquals(Boolean.parseBoolean(value), held, what);
        } else if (type.equals("number")) {
            assertEquals(Double.parseDouble(value), ((Number) held).doubleValue(), what);
        } else {
            assertTrue(value.equals(held), () -> what + ": holds " + shown(String.valueOf(held)));
        }
    }
}
