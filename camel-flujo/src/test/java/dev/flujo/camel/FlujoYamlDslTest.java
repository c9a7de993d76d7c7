package dev.flujo.camel;

import java.util.List;
import java.util.Map;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.PluginInput;
import dev.flujo.core.step.PluginOutcome;
import dev.flujo.core.step.ValidationResult;
import dev.flujo.core.usage.UsageLimitExceededException;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.flujo.camel.FlujoAssertions.exceptionOf;
import static dev.flujo.camel.FlujoAssertions.messages;
import static dev.flujo.camel.FlujoAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flujo component used from the Camel YAML DSL: the routes are in src/test/resources/routes/*.camel.yaml. */
class FlujoYamlDslTest extends CamelTestSupport {

    private static final List<String> ROUTE_FILES = List.of("retry-feedback", "timeout", "fallback", "validate", "plugin",
            "cache", "usage-limit", "context");

    private final TestAgents.PendingAgent neverAnswers = new TestAgents.PendingAgent(2);
    private final TestAgents.CountingAgent fails = TestAgents.failing("yaml agent down");
    private final TestAgents.CountingAgent planB = TestAgents.answering("yaml plan B");
    private final TestAgents.ScriptedAgent shortThenLong = TestAgents.scripted("short", "4 digits", "long enough");
    private final TestAgents.CountingAgent draft = TestAgents.answering("draft");
    private final TestAgents.CountingAgent counting = TestAgents.answering(r -> "answer for " + r.context().get("tenant"));
    private final TestAgents.CountingAgent mapAgent = TestAgents.answering(Map.of("summary", "short"));
    private final TestAgents.CountingAgent writer = TestAgents.answering(r -> "article about " + r.context().get("summary"));

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("yamlNeverAnswers", neverAnswers);
        registry.bind("yamlFails", fails);
        registry.bind("yamlPlanB", planB);
        registry.bind("yamlShortThenLong", shortThenLong);
        registry.bind("yamlDraft", draft);
        registry.bind("yamlCounting", counting);
        registry.bind("yamlMapAgent", mapAgent);
        registry.bind("yamlWriter", writer);
        registry.bind("yamlNoDigits", (FlujoValidator) (output, context) -> output.toString().matches(".*\\d.*")
                ? ValidationResult.fail("no digits please") : ValidationResult.ok());
        registry.bind("yamlShout", new FlujoPlugin() {
            @Override
            public PluginOutcome apply(PluginInput input) {
                return PluginOutcome.newSolution(input.output().toString().toUpperCase());
            }

            @Override
            public int priority() {
                return 1;
            }
        });
        registry.bind("yamlToExpert", new FlujoPlugin() {
            @Override
            public PluginOutcome apply(PluginInput input) {
                return "#yamlDraft".equals(input.agent())
                        ? PluginOutcome.redirect("direct:yaml-expert")
                        : PluginOutcome.success();
            }

            @Override
            public int priority() {
                return 10;
            }
        });
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return YamlRoutes.load(context, ROUTE_FILES);
    }

    @AfterEach
    void release() {
        neverAnswers.releaseAll("released");
    }

    private Exchange run(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    @Test
    void allRouteFilesAreLoaded() {
        assertEquals(14, context.getRoutes().size(), context.getRoutes().toString());
    }

    @Test
    void retriesWithFeedbackHeader() throws Exception {
        MockEndpoint calls = getMockEndpoint("mock:yaml-llm-calls");
        calls.expectedMessageCount(2);
        calls.message(0).header(FlujoConstants.FEEDBACK).isNull();
        calls.message(0).header(FlujoConstants.ATTEMPT).isEqualTo(1);
        calls.message(1).header(FlujoConstants.FEEDBACK).contains("startsWith 'good'");
        calls.message(1).header(FlujoConstants.ATTEMPT).isEqualTo(2);
        MockEndpoint out = getMockEndpoint("mock:yaml-retry");
        out.expectedMessageCount(1);
        out.expectedHeaderReceived(FlujoConstants.ATTEMPTS, 2);

        template.sendBody("direct:yaml-retry", "q");

        MockEndpoint.assertIsSatisfied(context);
        String body = out.getReceivedExchanges().get(0).getMessage().getBody(String.class);
        assertTrue(body.startsWith("good after: validation failed"), body);
    }

    @Test
    void timeoutThenFallbackRoute() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:yaml-timeout");
        out.expectedBodiesReceived("backup for q");

        Exchange result = run("direct:yaml-timeout", "q");

        out.assertIsSatisfied();
        assertEquals(2, neverAnswers.calls.size());
        StepResult step = runOf(result).lastResult("yamlTimeout");
        assertTrue(step.fallbackUsed());
        assertEquals(true, step.metadata().get(StepResult.META_TIMED_OUT));
        assertTrue(String.valueOf(step.metadata().get(StepResult.META_ORIGINAL_ERROR)).contains("did not answer"));
    }

    @Test
    void fallbackBean() throws Exception {
        getMockEndpoint("mock:yaml-fallback").expectedBodiesReceived("yaml plan B");

        run("direct:yaml-fallback", "q");

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(2, fails.calls());
        assertEquals(1, planB.calls());
    }

    @Test
    void fallbackCycle() {
        Exchange result = run("direct:yaml-cycle-a", "q");

        FlujoConfigurationException error = exceptionOf(result, FlujoConfigurationException.class);
        assertTrue(error.getMessage().contains("Fallback chain revisits step 'yamlA'"), error.getMessage());
        assertEquals(4, fails.calls(), "two attempts of yamlA, two of yamlB, none for the revisit");
    }

    @Test
    void validatePredicateAndValidatorBean() throws Exception {
        getMockEndpoint("mock:yaml-validate").expectedBodiesReceived("long enough");

        Exchange result = run("direct:yaml-validate", "q");

        assertNull(result.getException(), () -> messages(result.getException()));
        MockEndpoint.assertIsSatisfied(context);
        assertEquals(3, shortThenLong.calls());
        assertTrue(shortThenLong.request(1).feedback().contains("${body.length} > 5"));
        assertTrue(shortThenLong.request(2).feedback().contains("no digits please"));
    }

    @Test
    void pluginsRedirectAndNewSolution() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:yaml-plugin");
        out.expectedBodiesReceived("EXPERT ANSWER TO Q");

        run("direct:yaml-plugin", "q");

        out.assertIsSatisfied();
        assertEquals(1, draft.calls());
    }

    @Test
    void cacheHitAndMissWithCacheKeyContext() throws Exception {
        MockEndpoint out = getMockEndpoint("mock:yaml-cache");
        out.expectedBodiesReceived("answer for A", "answer for B", "answer for A");
        out.message(0).header(FlujoConstants.CACHE_HIT).isEqualTo(false);
        out.message(1).header(FlujoConstants.CACHE_HIT).isEqualTo(false);
        out.message(2).header(FlujoConstants.CACHE_HIT).isEqualTo(true);
        out.message(2).header(FlujoConstants.ATTEMPTS).isEqualTo(0);

        template.sendBodyAndHeader("direct:yaml-cache", "same question", "tenant", "A");
        template.sendBodyAndHeader("direct:yaml-cache", "same question", "tenant", "B");
        template.sendBodyAndHeader("direct:yaml-cache", "same question", "tenant", "A");

        out.assertIsSatisfied();
        assertEquals(2, counting.calls());
    }

    @Test
    void usageLimitBreachIsHandledByOnException() throws Exception {
        getMockEndpoint("mock:yaml-metered-calls").expectedMessageCount(2);
        MockEndpoint overBudget = getMockEndpoint("mock:yaml-over-budget");
        overBudget.expectedMessageCount(1);
        getMockEndpoint("mock:yaml-budget-done").expectedMessageCount(0);

        template.sendBody("direct:yaml-budget", "q");

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(0, counting.calls(), "no agent is called after the breach");
        UsageLimitExceededException breach = assertInstanceOf(UsageLimitExceededException.class,
                overBudget.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals("yamlSecond", breach.getStepName());
        assertEquals(120, breach.getTotals().totalTokens());
        assertEquals(2, breach.getPartialHistory().size());
    }

    @Test
    void updatesContextAndSinkTo() throws Exception {
        getMockEndpoint("mock:yaml-context").expectedBodiesReceived("short|article about short");

        Exchange result = run("direct:yaml-context", "a long text");

        MockEndpoint.assertIsSatisfied(context);
        assertNull(result.getException());
        assertEquals("short", result.getProperty("summary"));
        assertEquals("article about short", result.getProperty("article"));
    }

    @Test
    void invalidOptionInYamlFailsNamingTheOption() {
        Resource resource = PluginHelper.getResourceLoader(context)
                .resolveResource("classpath:routes-invalid/bad-max-retries.camel.yaml");

        Exception e = assertThrows(Exception.class, () -> PluginHelper.getRoutesLoader(context).loadRoutes(resource));

        assertTrue(messages(e).contains("maxRetries"), messages(e));
        ServiceStatus status = context.getRouteController().getRouteStatus("yaml-bad");
        assertTrue(status == null || !status.isStarted(), "the bad route is not running: " + status);
    }
}
