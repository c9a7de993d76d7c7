package dev.flujo.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.camel.FlujoEndpointConfigurer;
import dev.flujo.camel.FlujoKind;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.reliability.ReliabilityFigures.Section;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.reliability.OptionFuzzing.*;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint option of {@code flujo.json}, on every kind that takes it, set to wrong types, negative numbers,
 * empty, blank and huge values: the route start fails with a {@link FlujoConfigurationException} one of whose problems
 * names the option (or, for a bean reference on a boolean or enum option, which Camel resolves, Camel's binding error
 * naming it: see {@link OptionFuzzing.Refusal}) - never a NullPointerException, a ClassCastException, another Error or
 * a hang (every start is bounded) - unless the value is a documented value of the option
 * ({@link OptionFuzzing#acceptedBecause}), in which case the route starts and the endpoint holds the value as given.
 * The options come from the descriptor, so a new option is fuzzed without being listed here. The same values are tried
 * as runtime changes ({@code reconfigure}, which must then change nothing).
 */
@Tag("stress")
class OptionFuzzStressTest {

    @TempDir
    static Path dir;

    private static CamelContext context;
    private static ExecutorService starter;
    private static Map<String, Option> options;
    private static int starts;
    private static long slowestMillis;

    @BeforeAll
    static void startCamel() throws Exception {
        options = OptionFuzzing.options("properties");
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
        starter = OptionFuzzing.starter();
    }

    @AfterAll
    static void stopCamel() throws Exception {
        starter.shutdownNow();
        context.close();
    }

    /** A valid endpoint of each kind; the fuzzed option is set on it (replacing the base value, if any). */
    private static Map<String, String> base(FlujoKind kind) {
        return OptionFuzzing.base(kind, "jdbc:sqlite:" + dir.resolve("fuzz-state.db"));
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
        Outcome outcome = bounded(starter, "the start of flujo:" + kind.uriName() + " with " + option.name() + "="
                                           + shown(value),
                () -> {
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
        slowestMillis = Math.max(slowestMillis, outcome.millis());
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

    @Test
    void everyUriOptionOnEveryKindFailsABadValueNamingTheOption() throws Exception {
        // the bases start: whatever fails below fails because of the fuzzed option
        for (FlujoKind kind : FlujoKind.values()) {
            Outcome base = start(kind, options.get("lazyStartProducer"), "false", false);
            assertNull(base.error(), () -> "the base endpoint of " + kind + " does not start: " + brief(base.error()));
        }
        int pairs = 0;
        Map<Refusal, Integer> refusals = new EnumMap<>(Refusal.class);
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
                        refusals.merge(assertFailedNaming(what, outcome.error(), option.name(), value,
                                option.camelOwn()), 1, Integer::sum);
                    }
                }
            }
        }
        int perPair = BAD_VALUES.size() + HUGE_VALUES.size();
        int total = pairs * perPair;
        int acceptedCount = total - refusals.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("accepted by design:\n" + accepted.entrySet().stream()
                .map(e -> "  " + e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
        ReliabilityFigures.record(Section.BAD_INPUT, "URI options fuzzed: every endpoint option of flujo.json on every"
                                                     + " kind that takes it (" + options.size() + " options, " + pairs
                                                     + " option-kind pairs) x "
                                                     + perPair + " bad values (" + String.join(" ",
                                                             BAD_VALUES.stream().map(OptionFuzzing::shown)
                                                                     .toList())
                                                     + ", and two 1 MB values as endpoint parameters)",
                total + " route starts: " + refusals.getOrDefault(Refusal.FLUJO, 0) + " failed with a"
                                                                                                        + " FlujoConfigurationException naming the option, "
                                                                                                        + refusals.getOrDefault(
                                                                                                                Refusal.CAMEL_REFERENCE,
                                                                                                                0)
                                                                                                        + " (bean references on boolean and enum options, which Camel"
                                                                                                        + " resolves) with Camel's binding error naming the option, "
                                                                                                        + refusals.getOrDefault(
                                                                                                                Refusal.CAMEL_OWN,
                                                                                                                0)
                                                                                                        + " (Camel's own lazyStartProducer) with Camel's error for the endpoint"
                                                                                                        + " URI, "
                                                                                                        + acceptedCount
                                                                                                        + " started with a documented value held as given; no"
                                                                                                        + " NullPointerException, ClassCastException or hang; slowest start "
                                                                                                        + slowestMillis + " ms",
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
                    Outcome outcome = bounded(starter, what, () -> {
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
                                                     + " and resultHeaders on every kind that takes it, the same "
                                                     + (BAD_VALUES.size() + HUGE_VALUES.size())
                                                     + " bad values (1 MB ones included)",
                changes + " changes: " + refused + " refused naming the option"
                                                                                           + " with the endpoint's options and plan unchanged, "
                                                                                           + (changes - refused)
                                                                                           + " applied as documented"
                                                                                           + " values; no hang",
                getClass());
    }
}
