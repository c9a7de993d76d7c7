package dev.flujo.camel;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.FlujoAgent;
import dev.flujo.core.flow.BranchFailurePolicy;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.PluginOutcome;
import dev.flujo.core.step.ValidationResult;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.flujo.camel.FlujoAssertions.assertRouteStartFails;
import static dev.flujo.camel.FlujoAssertions.causeOf;
import static dev.flujo.camel.FlujoAssertions.messages;
import static org.apache.camel.builder.Builder.constant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Option handling: every bad value fails the route start with a message naming the option (boolean, enum, duration and
 * number text included), every option is also a component default, and a route using every option starts.
 */
class FlujoStepOptionsTest extends FlujoRouteTestSupport {

    private final TestAgents.CountingAgent agent = bind("agent", TestAgents.answering("ok"));

    // beans the routes name that no test reads back
    {
        bind("notAnAgent", "just a string");
        bind("wrongType", 42);
        bind("validator", (FlujoValidator) (output, context) -> ValidationResult.ok());
        bind("plugin", (FlujoPlugin) input -> PluginOutcome.success());
        bind("processor", (FlujoProcessor) (value, context) -> value);
        bind("on", Boolean.TRUE);
        bind("ignoring", BranchFailurePolicy.IGNORE);
    }

    /** Properties for the option references of the boolean and enum options. */
    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("flags.cache", "true");
        properties.setProperty("flags.policy", "ignore");
        return properties;
    }

    @Override
    protected void routes(RouteBuilder r) {
        r.from("direct:started").to("flujo:step:started?agent=#agent");
    }

    private void fails(String uri, String... fragments) {
        assertRouteStartFails(context, uri, fragments);
    }

    // --- kind, name, agent --------------------------------------------------------------------------------------

    @Test
    void unsupportedKindNamesTheSupportedKinds() {
        fails("flujo:chain:x?agent=#agent", "chain", "supported kinds: step");
    }

    @Test
    void missingStepName() {
        fails("flujo:step?agent=#agent", "Missing step name");
    }

    @Test
    void missingAgentNamesTheStep() {
        fails("flujo:step:noAgent", "noAgent", "agent");
    }

    @Test
    void unknownAgentBeanNamesStepAndReference() {
        fails("flujo:step:s1?agent=#missingAgent", "'s1'", "agent", "#missingAgent");
    }

    @Test
    void agentBeanOfWrongType() {
        fails("flujo:step:s2?agent=#notAnAgent", "'s2'", "#notAnAgent", FlujoAgent.class.getName());
    }

    @Test
    void unresolvableAgentEndpointNamesStepAndReference() {
        fails("flujo:step:s3?agent=nosuchscheme:thing", "'s3'", "agent", "nosuchscheme:thing");
    }

    @Test
    void agentEndpointUriSecretsAreNotShown() {
        Exception e = assertRouteStartFails(context, "flujo:step:s4?agent=RAW(nosuchscheme:thing?password=hunter2)",
                "'s4'", "nosuchscheme:thing");
        String all = messages(e);
        assertTrue(!all.contains("hunter2"), "the password must be masked:\n" + all);
    }

    @Test
    void consumerIsNotSupported() {
        Exception e = assertThrows(Exception.class, () -> addRoute("flujo:step:x?agent=#agent", "mock:out"));
        assertTrue(messages(e).contains("no consumer"), messages(e));
    }

    // --- execution options --------------------------------------------------------------------------------------

    @Test
    void negativeMaxRetries() {
        fails("flujo:step:s?agent=#agent&maxRetries=-1", "maxRetries");
    }

    @Test
    void nonNumericMaxRetries() {
        fails("flujo:step:s?agent=#agent&maxRetries=abc", "maxRetries", "abc");
    }

    @Test
    void nonNumericTokenLimit() {
        // a budget of "abc" must not silently become a budget of 0 tokens
        fails("flujo:step:s?agent=#agent&tokenLimit=abc", "tokenLimit", "abc");
    }

    @Test
    void tooManyRetries() {
        fails("flujo:step:s?agent=#agent&maxRetries=101", "maxRetries");
    }

    @Test
    void negativeTimeout() {
        fails("flujo:step:s?agent=#agent&timeout=-5s", "timeout");
    }

    @Test
    void negativeTimeoutInMillis() {
        fails("flujo:step:s?agent=#agent&timeout=-5000", "timeout");
    }

    @Test
    void unparsableTimeout() {
        fails("flujo:step:s?agent=#agent&timeout=soon", "timeout");
    }

    @Test
    void zeroCacheMaxSize() {
        fails("flujo:step:s?agent=#agent&cache=true&cacheMaxSize=0", "cacheMaxSize");
    }

    @Test
    void negativeCacheTtl() {
        fails("flujo:step:s?agent=#agent&cache=true&cacheTtl=-1s", "cacheTtl");
    }

    @Test
    void negativeLimitsAndPrices() {
        fails("flujo:step:s?agent=#agent&costLimitUsd=-1", "costLimitUsd");
        fails("flujo:step:s?agent=#agent&tokenLimit=-5", "tokenLimit");
        fails("flujo:step:s?agent=#agent&expectedTokens=-1", "expectedTokens");
        fails("flujo:step:s?agent=#agent&expectedCostUsd=-0.5", "expectedCostUsd");
        fails("flujo:step:s?agent=#agent&costPerInputToken=-0.1", "costPerInputToken");
        fails("flujo:step:s?agent=#agent&costPerOutputToken=-0.1", "costPerOutputToken");
    }

    @Test
    void sinkToCannotNameACamelProperty() {
        fails("flujo:step:s?agent=#agent&sinkTo=CamelFlujoRun", "sinkTo");
    }

    @Test
    void everyInvalidOptionIsReported() {
        fails("flujo:step:s?agent=#agent&maxRetries=-1&cacheMaxSize=0&tokenLimit=-1", "maxRetries", "cacheMaxSize",
                "tokenLimit");
    }

    @Test
    void unknownOption() {
        fails("flujo:step:s?agent=#agent&foo=bar", "foo");
    }

    // --- wiring options -----------------------------------------------------------------------------------------

    @Test
    void brokenSimpleValidateExpression() {
        fails("flujo:step:s?agent=#agent&validate=RAW(${body.length > 3)", "validate");
    }

    @Test
    void missingValidatorBean() {
        fails("flujo:step:s?agent=#agent&validators=#missing", "validators", "#missing");
    }

    @Test
    void validatorBeanOfWrongType() {
        fails("flujo:step:s?agent=#agent&validators=#validator,#wrongType", "validators", "#wrongType");
    }

    @Test
    void pluginBeanOfWrongType() {
        fails("flujo:step:s?agent=#agent&plugins=#wrongType", "plugins", "#wrongType", FlujoPlugin.class.getName());
    }

    @Test
    void missingPluginBean() {
        fails("flujo:step:s?agent=#agent&plugins=#plugin,#missing", "plugins", "#missing");
    }

    @Test
    void processorBeansOfWrongType() {
        fails("flujo:step:s?agent=#agent&promptProcessors=#wrongType", "promptProcessors", "#wrongType");
        fails("flujo:step:s?agent=#agent&outputProcessors=#missing", "outputProcessors", "#missing");
    }

    @Test
    void badFallback() {
        fails("flujo:step:s?agent=#agent&fallback=#missing", "fallback", "#missing");
        fails("flujo:step:s?agent=#agent&fallback=#notAnAgent", "fallback", "#notAnAgent");
    }

    // --- option text: booleans, enums, durations, numbers -------------------------------------------------------

    /*
     * Found by the bad-input fuzzing (issue 7). Boolean and enum text: Camel refused cache=maybe on its own, with a
     * PropertyBindingException and without the other bad options of the endpoint, where every other bad value is a
     * problem of one FlujoConfigurationException (docs/configuration.md, "Checked at route start"). Duration and number
     * text the check let through: Camel then wrapped it silently (timeout=18446744073709552s ran with a 384 ms
     * time-out), read a repeated unit once (1h1h = 1h), failed with its own NumberFormatException or
     * ArithmeticException instead of naming the option with the others, or the check itself overflowed the stack (a few
     * thousand duration parts) or took minutes (many "{{").
     */

    @Test
    void badBooleanTextIsReportedWithTheOtherBadOptions() {
        Exception e = assertRouteStartFails(context, "flujo:step:flags?agent=#agent&cache=maybe&maxRetries=abc"
                                                     + "&resultHeaders=RAW( true)");
        List<String> problems = causeOf(e, FlujoConfigurationException.class).getProblems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.contains("cache must be true or false, was 'maybe'"), problems.toString());
        assertTrue(problems.contains("resultHeaders must be true or false, was ' true'"), problems.toString());
    }

    @Test
    void badEnumTextNamesTheConstants() {
        Exception e = assertRouteStartFails(context, "flujo:parallel:fan?branches=direct:a&onBranchFailure=sometimes");
        assertEquals(List.of("onBranchFailure must be one of PROPAGATE, IGNORE, was 'sometimes'"),
                causeOf(e, FlujoConfigurationException.class).getProblems());
    }

    @Test
    void camelsSpellingsOfBooleansAndEnumsStillStart() throws Exception {
        addRoutes(r -> {
            r.from("direct:spellings").to("flujo:step:spellings?agent=#agent&cache=TRUE&resultHeaders=False");
            r.from("direct:fan").to("flujo:parallel:fan?branches=direct:a&onBranchFailure=ignore");
            r.from("direct:a").setBody(constant("a"));
        });
        FlujoConfiguration step = context.getEndpoint("flujo:step:spellings?agent=#agent&cache=TRUE"
                                                      + "&resultHeaders=False",
                FlujoEndpoint.class).getConfiguration();
        assertTrue(step.isCache());
        assertEquals(false, step.isResultHeaders());
        assertEquals(BranchFailurePolicy.IGNORE, context.getEndpoint("flujo:parallel:fan?branches=direct:a"
                                                                     + "&onBranchFailure=ignore",
                FlujoEndpoint.class).getConfiguration().getOnBranchFailure());
    }

    /**
     * Found reviewing the boolean/enum check (issue 7): Camel binds {@code #property:key}, {@code #bean:name} and
     * {@code #name} to boolean and enum options (and refuses a bad value they resolve to itself), but the check read
     * the reference as the option's text and refused every one of them.
     */
    @Test
    void referencesCamelResolvesStillStart() throws Exception {
        String step = "flujo:step:refs?agent=#agent&cache=#property:flags.cache&resultHeaders=#bean:on"
                      + "&updatesContext=#on";
        String fan = "flujo:parallel:refs?branches=direct:a&onBranchFailure=#property:flags.policy";
        String fan2 = "flujo:parallel:refs2?branches=direct:a&onBranchFailure=#ignoring";
        addRoutes(r -> {
            r.from("direct:refs").to(step);
            r.from("direct:fanRefs").to(fan);
            r.from("direct:fanRefs2").to(fan2);
            r.from("direct:a").setBody(constant("a"));
        });
        FlujoConfiguration options = context.getEndpoint(step, FlujoEndpoint.class).getConfiguration();
        assertTrue(options.isCache());
        assertTrue(options.isResultHeaders());
        assertTrue(options.isUpdatesContext());
        assertEquals(BranchFailurePolicy.IGNORE,
                context.getEndpoint(fan, FlujoEndpoint.class).getConfiguration().getOnBranchFailure());
        assertEquals(BranchFailurePolicy.IGNORE,
                context.getEndpoint(fan2, FlujoEndpoint.class).getConfiguration().getOnBranchFailure());
    }

    @Test
    void aReferenceToBadTextIsStillRefused() {
        assertRouteStartFails(context, "flujo:step:badRef?agent=#agent&cache=#property:flags.policy");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "timeout=18446744073709552s | timeout is out of range",
            "timeout=307445734561826m | timeout is out of range",
            "cacheTtl=99999999999999999999 | cacheTtl is out of range",
            "maxConcurrentExecutionsWait=P999999999999D | maxConcurrentExecutionsWait is out of range",
            "timeout=PT9999999999999999H | timeout is out of range",
            "timeout=1h1h | timeout must not repeat the unit h",
    })
    void durationTextCamelWouldMisreadFailsTheStartNamingTheOption(String option, String problem) {
        Exception e = assertRouteStartFails(context, "flujo:step:d" + Integer.toHexString(option.hashCode())
                                                     + "?agent=#agent&" + option,
                problem);
        causeOf(e, FlujoConfigurationException.class);
    }

    @Test
    void aDurationOfThousandsOfPartsFailsWithoutOverflowingTheStack() {
        Exception e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertRouteStartFails(context,
                "flujo:step:parts?agent=#agent&timeout=" + "1s".repeat(5_000), "timeout must not repeat the unit s"));
        causeOf(e, FlujoConfigurationException.class);
    }

    @Test
    void manyPlaceholderBracesAreCheckedInLinearTime() {
        FlujoEndpoint endpoint = context.getEndpoint("flujo:step:started?agent=#agent", FlujoEndpoint.class);
        FlujoConfigurationException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FlujoConfigurationException.class,
                        () -> endpoint.reconfigure(Map.of("maxRetries", "{{".repeat(500_000)))));
        assertTrue(e.getProblems().get(0).startsWith("maxRetries must be a whole number"), e.getMessage());
    }

    /**
     * Duration text that the option check accepts but Camel's TimeUtils turns into 0, i.e. "no time-out". The contract:
     * a bad option fails the route start; a good one means what it says. Either outcome passes here, a route that
     * starts with the time-out silently switched off does not.
     */
    @ParameterizedTest
    @CsvSource({ "5S, 5000", "10MS, 10" })
    void acceptedDurationTextIsNotSilentlyZero(String text, long expectedMillis) throws java.lang.Exception {
        String uri = "flujo:step:t" + Integer.toHexString(text.hashCode()) + "?agent=#agent&timeout=" + text;
        try {
            addRoute("direct:t" + Integer.toHexString(text.hashCode()), uri);
        } catch (java.lang.Exception rejected) {
            return; // failing the start is fine
        }
        FlujoEndpoint endpoint = context.getEndpoint(uri, FlujoEndpoint.class);
        assertEquals(Duration.ofMillis(expectedMillis), ((dev.flujo.core.exec.StepPlan) endpoint.getPlan()).timeout(),
                "timeout=" + text + " passed the option check but the step runs with time-out "
                                                                                                                       + ((dev.flujo.core.exec.StepPlan) endpoint
                                                                                                                               .getPlan())
                                                                                                                               .timeout());
    }

    // --- component defaults -------------------------------------------------------------------------------------

    @Test
    void invalidComponentDefaultFailsTheRouteStart() {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setMaxRetries(-1);

        fails("flujo:step:s?agent=#agent", "maxRetries");
    }

    @Test
    void agentAsComponentDefault() throws Exception {
        context.getComponent("flujo", FlujoComponent.class).getConfiguration().setAgent("#agent");
        addRoute("direct:defaultAgent", "flujo:step:defaultAgent");

        assertEquals("ok", template.requestBody("direct:defaultAgent", "q"));
        assertEquals(1, agent.calls());
    }

    @Test
    void everyEndpointOptionIsAlsoAComponentOption() throws Exception {
        JsonNode model;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/dev/flujo/camel/flujo.json")) {
            assertNotNull(in, "flujo.json on the classpath");
            model = new ObjectMapper().readTree(in);
        }
        TreeSet<String> endpointOptions = new TreeSet<>();
        model.get("properties").fields().forEachRemaining(e -> {
            if ("parameter".equals(e.getValue().get("kind").asText())) {
                endpointOptions.add(e.getKey());
            }
        });
        TreeSet<String> componentOptions = new TreeSet<>();
        model.get("componentProperties").fieldNames().forEachRemaining(componentOptions::add);
        TreeSet<String> missing = new TreeSet<>(endpointOptions);
        missing.removeAll(componentOptions);
        assertTrue(missing.isEmpty(), "endpoint options without a component default: " + missing);

        // and the component configurer (used for camel.component.flujo.*) accepts every one of them
        FlujoComponentConfigurer configurer = new FlujoComponentConfigurer();
        List<String> unknown = new ArrayList<>();
        for (String option : endpointOptions) {
            if (configurer.getOptionType(option, false) == null) {
                unknown.add(option);
            }
        }
        assertTrue(unknown.isEmpty(), "not configurable on the component: " + unknown);
        assertTrue(endpointOptions.size() >= 25, endpointOptions.toString());
    }

    @Test
    void routeWithEveryOptionStarts() throws Exception {
        String uri = "flujo:step:everything?agent=#agent&maxRetries=2&timeout=5s&cache=true&cacheTtl=1m"
                     + "&cacheMaxSize=10&cacheKeyContext=tenant,region&costLimitUsd=1.5&tokenLimit=100"
                     + "&expectedCostUsd=0.1&expectedTokens=10&costPerInputToken=0.001&costPerOutputToken=0.002"
                     + "&inputTokensHeader=X-In&outputTokensHeader=X-Out&costHeader=X-Cost&updatesContext=false"
                     + "&sinkTo=result&validate=RAW(${body} != null)&validators=#validator&plugins=#plugin"
                     + "&promptProcessors=#processor&outputProcessors=#processor&fallback=#agent";
        addRoute("direct:everything", uri);

        Exchange result = run("direct:everything");
        assertNull(result.getException());
        assertEquals("ok", result.getMessage().getBody());
        assertEquals("ok", result.getProperty("result"));

        FlujoConfiguration config = context.getEndpoint(uri, FlujoEndpoint.class).getConfiguration();
        assertEquals(5000, config.getTimeout());
        assertEquals(60000, config.getCacheTtl());
        assertEquals(2, config.getMaxRetries());
        assertEquals(Long.valueOf(100), config.getTokenLimit());
        assertEquals("X-Cost", config.getCostHeader());
    }

    @Test
    void contextWithABadRouteDoesNotStart() throws Exception {
        try (CamelContext fresh = new DefaultCamelContext()) {
            fresh.getRegistry().bind("agent", agent);
            fresh.getRegistry().bind("wrongType", 42);
            fresh.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("flujo:step:notStarted?agent=#agent&plugins=#wrongType");
                }
            });

            Exception e = assertThrows(Exception.class, fresh::start);
            String all = messages(e);
            assertTrue(all.contains("plugins") && all.contains("notStarted"), all);
        }
    }

    @Test
    void contextWithABadOptionValueDoesNotStart() throws Exception {
        try (CamelContext fresh = new DefaultCamelContext()) {
            fresh.getRegistry().bind("agent", agent);
            fresh.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").to("flujo:step:notStarted?agent=#agent&maxRetries=-1");
                }
            });

            Exception e = assertThrows(Exception.class, fresh::start);
            assertTrue(messages(e).contains("maxRetries"), messages(e));
            assertEquals(0, agent.calls());
        }
    }

    @Test
    void optionsOfTheSameStepAreIndependentPerEndpoint() throws Exception {
        // the component defaults are copied, so an endpoint option never leaks into the defaults or other endpoints
        addRoutes(r -> {
            r.from("direct:one").to("flujo:step:one?agent=#agent&maxRetries=7");
            r.from("direct:two").to("flujo:step:two?agent=#agent");
        });

        assertEquals(1, context.getComponent("flujo", FlujoComponent.class).getConfiguration().getMaxRetries());
        assertEquals(1, context.getEndpoint("flujo:step:two?agent=#agent", FlujoEndpoint.class).getConfiguration()
                .getMaxRetries());
    }
}
