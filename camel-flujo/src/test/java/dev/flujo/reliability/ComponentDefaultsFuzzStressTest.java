package dev.flujo.reliability;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.camel.FlujoKind;
import dev.flujo.camel.TestAgents;
import dev.flujo.reliability.ReliabilityFigures.Section;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.reliability.OptionFuzzing.BAD_VALUES;
import static dev.flujo.reliability.OptionFuzzing.Option;
import static dev.flujo.reliability.OptionFuzzing.Outcome;
import static dev.flujo.reliability.OptionFuzzing.acceptedBecause;
import static dev.flujo.reliability.OptionFuzzing.assertHeld;
import static dev.flujo.reliability.OptionFuzzing.bounded;
import static dev.flujo.reliability.OptionFuzzing.brief;
import static dev.flujo.reliability.OptionFuzzing.names;
import static dev.flujo.reliability.OptionFuzzing.shown;
import static dev.flujo.reliability.OptionFuzzing.values;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every component option of {@code flujo.json} given a bad value as a {@code camel.component.flujo.*} property, bound
 * by camel-main as in a YAML DSL or JBang application: the application start fails with an error naming the option,
 * never a NullPointerException, a ClassCastException, another Error or a hang; a documented value of the option
 * ({@link OptionFuzzing#acceptedBecause}) is taken and reaches an endpoint that does not set the option itself.
 * camel-main refuses an empty or blank value ({@code camel.component.flujo.x=}) for any option itself, naming it.
 */
@Tag("stress")
class ComponentDefaultsFuzzStressTest {

    @TempDir
    static Path dir;

    private static ExecutorService starter;

    @BeforeAll
    static void startStarter() {
        starter = OptionFuzzing.starter();
    }

    @AfterAll
    static void stopStarter() {
        starter.shutdownNow();
    }

    /**
     * Starts a camel-main application whose only flujo endpoint is the base endpoint of {@code kind} without the
     * option, the option given as a component default; returns the endpoint (the application is stopped again).
     */
    private static Endpoint start(FlujoKind kind, String option, String value) throws Exception {
        Map<String, String> uriOptions = new LinkedHashMap<>(
                OptionFuzzing.base(kind,
                        "jdbc:sqlite:" + dir.resolve("defaults-state.db")));
        uriOptions.remove(option);
        String uri = OptionFuzzing.uri(kind, "fuzzed", uriOptions);
        Main main = new Main();
        main.bind("agent", TestAgents.answering("ok"));
        main.addInitialProperty("camel.component.flujo." + option, value);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:b1").setBody(constant("b1"));
                from("direct:b2").setBody(constant("b2"));
                from("direct:in").to(uri);
            }
        });
        try {
            main.start();
            return main.getCamelContext().getEndpoints().stream().filter(FlujoEndpoint.class::isInstance).findFirst()
                    .orElseThrow(() -> new AssertionError("no flujo endpoint in " + uri));
        } finally {
            main.stop();
        }
    }

    /** Whether some message in the cause chain names the option; no NPE, ClassCastException or Error in it. */
    private static void assertFailedNaming(String what, Throwable error, String option, String value) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NullPointerException || t instanceof ClassCastException || t instanceof Error) {
                throw new AssertionError(what + ": failed with " + brief(t));
            }
            if (t.getMessage() != null && names(t.getMessage(), option, value)) {
                return;
            }
        }
        throw new AssertionError(what + ": no message in the cause chain names the option: " + brief(error));
    }

    @Test
    void everyComponentOptionFailsABadDefaultNamingIt() throws Exception {
        Map<String, Option> options = OptionFuzzing.options("componentProperties");
        options.remove("configuration"); // the shared configuration object, a bean rather than text
        int tried = 0;
        int refused = 0;
        long slowest = 0;
        for (Option option : options.values()) {
            // Camel's own options (lazyStartProducer, autowiredEnabled) apply to any endpoint
            FlujoKind kind = option.kinds().iterator().next();
            for (String value : values(option)) {
                tried++;
                String what = "camel.component.flujo." + option.name() + "=" + shown(value) + " (flujo:"
                              + kind.uriName() + ")";
                Outcome outcome = bounded(starter, what, () -> start(kind, option.name(), value));
                slowest = Math.max(slowest, outcome.millis());
                String because = acceptedBecause(option, value);
                if (outcome.error() == null) {
                    assertNotNull(because, () -> what + " started: not a documented value of the option");
                    if (!option.camelOwn()) {
                        assertHeld(what, outcome.endpoint(), option.name(), option.type(), value);
                    }
                } else {
                    if (!value.isBlank()) { // camel-main itself refuses an empty (or blank) property value, naming it
                        assertNull(because, () -> what + " failed, but is a documented value (" + because + "): "
                                                  + brief(outcome.error()));
                    }
                    assertFailedNaming(what, outcome.error(), option.name(), value);
                    refused++;
                }
            }
        }
        ReliabilityFigures.record(Section.BAD_INPUT, "Component defaults fuzzed: every component option of flujo.json ("
                                                     + options.size()
                                                     + ") as a camel.component.flujo.* property bound by camel-main, the same "
                                                     + BAD_VALUES.size() + " bad values and two huge ones",
                tried + " application starts: " + refused
                                                                                                            + " failed naming the option, "
                                                                                                            + (tried - refused)
                                                                                                            + " started with a documented value that reached"
                                                                                                            + " the endpoint; no NullPointerException, ClassCastException or hang; slowest start "
                                                                                                            + slowest
                                                                                                            + " ms",
                getClass());
    }
}
