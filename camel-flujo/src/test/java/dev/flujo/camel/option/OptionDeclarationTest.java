package dev.flujo.camel.option;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.FlujoKind;
import dev.flujo.core.config.OptimizationConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An option is declared once, on its {@link FlujoConfiguration} field: what {@link OptionCatalog} derives from that
 * declaration (kinds, runtime changes, statistics, ineffective options, defaults, the mapping to the core) holds.
 */
class OptionDeclarationTest {

    private static final Path DESCRIPTOR = Path.of("src/generated/resources/META-INF/dev/flujo/camel/flujo.json");

    @Test
    void everyCoreOptionIsAnEndpointOptionOfTheSameName() {
        for (String option : OptimizationConfig.optionNames()) {
            assertTrue(OptionCatalog.OPTIONS.containsKey(option), option);
            assertTrue(OptionCatalog.OPTIONS.get(option).core(), option);
        }
        assertFalse(OptionCatalog.OPTIONS.get("agent").core());
    }

    /** The defaults Camel documents (flujo.json, from the @UriParam) are the core's, where the defaults live. */
    @Test
    void theDocumentedDefaultsOfTheCoreOptionsAreTheCoresDefaults() throws IOException {
        JsonNode properties = new ObjectMapper().readTree(DESCRIPTOR.toFile()).get("properties");
        Map<String, Object> defaults = OptimizationConfig.defaults().values();
        List<String> differ = new ArrayList<>();
        for (String option : OptimizationConfig.optionNames()) {
            JsonNode documented = properties.get(option).get("defaultValue");
            Object core = defaults.get(option);
            String expected = core == null || core instanceof List<?> l && l.isEmpty() ? null
                    : core instanceof Duration d ? d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms"
                    : core instanceof BigDecimal b ? (b.signum() == 0 ? null : b.toPlainString())
                    : core.toString();
            String actual = documented == null ? null : documented.asText();
            // numeric zero defaults of amounts and counts are documented or not; both mean 0
            boolean zero = expected == null || expected.equals("0");
            boolean same = zero ? actual == null || actual.equals("0") || actual.equals("0.0") : expected.equals(actual);
            if (!same) {
                differ.add(option + ": documented " + actual + ", core " + expected);
            }
        }
        assertEquals(List.of(), differ);
    }

    @Test
    void aNewConfigurationStartsFromTheCoreDefaults() {
        Map<String, Object> fresh = new FlujoConfiguration().toOptimizationConfig("fresh").values();
        OptimizationConfig.defaults().values().forEach((option, value) -> {
            Object mapped = fresh.get(option);
            if (value instanceof BigDecimal amount) {
                // an amount of the adapter is a double: 0.0 is 0
                assertEquals(0, amount.compareTo((BigDecimal) mapped), option);
            } else {
                assertEquals(value, mapped, option);
            }
        });
    }

    @Test
    void theMappingToTheCoreFollowsTheTypeRules() {
        FlujoConfiguration c = new FlujoConfiguration();
        c.setTimeout(1500);
        c.setCacheTtl(0);
        c.setMaxConcurrentExecutionsWait(0);
        c.setCostLimitUsd(2.5);
        c.setCacheKeyContext("tenant, lang");
        c.setCircuitBreakerRef("#myBreaker");
        OptimizationConfig core = c.toOptimizationConfig("mapped");
        assertEquals(Duration.ofMillis(1500), core.retry().timeout());
        assertEquals(null, core.caching().cacheTtl(), "0 is none where the default is none");
        assertEquals(Duration.ZERO, core.protection().maxConcurrentExecutionsWait(), "0 is 0 where the default is not none");
        assertEquals(new BigDecimal("2.5"), core.budget().costLimitUsd());
        assertEquals(List.of("tenant", "lang"), core.caching().cacheKeyContext());
        assertTrue(core.protection().enableCircuitBreaker(), "a breaker of one's own implies a breaker");
    }

    @Test
    void whichKindTakesAnOptionIsTheDeclarationsKinds() {
        assertTrue(FlujoKind.STEP.takes("maxRetries"));
        assertTrue(FlujoKind.ROUTER.takes("maxRetries"));
        assertFalse(FlujoKind.PARALLEL.takes("maxRetries"));
        assertTrue(FlujoKind.HUMAN.takes("resultHeaders"));
        assertFalse(FlujoKind.RESUME.takes("resultHeaders"));
        assertTrue(FlujoKind.RESUME.takes("stateStore"));
        assertTrue(FlujoKind.CONDITIONAL.takes("default"));
        assertEquals("step", OptionCatalog.kindsTaking("updatesContext"));
    }

    @Test
    void everyCoreOptionAndResultHeadersChangeAtRuntimeAndNoWiringOptionDoes() {
        assertTrue(OptionCatalog.RUNTIME.containsAll(OptimizationConfig.optionNames()));
        assertTrue(OptionCatalog.RUNTIME.contains("resultHeaders"));
        assertFalse(OptionCatalog.RUNTIME.contains("agent"));
        assertFalse(OptionCatalog.RUNTIME.contains("circuitBreakerRef"));
        assertEquals(OptimizationConfig.optionNames().size() + 1, OptionCatalog.RUNTIME.size());
    }

    @Test
    void optionsWhosePrerequisiteIsOffAreNamedAsIneffective() {
        OptimizationConfig plain = OptimizationConfig.defaults();
        assertEquals(List.of("cacheCompression has no effect without cache=true",
                "telemetryBatchSize has no effect without enablePerformanceMonitoring=true",
                "circuitBreakerFailureThreshold has no effect without enableCircuitBreaker=true",
                "maxConcurrentExecutionsWait has no effect without maxConcurrentExecutions > 0 or"
                                                                                                  + " enableConcurrencyOptimization=true"),
                OptionCatalog.ineffective(plain, List.of("maxRetries", "cacheCompression", "telemetryBatchSize",
                        "circuitBreakerFailureThreshold", "maxConcurrentExecutionsWait", "agent")));
        assertEquals(List.of("objectPoolMaxSize has no effect without cacheCompression=true"),
                OptionCatalog.ineffective(plain.toBuilder().set("cache", true).build(),
                        List.of("objectPoolMaxSize", "cacheMaxSize")));
        OptimizationConfig on = plain.toBuilder().set("cache", true).set("cacheCompression", true)
                .set("enablePerformanceMonitoring", true).set("enableOptimizedTelemetry", true)
                .set("enableOptimizedErrorHandling", true).set("enableAutomaticOptimization", true)
                .set("maxConcurrentExecutions", 2).build();
        assertEquals(List.of(), OptionCatalog.ineffective(on, List.of("cacheCompression", "objectPoolMaxSize",
                "telemetryBatchSize", "errorCacheSize", "performanceDegradationThreshold",
                "maxConcurrentExecutionsWait")));
    }

    @Test
    void theStatisticsListTheDeclaredOptionsUnderTheirShortNames() {
        FlujoConfiguration c = new FlujoConfiguration();
        c.setResultHeaders(false);
        c.setCacheMaxSize(77);
        Map<String, Object> stats = OptionCatalog.stats(c.toOptimizationConfig("s"), c);
        assertEquals(false, stats.get("resultHeaders"));
        assertEquals(77L, stats.get("cacheMaxSize"));
        assertEquals(false, stats.get("circuitBreaker"));
        assertEquals(true, stats.get("stepOptimization"));
        assertFalse(stats.containsKey("maxRetries"));
    }
}
