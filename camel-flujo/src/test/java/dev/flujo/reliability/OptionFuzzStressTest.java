package dev.flujo.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.camel.FlujoEndpointConfigurer;
import dev.flujo.camel.FlujoKind;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.reliability.ReliabilityFigures.Section;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint option of {@code flujo.json}, on every kind that takes it, set to wrong types, negative numbers,
 * empty, blank and huge values: the route start fails with a {@link FlujoConfigurationException} one of whose problems
 * names the option - never a NullPointerException, a ClassCastException, another Error or a hang (every start is
 * bounded) - unless the value is a documented value of the option ({@link #acceptedBecause}), in which case the route
 * starts and the endpoint holds the value as given. The options come from the descriptor, so a new option is fuzzed
 * without being listed here. The same values are tried as runtime changes ({@code reconfigure}, which must then change
 * nothing).
 */
@Tag("stress")
class OptionFuzzStressTest {

    /** The bound of one route start or reconfiguration: far above the slowest seen (about a second). */
    private static final long BOUND_SECONDS = 20;
    private static final int MB = 1 << 20;

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
     * Options whose text flujo hands to Camel as an endpoint URI or a Simple expression. Camel's URISupport.sanitizeUri,
     * which Camel itself applies to every endpoint URI it resolves, takes time quadratic in the URI (a 40 KB option
     * value makes even a {@code direct:} or {@code log:} route start take 30-70 s; 1 MB, hours), and its Simple parser
     * about 1.5 s per 64 KB: these options get 4 KB "huge" values, and no 1 MB value goes into a URI.
     */
    static final Set<String> CAMEL_PARSED = Set.of("agent", "fallback", "branches", "body", "default", "resumeUri",
            "validate", "until", "condition", "message");
    private static final int CAMEL_PARSED_HUGE = 4096;

    /** Options a blank value leaves unset: no sink, no fallback, no processors, the default merge strategy... */
    static final Set<String> BLANK_IS_UNSET = Set.of("sinkTo", "items", "cacheKeyContext", "message", "fallback",
            "promptProcessors", "outputProcessors", "validators", "validate", "plugins", "circuitBreakerRef",
            "mergeStrategy", "reduce", "default", "answerSchema", "stateDataSource");
    /** Options any non-blank text is a value of: names (a property, a header, context keys) or a Simple template. */
    static final Set<String> FREE_TEXT = Set.of("sinkTo", "items", "cacheKeyContext", "inputTokensHeader",
            "outputTokensHeader", "costHeader", "message", "condition");
    /** Simple predicates: the literals true and false are predicates; the other bad values are not. */
    static final Set<String> PREDICATES = Set.of("validate", "until");

    @TempDir
    static Path dir;

    private static CamelContext context;
    private static ExecutorService starter;
    private static Map<String, Option> options;
    private static int starts;
    private static long slowestMillis;

    /** An endpoint option of the descriptor and the kinds that take it (Camel's own options: every kind). */
    record Option(String name, String type, Set<FlujoKind> kinds, boolean camelOwn) {
    }

    @BeforeAll
    static void startCamel() throws Exception {
        JsonNode model;
        try (InputStream in = OptionFuzzStressTest.class.getResourceAsStream("/META-INF/dev/flujo/camel/flujo.json")) {
            model = new ObjectMapper().readTree(in);
        }
        options = new TreeMap<>();
        model.get("properties").fields().forEachRemaining(p -> {
            if ("parameter".equals(p.getValue().get("kind").asText())) {
                String name = p.getKey();
                Set<FlujoKind> kinds = EnumSet.noneOf(FlujoKind.class);
                for (FlujoKind kind : FlujoKind.values()) {
                    if (kind.takes(name)) {
                        kinds.add(kind);
                    }
                }
                boolean camelOwn = kinds.isEmpty();
                options.put(name, new Option(name, p.getValue().get("type").asText(),
                        camelOwn ? EnumSet.allOf(FlujoKind.class) : kinds, camelOwn));
            }
        });
        context = new DefaultCamelContext();
        context.getRegistry().bind("agent", TestAgents.answering("ok"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:b1").setBody(constant("b1"));
                from("direct:b2").setBody(constant("b2"));
            }
        });
        context.start();
        starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "option-fuzz");
            t.setDaemon(true); // a start that hangs fails the test; it must not keep the JVM alive
            return t;
        });
    }

    @AfterAll
    static void stopCamel() throws Exception {
        starter.shutdownNow();
        context.close();
    }

    /** A valid endpoint of each kind; the fuzzed option is set on it (replacing the base value, if any). */
    private static Map<String, String> base(FlujoKind kind) {
        String state = "jdbc:sqlite:" + dir.resolve("fuzz-state.db");
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

    private static String uri(FlujoKind kind, String name, Map<String, String> options) {
        return "flujo:" + kind.uriName() + ":" + name + "?" + options.entrySet().stream()
                .map(e -> e.getKey() + "=RAW(" + e.getValue() + ")").collect(Collectors.joining("&"));
    }

    /** The 1 MB values, or 4 KB ones for the options Camel parses (see {@link #CAMEL_PARSED}). */
    private static List<String> hugeValues(Option option) {
        return CAMEL_PARSED.contains(option.name())
                ? HUGE_VALUES.stream().map(v -> v.substring(0, CAMEL_PARSED_HUGE)).toList() : HUGE_VALUES;
    }

    /**
     * Why a value is a documented value of the option, or {@code null} when it must fail the start. Each reason is
     * also what the test then checks: the endpoint holds the value as given (see {@link #assertHeld}).
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
                return name.equals("answerSchema") && value.equals("true") ? "the JSON Schema true" : null;
            default:
                return null; // whole numbers, durations, enums: none of the bad values is one
        }
    }

    /** What one route start (or change) did with a value: started, or failed with this error. */
    record Outcome(Endpoint endpoint, Throwable error, long millis) {
    }

    private static Outcome bounded(String what, Callable<Endpoint> start) throws Exception {
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
        } finally {
            slowestMillis = Math.max(slowestMillis, (System.nanoTime() - began) / 1_000_000);
        }
    }

    /** Adds a route to the endpoint of {@code uri}, or of the base URI with the option as an endpoint parameter. */
    private static Outcome start(FlujoKind kind, Option option, String value, boolean asParameter) throws Exception {
        String name = "fuzz" + (++starts);
        Map<String, String> uriOptions = new LinkedHashMap<>(base(kind));
        if (asParameter) {
            uriOptions.remove(option.name());
        } else {
            uriOptions.put(option.name(), value);
        }
        String uri = uri(kind, name, uriOptions);
        Outcome outcome = bounded("the start of flujo:" + kind.uriName() + " with " + option.name() + "="
                + shown(value), () -> {
                    Endpoint endpoint = asParameter
                            ? context.getEndpoint(uri, new HashMap<>(Map.of(option.name(), value)))
                            : context.getEndpoint(uri);
                    context.addRoutes(new RouteBuilder() {
                        @Override
                        public void configure() {
                            from("direct:" + name).routeId(name).to(endpoint);
                        }
                    });
                    return endpoint;
                });
        if (outcome.endpoint() != null) {
            context.getRouteController().stopRoute(name);
            context.removeRoute(name);
        }
        for (Endpoint e : context.getEndpoints()) {
            if (e instanceof FlujoEndpoint f && f.getName().equals(name)) {
                context.removeEndpoint(e);
            }
        }
        return outcome;
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

    /** The failure names the option in a FlujoConfigurationException (Camel's own options: its endpoint error). */
    static void assertFailedNaming(String what, Throwable error, String option, String value, boolean camelOwn) {
        FlujoConfigurationException flujo = null;
        ResolveEndpointFailedException endpointError = null;
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
        }
        if (camelOwn) {
            // Camel converts its own options before the component sees them, and names neither them nor the value
            assertNotNull(endpointError, () -> what + ": not Camel's endpoint error: " + brief(error));
            return;
        }
        if (flujo == null) {
            throw new AssertionError(what + ": no FlujoConfigurationException in the cause chain: " + brief(error));
        }
        FlujoConfigurationException refusal = flujo;
        assertTrue(refusal.getProblems().stream().anyMatch(p -> names(p, option, value)),
                () -> what + ": no problem names the option: " + brief(refusal));
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

    @Test
    void everyUriOptionOnEveryKindFailsABadValueNamingTheOption() throws Exception {
        // the bases start: whatever fails below fails because of the fuzzed option
        for (FlujoKind kind : FlujoKind.values()) {
            Outcome base = start(kind, options.get("lazyStartProducer"), "false", false);
            assertNull(base.error(), () -> "the base endpoint of " + kind + " does not start: " + brief(base.error()));
        }
        int pairs = 0;
        int failedNamingIt = 0;
        int camelOwn = 0;
        Map<String, Set<String>> accepted = new TreeMap<>();
        for (Option option : options.values()) {
            for (FlujoKind kind : option.kinds()) {
                pairs++;
                List<String> values = new ArrayList<>(BAD_VALUES);
                values.addAll(hugeValues(option));
                for (String value : values) {
                    boolean asParameter = value.length() > 1000;
                    String what = "flujo:" + kind.uriName() + " " + option.name() + "=" + shown(value)
                            + (asParameter ? " (as a parameter)" : "");
                    Outcome outcome = start(kind, option, value, asParameter);
                    String because = acceptedBecause(option, value);
                    if (outcome.error() == null) {
                        assertNotNull(because, () -> what + " started: not a documented value of the option");
                        assertHeld(what, outcome.endpoint(), option.name(), option.type(), value);
                        accepted.computeIfAbsent(option.name() + " (" + because + ")", k -> new TreeSet<>())
                                .add(shown(value));
                    } else {
                        assertNull(because, () -> what + " failed, but is a documented value (" + because + "): "
                                + brief(outcome.error()));
                        assertFailedNaming(what, outcome.error(), option.name(), value, option.camelOwn());
                        if (option.camelOwn()) {
                            camelOwn++;
                        } else {
                            failedNamingIt++;
                        }
                    }
                }
            }
        }
        int perPair = BAD_VALUES.size() + HUGE_VALUES.size();
        int total = pairs * perPair;
        int acceptedCount = total - failedNamingIt - camelOwn;
        System.out.println("accepted by design:\n" + accepted.entrySet().stream()
                .map(e -> "  " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
        ReliabilityFigures.record(Section.BAD_INPUT, "URI options fuzzed: every endpoint option of flujo.json on every"
                + " kind that takes it (" + options.size() + " options, " + pairs + " option-kind pairs) x "
                + perPair + " bad values (" + String.join(" ", BAD_VALUES.stream().map(OptionFuzzStressTest::shown)
                .toList()) + ", and two 1 MB values as endpoint parameters)",
                total + " route starts: " + failedNamingIt + " failed with a FlujoConfigurationException naming the"
                        + " option, " + camelOwn + " (Camel's own lazyStartProducer) with Camel's error for the endpoint"
                        + " URI, " + acceptedCount + " started with a documented value held as given; no"
                        + " NullPointerException, ClassCastException or hang; slowest start " + slowestMillis + " ms",
                getClass());
    }

    /** The options {@code reconfigure} takes: the execution options and resultHeaders. */
    private static Set<String> runtimeOptions() {
        Set<String> names = new TreeSet<>();
        for (var component : OptimizationConfig.class.getRecordComponents()) {
            names.add(component.getName());
        }
        names.add("resultHeaders");
        names.retainAll(options.keySet());
        return names;
    }

    private static Map<String, Object> snapshot(Endpoint endpoint) {
        FlujoEndpointConfigurer configurer = new FlujoEndpointConfigurer();
        Map<String, Object> values = new TreeMap<>();
        for (String option : options.keySet()) {
            values.put(option, configurer.getOptionValue(endpoint, option, false));
        }
        return values;
    }

    @Test
    void everyRuntimeOptionChangeToABadValueFailsNamingItAndChangesNothing() throws Exception {
        int changes = 0;
        int refused = 0;
        for (FlujoKind kind : FlujoKind.values()) {
            String name = "runtime" + kind.uriName();
            FlujoEndpoint endpoint = (FlujoEndpoint) context.getEndpoint(uri(kind, name, base(kind)));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:" + name).to(endpoint);
                }
            });
            for (String optionName : runtimeOptions()) {
                Option option = options.get(optionName);
                if (!kind.takes(optionName)) {
                    continue;
                }
                List<String> values = new ArrayList<>(BAD_VALUES);
                values.addAll(HUGE_VALUES);
                for (String value : values) {
                    changes++;
                    String what = "reconfigure of flujo:" + kind.uriName() + " " + optionName + "=" + shown(value);
                    Map<String, Object> before = snapshot(endpoint);
                    Object plan = endpoint.getPlan();
                    Outcome outcome = bounded(what, () -> {
                        endpoint.reconfigure(Map.of(optionName, value));
                        return endpoint;
                    });
                    String because = acceptedBecause(option, value);
                    if (outcome.error() == null) {
                        assertNotNull(because, () -> what + " was applied: not a documented value of the option");
                        assertHeld(what, endpoint, optionName, option.type(), value);
                        if (before.get(optionName) != null) { // back to where it was (an unset one stays set)
                            endpoint.reconfigure(Map.of(optionName, before.get(optionName)));
                        }
                    } else {
                        assertNull(because, () -> what + " failed: " + brief(outcome.error()));
                        assertFailedNaming(what, outcome.error(), optionName, value, false);
                        Map<String, Object> after = snapshot(endpoint);
                        assertTrue(before.equals(after), () -> what + " changed the options " + before.keySet().stream()
                                .filter(o -> !Objects.equals(before.get(o), after.get(o))).toList());
                        assertSame(plan, endpoint.getPlan(), () -> what + " changed the plan");
                        refused++;
                    }
                }
            }
        }
        ReliabilityFigures.record(Section.BAD_INPUT, "Runtime option changes (reconfigure) fuzzed: every execution option"
                + " and resultHeaders on every kind that takes it, the same " + (BAD_VALUES.size() + HUGE_VALUES.size())
                + " bad values (1 MB ones included)", changes + " changes: " + refused + " refused naming the option"
                + " with the endpoint's options and plan unchanged, " + (changes - refused) + " applied as documented"
                + " values; no hang", getClass());
    }
}
