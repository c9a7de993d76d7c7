package dev.flujo.camel.telemetry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.telemetry.StepObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The Micrometer meters of one step endpoint ({@code enablePerformanceMonitoring}), registered once when the endpoint
 * starts and recorded per execution without any lookup. Names follow the OpenTelemetry GenAI conventions where they
 * apply, tags Camel's ({@code camelContext}, {@code kind=CamelFlujo}) plus the step name, its kind ({@code flujo.kind}
 * = step, parallel, loop, ...) and the outcome - never the input, so the number of meters does not grow with traffic:
 *
 * <ul>
 * <li>{@code gen_ai.client.operation.duration} (timer, p50/p95/p99), tag {@code outcome} = success | failure;</li>
 * <li>{@code gen_ai.client.token.usage} (distribution), tag {@code gen_ai.token.type} = input | output;</li>
 * <li>{@code flujo.step.cost} (counter, USD);</li>
 * <li>{@code flujo.step.outcomes} (counter), tag {@code outcome} = success, failure, retry, fallback, cache_hit,
 * cache_miss, breaker_open, limit_exceeded, rejected (no slot: bulkhead or adaptive limit), rate_limited (a call
 * refused by requestsPerMinute / tokensPerMinute);</li>
 * <li>{@code flujo.step.wait} (timer), tag {@code flujo.wait} = rate_limit (calls waiting for their rate-limit permits)
 * | retry_backoff (the backoff and Retry-After between attempts): the time a step spent waiting, no thread held;</li>
 * <li>{@code flujo.step.concurrency.limit} (gauge) with {@code enableConcurrencyOptimization}.</li>
 * </ul>
 *
 * The registry is found the way camel-micrometer finds it: a {@code metricsRegistry} bean, else the only
 * {@link MeterRegistry} bean, else a new {@link SimpleMeterRegistry} bound as {@code metricsRegistry}.
 */
public final class FlujoMeters implements StepObserver {

    /** The outcomes counted, one counter each. */
    enum Outcome {
        SUCCESS,
        FAILURE,
        RETRY,
        FALLBACK,
        CACHE_HIT,
        CACHE_MISS,
        BREAKER_OPEN,
        LIMIT_EXCEEDED,
        REJECTED,
        RATE_LIMITED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String REGISTRY_NAME = "metricsRegistry";

    private final MeterRegistry registry;
    private final String id;
    private final String kindTag;
    private final String camelContextTag;
    private final Timer succeeded;
    private final Timer failed;
    private final DistributionSummary inputTokens;
    private final DistributionSummary outputTokens;
    private final Counter cost;
    private final Timer rateLimitWait;
    private final Timer retryWait;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    /** @param limit the step's adaptive concurrency limit, metered as a gauge; {@code null} for none */
    FlujoMeters(MeterRegistry registry, String camelContext, String step, String flujoKind,
                AdaptiveConcurrencyLimit limit) {
        this.registry = registry;
        this.id = step;
        this.kindTag = flujoKind;
        this.camelContextTag = camelContext;
        Tags tags = Tags.of("camelContext", camelContext, "kind", "CamelFlujo", "flujo.step", step,
                "flujo.kind", flujoKind, "gen_ai.operation.name", "invoke_agent");
        if (limit != null) {
            // the gauge reads the limit object, which the endpoint keeps for its whole life (runtime changes too)
            Gauge.builder("flujo.step.concurrency.limit", limit, AdaptiveConcurrencyLimit::limit)
                    .description("The step's adaptive concurrency limit (enableConcurrencyOptimization)")
                    .tags(tags).register(registry);
        }
        succeeded = timer(registry, tags.and("outcome", "success"));
        failed = timer(registry, tags.and("outcome", "failure"));
        inputTokens = tokens(registry, tags.and("gen_ai.token.type", "input"));
        outputTokens = tokens(registry, tags.and("gen_ai.token.type", "output"));
        cost = Counter.builder("flujo.step.cost").description("Cost of the step's agent calls").baseUnit("usd")
                .tags(tags).register(registry);
        rateLimitWait = wait(registry, tags.and("flujo.wait", "rate_limit"));
        retryWait = wait(registry, tags.and("flujo.wait", "retry_backoff"));
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("flujo.step.outcomes").description("Step executions by outcome")
                    .tags(tags.and("outcome", outcome.tag())).register(registry));
        }
    }

    private static Timer timer(MeterRegistry registry, Tags tags) {
        return Timer.builder("gen_ai.client.operation.duration").description("Duration of a flujo step")
                .publishPercentiles(0.5, 0.95, 0.99).tags(tags).register(registry);
    }

    private static Timer wait(MeterRegistry registry, Tags tags) {
        return Timer.builder("flujo.step.wait").description("Time a flujo step waited (no thread held)").tags(tags)
                .register(registry);
    }

    private static DistributionSummary tokens(MeterRegistry registry, Tags tags) {
        return DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens used by a flujo step")
                .tags(tags).register(registry);
    }

    /** Removes this step's meters from the registry (the endpoint stopped): a registry never grows with endpoints. */
    void remove() {
        registry.getMeters().stream().filter(m -> id.equals(m.getId().getTag("flujo.step"))
                && kindTag.equals(m.getId().getTag("flujo.kind"))
                && camelContextTag.equals(m.getId().getTag("camelContext"))).toList().forEach(registry::remove);
    }

    /** The registry as camel-micrometer finds it. */
    public static MeterRegistry registryOf(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        MeterRegistry found = registry.lookupByNameAndType(REGISTRY_NAME, CompositeMeterRegistry.class);
        if (found == null) {
            found = single(registry, CompositeMeterRegistry.class);
        }
        if (found == null) {
            found = registry.lookupByNameAndType(REGISTRY_NAME, MeterRegistry.class);
        }
        if (found == null) {
            found = single(registry, MeterRegistry.class);
        }
        if (found == null) {
            found = new SimpleMeterRegistry();
            registry.bind(REGISTRY_NAME, MeterRegistry.class, found);
        }
        return found;
    }

    private static <T> T single(Registry registry, Class<T> type) {
        var all = registry.findByType(type);
        return all.size() == 1 ? all.iterator().next() : null;
    }

    @Override
    public void stepEnded(StepResult result) {
        (result.success() ? succeeded : failed).record(result.latencyNanos(), TimeUnit.NANOSECONDS);
        count(result.success() ? Outcome.SUCCESS : Outcome.FAILURE);
        if (result.attempts() > 1) {
            outcomes.get(Outcome.RETRY).increment(result.attempts() - 1);
        }
        Map<String, Object> meta = result.metadata();
        if (result.fallbackUsed()) {
            count(Outcome.FALLBACK);
        }
        Object cacheHit = meta.get(StepResult.META_CACHE_HIT);
        if (cacheHit != null) {
            count(Boolean.TRUE.equals(cacheHit) ? Outcome.CACHE_HIT : Outcome.CACHE_MISS);
        }
        if (meta.containsKey(StepResult.META_CIRCUIT_OPEN)) {
            count(Outcome.BREAKER_OPEN);
        }
        if (meta.containsKey(StepResult.META_LIMIT_EXCEEDED)) {
            count(Outcome.LIMIT_EXCEEDED);
        }
        if (meta.containsKey(StepResult.META_REJECTED)) {
            count(Outcome.REJECTED);
        }
        if (meta.containsKey(StepResult.META_RATE_LIMITED)) {
            count(Outcome.RATE_LIMITED);
        }
        if (meta.get(StepResult.META_RATE_LIMIT_WAIT_MS) instanceof Number waited) {
            rateLimitWait.record(waited.longValue(), TimeUnit.MILLISECONDS);
        }
        if (meta.get(StepResult.META_RETRY_WAIT_MS) instanceof Number waited) {
            retryWait.record(waited.longValue(), TimeUnit.MILLISECONDS);
        }
        if (result.usage().inputTokens() > 0) {
            inputTokens.record(result.usage().inputTokens());
        }
        if (result.usage().outputTokens() > 0) {
            outputTokens.record(result.usage().outputTokens());
        }
        if (result.usage().costOrZero().signum() > 0) {
            cost.increment(result.usage().costOrZero().doubleValue());
        }
    }

    private void count(Outcome outcome) {
        outcomes.get(outcome).increment();
    }
}
