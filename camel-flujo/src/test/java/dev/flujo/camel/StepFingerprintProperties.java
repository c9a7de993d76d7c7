package dev.flujo.camel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.flujo.camel.plan.StepPlanFactory;
import dev.flujo.core.agent.AgentRequest;
import dev.flujo.core.agent.AgentResponse;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.reliability.PropertyFigures;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The cache fingerprint of a {@code flujo:step} (its name and every option that changes what it outputs, part of every
 * cache key) tells any two option sets apart: were two steps with different agents, processors, validators,
 * {@code validate}, plugins, fallback or {@code updatesContext} given one fingerprint, a cache that keeps its entries
 * across a change of plan (StepCache.reconfigured compares fingerprints) could serve one's output for the other.
 *
 * <p>
 * Option values are free text: a bean name or a Simple expression may hold {@code |} and {@code name=}, and an unset
 * option must differ from one set to the text {@code "null"}. So besides independent option sets, pairs are generated
 * that are the same text rendered as {@code name=value|name=value} but split at another {@code |name=}, and pairs that
 * differ by null against {@code "null"}.
 *
 * <p>
 * Tagged {@code property}: it runs in the test command with jqwik's default tries and in the stress profile with
 * {@code jqwik.tries.default} raised, which records its figure ({@link PropertyFigures}).
 */
@Tag("property")
@AddLifecycleHook(PropertyFigures.class)
@PropertyFigures.What(what = "Step cache fingerprints, generated option sets (jqwik): any differing option gives a"
                             + " different fingerprint, computed directly and on endpoints Camel built and started",
                      found = "found: agent \"#a|prompt=#p\" with promptProcessors \"#q\" and agent \"#a\" with promptProcessors"
                              + " \"#p|prompt=#q\" had one fingerprint, as had promptProcessors unset and \"null\"; fixed:"
                              + " length-prefixed parts")
class StepFingerprintProperties {

    /** The options in the fingerprint, in its order. */
    static final List<String> NAMES = List.of("agent", "prompt", "output", "validators", "validate", "plugins",
            "fallback");

    /** A step name, the seven text options and updatesContext. */
    record Options(String step, List<String> values, boolean updatesContext) {

        FlujoConfiguration configuration() {
            FlujoConfiguration c = new FlujoConfiguration();
            c.setAgent(values.get(0));
            c.setPromptProcessors(values.get(1));
            c.setOutputProcessors(values.get(2));
            c.setValidators(values.get(3));
            c.setValidate(values.get(4));
            c.setPlugins(values.get(5));
            c.setFallback(values.get(6));
            c.setUpdatesContext(updatesContext);
            return c;
        }

        String fingerprint() {
            return StepPlanFactory.fingerprint(step, configuration());
        }

        @Override
        public String toString() {
            return "step " + quoted(step) + ", " + NAMES.get(0) + " " + quoted(values.get(0)) + ", "
                   + String.join(", ", java.util.stream.IntStream.range(1, NAMES.size())
                           .mapToObj(i -> NAMES.get(i) + " " + quoted(values.get(i))).toList())
                   + ", updatesContext " + updatesContext;
        }
    }

    /** A value as it is: {@code null}, or its text in quotes. */
    static String quoted(String value) {
        return value == null ? "null" : '"' + value + '"';
    }

    /** Two steps have the same fingerprint exactly when their names and all their options are equal. */
    @Property
    void differentOptionsGiveDifferentFingerprints(@ForAll("optionPairs") Tuple.Tuple2<Options, Options> pair) {
        Options a = pair.get1();
        Options b = pair.get2();
        boolean same = a.equals(b);
        Statistics.collect(same ? "same options" : "different options");

        assertEquals(same, a.fingerprint().equals(b.fingerprint()), () -> a + " / " + b);
        Statistics.coverage(c -> c.check("same options").percentage(p -> p > 5));
    }

    // --- the real path: endpoints Camel builds and starts ---------------------------------------------------------

    private static DefaultCamelContext camel;

    @BeforeContainer
    static void startCamel() {
        camel = new DefaultCamelContext();
        camel.disableJMX(); // thousands of endpoints come and go: no MBean for each
        camel.start();
    }

    @AfterContainer
    static void stopCamel() {
        camel.stop();
    }

    /**
     * The same, on endpoints built by Camel from their URIs and started (beans resolved, Simple compiled): two
     * {@code flujo:step} endpoints whose agent, prompt processors or {@code validate} differ never have plans with one
     * fingerprint. The agent and processor bean names are generated (one processor is the plain name {@code null});
     * each is bound before the endpoints start. Each try starts two endpoints (a few milliseconds): a tenth of the
     * default tries, the option text itself having the full tries above.
     */
    @Property
    @PropertyFigures.CostlyTries(10)
    void endpointsWithDifferentOptionsHaveDifferentFingerprints(
            @ForAll("endpointOptionPairs") Tuple.Tuple2<List<String>, List<String>> pair)
            throws Exception {
        List<String> a = pair.get1();
        List<String> b = pair.get2();
        boolean same = a.equals(b);
        Statistics.collect(same ? "same options" : "different options");

        assertEquals(same, planFingerprint(a).equals(planFingerprint(b)),
                () -> a.stream().map(StepFingerprintProperties::quoted).toList() + " / "
                      + b.stream().map(StepFingerprintProperties::quoted).toList());
    }

    /**
     * The collisions the properties found, on two started endpoints each: agent {@code #a|prompt=#p} with prompt
     * processor {@code #q} read {@code s|agent=#a|prompt=#p|prompt=#q|...}, exactly as agent {@code #a} with prompt
     * processor {@code #p|prompt=#q} did; and promptProcessors unset read as the bean name {@code null}.
     */
    @Example
    void optionsHoldingAnotherOptionsTextOrNullNoLongerShareAFingerprint() throws Exception {
        assertNotEquals(planFingerprint(Arrays.asList("#a|prompt=#p", "#q", null)),
                planFingerprint(Arrays.asList("#a", "#p|prompt=#q", null)));
        assertNotEquals(planFingerprint(Arrays.asList("#a", null, null)),
                planFingerprint(Arrays.asList("#a", "null", null)));
    }

    /** agent, promptProcessors, validate; a null is an option left out of the URI. */
    private static String planFingerprint(List<String> options) throws Exception {
        bind(options.get(0), "agent");
        bind(options.get(1), "prompt");
        StringBuilder uri = new StringBuilder("flujo:step:s?agent=RAW(" + options.get(0) + ")");
        if (options.get(1) != null) {
            uri.append("&promptProcessors=RAW(").append(options.get(1)).append(")");
        }
        if (options.get(2) != null) {
            uri.append("&validate=RAW(").append(options.get(2)).append(")");
        }
        FlujoEndpoint endpoint = camel.getEndpoint(uri.toString(), FlujoEndpoint.class);
        try {
            ServiceHelper.startService(endpoint);
            return ((StepPlan) endpoint.getPlan()).fingerprint();
        } finally {
            ServiceHelper.stopService(endpoint);
            camel.removeEndpoint(endpoint);
        }
    }

    /** A bean that is an agent and a processor, so that a generated name may be used as either. */
    static final class AgentAndProcessor implements FlujoAgent, FlujoProcessor {
        @Override
        public CompletionStage<AgentResponse> call(AgentRequest request) {
            return CompletableFuture.completedFuture(AgentResponse.of("out"));
        }

        @Override
        public Object process(Object value, FlujoContext context) {
            return value;
        }
    }

    private static void bind(String refs, String kind) {
        if (refs == null) {
            return;
        }
        for (String ref : kind.equals("agent") ? List.of(refs) : FlujoConfiguration.splitList(refs)) {
            String name = ref.startsWith("#") ? ref.substring(1) : ref;
            if (camel.getRegistry().lookupByName(name) == null) {
                camel.getRegistry().bind(name, new AgentAndProcessor());
            }
        }
    }

    // --- generators -----------------------------------------------------------------------------------------------

    /** Independent option sets (from a small alphabet, so that some are equal), re-split ones, null and "null". */
    @Provide
    Arbitrary<Tuple.Tuple2<Options, Options>> optionPairs() {
        Arbitrary<Options> options = Combinators.combine(Arbitraries.of("s", "s|agent=#a", "t"),
                optionValue().list().ofSize(NAMES.size()), Arbitraries.of(true, false)).as(Options::new);
        Arbitrary<Tuple.Tuple2<Options, Options>> independent = Combinators.combine(options, options).as(Tuple::of);
        Arbitrary<Tuple.Tuple2<Options, Options>> resplit = Combinators.combine(options,
                Arbitraries.integers().between(0, NAMES.size() - 2), optionValue().map(String::valueOf))
                .as((o, boundary, moved) -> {
                    List<String>[] both = resplit(o.values(), boundary, moved);
                    return Tuple.of(new Options(o.step(), both[0], o.updatesContext()),
                            new Options(o.step(), both[1], o.updatesContext()));
                });
        Arbitrary<Tuple.Tuple2<Options, Options>> nullText = Combinators.combine(options,
                Arbitraries.integers().between(0, NAMES.size() - 1)).as((o, i) -> {
                    List<String> values = new ArrayList<>(o.values());
                    values.set(i, values.get(i) == null ? "null" : null);
                    return Tuple.of(o, new Options(o.step(), values, o.updatesContext()));
                });
        return Arbitraries.frequencyOf(Tuple.of(2, independent), Tuple.of(2, resplit), Tuple.of(1, nullText),
                Tuple.of(1, options.map(o -> Tuple.of(o, new Options(
                        new String(o.step()), o.values().stream()
                                .map(v -> v == null ? null : new String(v)).toList(),
                        o.updatesContext())))));
    }

    /**
     * Endpoint options (agent, promptProcessors, validate) that Camel can start: bean names made of pieces that look
     * like the fingerprint's own text, re-split between agent and promptProcessors, or promptProcessors unset against
     * the bean name {@code null}; validate unset or one of two predicates.
     */
    @Provide
    Arbitrary<Tuple.Tuple2<List<String>, List<String>>> endpointOptionPairs() {
        Arbitrary<String> name = Arbitraries.of("a", "p", "q", "a|prompt=#p", "p|prompt=#q").list().ofMinSize(1)
                .ofMaxSize(2).map(pieces -> String.join("", pieces));
        Arbitrary<String> validate = Arbitraries.of("${body} != null", "${body} == 'null'").injectNull(0.4);
        Arbitrary<List<String>> options = Combinators.combine(name, name.injectNull(0.3), validate)
                .as((agent, prompt, v) -> Arrays.asList("#" + agent, prompt == null ? null : "#" + prompt, v));
        Arbitrary<Tuple.Tuple2<List<String>, List<String>>> resplit = options.map(o -> {
            // agent "#x|prompt=#y" and prompt "#z" against agent "#x" and prompt "#y|prompt=#z"
            int cut = o.get(0).indexOf("|prompt=");
            List<String> other = new ArrayList<>(o);
            if (cut > 0 && o.get(1) != null) {
                other.set(0, o.get(0).substring(0, cut));
                other.set(1, o.get(0).substring(cut + "|prompt=".length()) + "|prompt=" + o.get(1));
            } else {
                // promptProcessors unset against the plain bean name "null" (a processor bound under that name)
                other.set(1, o.get(1) == null ? "null" : null);
            }
            return Tuple.of(o, other);
        });
        return Arbitraries.frequencyOf(Tuple.of(2, resplit), Tuple.of(1, Combinators.combine(options, options)
                .as(Tuple::of)));
    }

    /** Text a bean reference or a Simple expression could hold, including the fingerprint's separators. */
    private static Arbitrary<String> optionValue() {
        return Arbitraries.of("#a", "#p", "|", "agent=", "prompt=", "output=", "validate=", "=", "null", ",", "1:")
                .list().ofMaxSize(3).map(pieces -> String.join("", pieces)).injectNull(0.3);
    }

    /**
     * Two value lists that read the same as {@code name=value|name=value}: with {@code x, z} the values at
     * {@code boundary} and the next one, {@code sep} the text between them ({@code |} and the next option's name and
     * {@code =}), one has {@code x + sep + moved, z} and the other {@code x, moved + sep + z}.
     */
    @SuppressWarnings("unchecked")
    static List<String>[] resplit(List<String> values, int boundary, String moved) {
        String sep = "|" + NAMES.get(boundary + 1) + "=";
        List<String> first = new ArrayList<>(values);
        List<String> second = new ArrayList<>(values);
        first.set(boundary, values.get(boundary) + sep + moved);
        second.set(boundary + 1, moved + sep + values.get(boundary + 1));
        return new List[] { first, second };
    }
}
