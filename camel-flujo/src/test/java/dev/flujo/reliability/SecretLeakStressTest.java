package dev.flujo.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.flujo.camel.FlujoComponent;
import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.FlujoEndpoint;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.FlujoStepFailedException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.JdbcStateStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.resilience4j.micrometer.DefaultResilience4jMicrometerFactory;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets planted in the URIs a flujo route names - the agent's API key and a parallel branch's token written as plain
 * nested URIs ({@code agent=http://llm.local/v1?apiKey=...}), the fallback's token and the human step's resumeUri
 * password in {@code RAW(...)} - are driven through successes, a cache hit, a failing agent, time-outs, an open circuit
 * breaker, failed fallbacks, a pause and its resume, refused resumes, a failing branch, bad runtime reconfigurations
 * and start failures from bad URIs. Then every place a secret could surface is scanned for all of them: logs (flujo at
 * trace, Camel at info and above), Micrometer meters (flujo's and the breakers'), step results (output, feedback,
 * metadata, children), the exchanges' headers and bodies, what the agent endpoints were sent, the state store's rows,
 * every exception (whole stack traces), the flujo attributes and operations over JMX, the flujo dev console and the
 * statistics API.
 *
 * <p>
 * Camel's own renderings of a flujo endpoint URI - its debug logs, JMX object names and its own MBean attributes, the
 * wrapper of an endpoint-creation error - are sanitized by Camel, whose sanitizer does not look inside an option value
 * Camel percent-encoded ({@code agent=http%3A%2F%2Fllm.local%2Fv1%3FapiKey%3D...}): there the secrets written in
 * {@code RAW(...)}, as Camel advises for secrets, must not appear; the plainly written one is Camel's to mask.
 */
@Tag("stress")
class SecretLeakStressTest {

    private static final String AGENT_KEY = "SECRET-PLANTED-123";
    private static final String FALLBACK_TOKEN = "SECRET-PLANTED-456";
    private static final String RESUME_PASSWORD = "SECRET-PLANTED-789";
    private static final String BRANCH_TOKEN = "SECRET-PLANTED-246";
    private static final List<String> SECRETS = List.of(AGENT_KEY, FALLBACK_TOKEN, RESUME_PASSWORD, BRANCH_TOKEN);
    private static final List<String> RAW_SECRETS = List.of(FALLBACK_TOKEN, RESUME_PASSWORD);

    private static final String AGENT = "http://llm.local/v1?apiKey=" + AGENT_KEY;
    private static final String FALLBACK = "RAW(http://backup.local/v1?model=small&token=" + FALLBACK_TOKEN + ")";
    private static final String RESUME = "RAW(http://hooks.local/continue?password=" + RESUME_PASSWORD + ")";
    private static final String BRANCH = "http://tools.local/search?authToken=" + BRANCH_TOKEN;

    /** A record of slf4j-simple: {@code [thread] LEVEL logger - message}. */
    private static final Pattern LOG_RECORD = Pattern.compile(
            "^\\[[^\\]]*\\] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - .*");

    @TempDir
    Path dir;

    /** Place -> everything it showed; every secret must be absent. */
    private final Map<String, StringBuilder> places = new LinkedHashMap<>();
    /** Camel's renderings of endpoint URIs; the secrets planted in RAW(...) must be absent. */
    private final Map<String, StringBuilder> camelPlaces = new LinkedHashMap<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private int startFailures;
    private int jmxValues;

    private void seen(String place, Object what) {
        places.computeIfAbsent(place, p -> new StringBuilder()).append(what).append('\n');
    }

    private void seenByCamel(String place, Object what) {
        camelPlaces.computeIfAbsent(place, p -> new StringBuilder()).append(what).append('\n');
    }

    @Test
    void plantedSecretsAppearNowhere() throws Exception {
        String stateUrl = "jdbc:sqlite:" + dir.resolve("state.db");
        String ask = "flujo:step:ask?agent=" + AGENT + "&fallback=" + FALLBACK + "&maxRetries=1&timeout=300"
                     + "&cache=true&enablePerformanceMonitoring=true&enableCircuitBreaker=true"
                     + "&circuitBreakerFailureThreshold=3&circuitBreakerRecoveryTimeoutSeconds=600";
        LlmStubComponent http = new LlmStubComponent();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LogCapture logs = LogCapture.start(Map.of("dev.flujo", "trace", "org.apache.camel", "debug"))) {
            CamelContext context = new DefaultCamelContext();
            context.setDevConsole(true);
            // the stub takes the name "http" so that the agent URIs look as a user's do; with camel-http itself on the
            // test classpath, Camel's autowiring would configure the stub with camel-http's configurer
            context.setAutowiredEnabled(false);
            context.addComponent("http", http);
            context.getRegistry().bind("metricsRegistry", MeterRegistry.class, meters);
            context.addService(new DefaultResilience4jMicrometerFactory());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:ask").to(ask);
                    from("direct:pipeline").to(ask)
                            .to("flujo:human:approve?stateUrl=" + stateUrl + "&resumeUri=" + RESUME);
                    from("direct:resume").to("flujo:resume?stateUrl=" + stateUrl);
                    from("direct:fan").to("flujo:parallel:fan?enablePerformanceMonitoring=true&branches=" + BRANCH);
                }
            });
            context.start();
            try {
                drive(context.createProducerTemplate());
                startFailures(context);
                scanLive(context, meters, stateUrl);
            } finally {
                http.releaseHanging();
                context.stop();
            }
            scanLogs(logs.text());
        }
        assertFalse(LoggerFactory.getLogger("org.apache.camel.impl.engine.AbstractCamelContext").isDebugEnabled(),
                "the log levels are back as configured");
        List<StepResult> results = new ArrayList<>();
        for (Exchange e : exchanges) {
            scanExchange(e, results);
        }
        seen("requests the agent endpoints got", String.join("\n", http.received));

        // the failure paths were really taken
        assertTrue(count(results, StepResult.META_FALLBACK) >= 3, "fallbacks");
        assertTrue(count(results, StepResult.META_TIMED_OUT) >= 1, "time-outs");
        assertTrue(count(results, StepResult.META_CIRCUIT_OPEN) >= 1, "open breaker");
        assertTrue(count(results, StepResult.META_CACHE_HIT) >= 1, "cache");
        assertTrue(count(results, StepResult.META_RESUMED) >= 1, "resume");

        String leaks = occurrences(places, SECRETS) + occurrences(camelPlaces, RAW_SECRETS);
        assertEquals("", leaks, "secrets found");
        ReliabilityFigures.record(ReliabilityFigures.Section.SECURITY,
                "4 secrets planted in agent (apiKey) and parallel branches (authToken) as plain nested URIs,"
                                                                       + " fallback (token) and resumeUri (password) in RAW(...); "
                                                                       + exchanges.size() + " exchanges"
                                                                       + " incl. failing agent, time-outs, open breaker, failed fallbacks, pause/resume, refused"
                                                                       + " resumes, a failing branch; 3 bad JMX reconfigurations; "
                                                                       + startFailures
                                                                       + " start failures from bad URIs",
                "0 occurrences in " + places.size() + " places (" + String.join(", ", places.keySet()) + "; "
                                                                                                          + jmxValues
                                                                                                          + " JMX values read)",
                getClass());
        ReliabilityFigures.record(ReliabilityFigures.Section.SECURITY,
                "the same run, Camel's own renderings of flujo endpoint URIs (debug logs, every JMX object name and"
                                                                       + " Camel attribute of the context, endpoint-creation errors); there a secret written without"
                                                                       + " RAW(...) is percent-encoded, which Camel's sanitizer does not mask",
                "0 occurrences of the secrets written in RAW(...)", getClass());
    }

    private static String occurrences(Map<String, StringBuilder> scanned, List<String> secrets) {
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, StringBuilder> place : scanned.entrySet()) {
            String original = place.getValue().toString();
            String text = original.toLowerCase(Locale.ROOT);
            for (String secret : secrets) {
                String s = secret.toLowerCase(Locale.ROOT);
                for (int at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
                    report.append(place.getKey()).append(": ...")
                            .append(original, Math.max(0, at - 200), Math.min(text.length(), at + 40)).append("\n");
                }
            }
        }
        return report.toString();
    }

    private Exchange send(ProducerTemplate template, String endpoint, String body, Map<String, Object> headers) {
        Exchange e = template.send(endpoint, ex -> {
            ex.getMessage().setBody(body);
            headers.forEach(ex.getMessage()::setHeader);
        });
        exchanges.add(e);
        return e;
    }

    private void drive(ProducerTemplate template) {
        assertNull(send(template, "direct:ask", "q1", Map.of()).getException());
        assertEquals(Boolean.TRUE, send(template, "direct:ask", "q1", Map.of()).getMessage()
                .getHeader(FlujoConstants.CACHE_HIT));
        // the agent fails twice: the fallback answers
        assertNull(send(template, "direct:ask", "q2 fail@llm.local", Map.of()).getException());
        // the agent does not answer: a time-out, the breaker opens (3 failures), the fallback answers
        assertNull(send(template, "direct:ask", "q3 hang@llm.local", Map.of()).getException());
        // the breaker is open: straight to the fallback, which fails, then does not answer
        assertInstanceOf(FlujoStepFailedException.class,
                send(template, "direct:ask", "q4 fail@backup.local", Map.of()).getException());
        assertInstanceOf(FlujoStepFailedException.class,
                send(template, "direct:ask", "q5 hang@backup.local", Map.of()).getException());
        // a pause (the run stored with the fallback's result) and its resume at a resumeUri with a password
        Exchange paused = send(template, "direct:pipeline", "q6", Map.of());
        assertNull(paused.getException());
        String runId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        assertNotNull(runId);
        assertNull(send(template, "direct:resume", "{\"approved\": true}", Map.of(FlujoConstants.RUN_ID, runId))
                .getException());
        assertNotNull(send(template, "direct:resume", "{\"approved\": true}", Map.of(FlujoConstants.RUN_ID, runId))
                .getException(), "a second resume is refused");
        assertNotNull(send(template, "direct:resume", "yes", Map.of(FlujoConstants.RUN_ID, "no-such-run"))
                .getException(), "an unknown run is refused");
        // a parallel step whose branch is an endpoint with a token: it answers, then fails
        assertNull(send(template, "direct:fan", "q7", Map.of()).getException());
        assertInstanceOf(FlujoStepFailedException.class,
                send(template, "direct:fan", "q8 fail@tools.local", Map.of()).getException());
    }

    /** URIs that fail the route start; the flujo error in each is read whole, Camel's wrappers as Camel's. */
    private void startFailures(CamelContext context) {
        List<String> bad = List.of(
                "flujo:step:bad1?agent=nosuch://llm.local/v1?apiKey=" + AGENT_KEY,
                "flujo:step:bad2?agent=" + AGENT + "&fallback=RAW(direct:backup?token=" + FALLBACK_TOKEN + ")",
                "flujo:step:bad3?agent=" + AGENT + "&maxRetries=lots",
                "flujo:step:bad4?agent=" + AGENT + "&noSuchOption=1",
                "flujo:parallel:bad5?branches=direct:a&agent=" + AGENT,
                "flujo:human:bad6?stateStore=memory&resumeUri=RAW(nosuch://hooks.local?password=" + RESUME_PASSWORD
                                                                        + ")",
                "flujo:step:bad7?agent=" + AGENT + "&fallback=" + FALLBACK + "&timeout=-5",
                "flujo:nosuchkind:bad8?agent=" + AGENT);
        for (int i = 0; i < bad.size(); i++) {
            String uri = bad.get(i);
            String from = "direct:bad" + i;
            Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(from).to(uri);
                }
            }), uri);
            startFailures++;
            seenByCamel("start failures (Camel's wrappers)", stackTrace(e));
            boolean flujoError = false;
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof FlujoConfigurationException) {
                    seen("exceptions", stackTrace(c));
                    flujoError = true;
                }
            }
            assertTrue(flujoError || uri.contains("noSuchOption"), () -> "no flujo error for " + uri + ":\n"
                                                                         + stackTrace(e));
        }
    }

    private void scanLive(CamelContext context, MeterRegistry meters, String stateUrl) throws Exception {
        for (Meter m : meters.getMeters()) {
            seen("meters", m.getId() + " " + m.getId().getDescription());
        }
        // flujo's meters and the breakers' (tagged with the agent's name) are among them
        assertTrue(meters.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("gen_ai.")
                && "ask".equals(m.getId().getTag("flujo.step"))), "flujo's meters");
        assertTrue(meters.getMeters().stream().anyMatch(m -> m.getId().getName().startsWith("resilience4j.circuit")
                && String.valueOf(m.getId().getTag("name")).startsWith("flujo-http://llm.local/v1")), "breaker meters");
        FlujoComponent flujo = context.getComponent("flujo", FlujoComponent.class);
        seen("statistics", flujo.getPerformanceStatistics());
        seen("statistics", flujo.getPerformanceRecommendations());
        for (var endpoint : context.getEndpoints()) {
            if (endpoint instanceof FlujoEndpoint f) {
                seen("statistics", f.getOptimizationStats());
                seen("statistics", f.getPerformanceStatistics());
                seen("statistics", f.getPerformanceRecommendations());
            }
        }
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class)
                .resolveById("flujo");
        seen("dev console", console.call(DevConsole.MediaType.TEXT));
        seen("dev console", Jsoner.serialize(console.call(DevConsole.MediaType.JSON)));
        scanJmx(context);
        try (Connection c = DriverManager.getConnection(stateUrl); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT * FROM " + JdbcStateStore.TABLE)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    seen("stored state", rows.getString(i));
                }
            }
        }
    }

    /**
     * Every MBean of the context, names and attributes, as Camel's; the attributes and read-only operations flujo
     * declares (on its endpoints and component), and the errors of bad runtime changes over JMX, as flujo's.
     */
    private void scanJmx(CamelContext context) throws Exception {
        Set<String> flujoMembers = managedMembers(FlujoEndpoint.class);
        flujoMembers.addAll(managedMembers(FlujoComponent.class));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName(
                "org.apache.camel:context=" + context.getName()
                                                                + ",*"),
                null)) {
            seenByCamel("jmx names and Camel attributes", name);
            boolean flujoBean = name.getKeyProperty("name").startsWith("\"flujo");
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                Object value;
                try {
                    value = server.getAttribute(name, a.getName());
                } catch (Exception e) {
                    value = stackTrace(e);
                }
                jmxValues++;
                if (flujoBean && flujoMembers.contains(a.getName())) {
                    seen("jmx", a.getName() + "=" + value);
                } else {
                    seenByCamel("jmx names and Camel attributes", a.getName() + "=" + value);
                }
            }
            if (!flujoBean) {
                continue;
            }
            for (MBeanOperationInfo o : server.getMBeanInfo(name).getOperations()) {
                if (o.getSignature().length == 0 && flujoMembers.contains(o.getName())
                        && !o.getName().matches("(disable|enable)Optimizations|flushTelemetry")) {
                    jmxValues++;
                    seen("jmx", o.getName() + "() = " + server.invoke(name, o.getName(), null, null));
                }
            }
            if (name.getKeyProperty("type").equals("endpoints") && name.toString().contains("step:ask")) {
                String[] signature = { String.class.getName(), String.class.getName() };
                Object[][] changes = { { "maxRetries", "lots" }, { "agent", AGENT }, { "fallback", FALLBACK } };
                for (Object[] change : changes) {
                    Exception e = assertThrows(Exception.class, () -> server.invoke(name, "updateOption", change,
                            signature));
                    seen("exceptions", stackTrace(e));
                }
            }
        }
    }

    /** The JMX names of what a class declares with @ManagedAttribute (getX, isX -> X) and @ManagedOperation. */
    private static Set<String> managedMembers(Class<?> type) {
        Set<String> names = new HashSet<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(ManagedAttribute.class)) {
                names.add(m.getName().replaceFirst("^(get|is)", ""));
            }
            if (m.isAnnotationPresent(ManagedOperation.class)) {
                names.add(m.getName());
            }
        }
        return names;
    }

    /** flujo's records at any level and Camel's from info up are read whole; Camel's debug records as Camel's. */
    private void scanLogs(String text) {
        boolean camelDebug = false;
        for (String line : text.split("\n")) {
            var record = LOG_RECORD.matcher(line);
            if (record.matches()) {
                camelDebug = !record.group(2).startsWith("dev.flujo")
                        && (record.group(1).equals("DEBUG") || record.group(1).equals("TRACE"));
            }
            if (camelDebug) {
                seenByCamel("Camel's debug logs", line);
            } else {
                seen("logs", line);
            }
        }
    }

    private void scanExchange(Exchange e, List<StepResult> results) {
        seen("exchange headers and bodies", e.getMessage().getHeaders() + " " + e.getMessage().getBody());
        FlujoRun run = e.getProperty(FlujoConstants.RUN, FlujoRun.class);
        if (run != null) {
            results.addAll(run.history());
            seen("step results", run.history());
            seen("step results", run.humanHistory());
        }
        Exception error = e.getException();
        if (error != null) {
            seen("exceptions", stackTrace(error));
            if (error instanceof FlujoStepFailedException failed) {
                results.add(failed.getResult());
                seen("step results", failed.getResult());
                seen("step results", failed.getHistory());
                seen("step results", failed.getFeedback());
            }
        }
    }

    private static long count(List<StepResult> results, String meta) {
        long n = 0;
        for (StepResult r : results) {
            Object value = r.metadata().get(meta);
            n += value != null && !Boolean.FALSE.equals(value) ? 1 : 0;
            n += count(r.children(), meta);
        }
        return n;
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
