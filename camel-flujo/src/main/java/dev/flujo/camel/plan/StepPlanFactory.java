package dev.flujo.camel.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.agent.CamelAgentResolver;
import dev.flujo.camel.agent.CamelProcessorAdapter;
import dev.flujo.camel.agent.PredicateValidator;
import dev.flujo.camel.context.ExchangeContext;
import dev.flujo.camel.option.BeanReferences;
import dev.flujo.camel.option.SimpleLanguage;
import dev.flujo.camel.resilience.CamelResilience;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.cache.CacheKey;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.resilience.StepProtection;
import dev.flujo.core.step.FlujoPlugin;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.step.FlujoValidator;
import dev.flujo.core.step.StructuredOutput;
import dev.flujo.core.telemetry.StepObserver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;

/**
 * Turns an endpoint's options into a {@link StepPlan}, once, when the endpoint starts: every bean is looked up, every
 * endpoint agent resolved and started, the Simple predicate compiled. Anything that cannot be resolved fails the start,
 * naming the step, the option and the reference.
 */
public final class StepPlanFactory {

    private final CamelContext camelContext;
    private final String step;
    private final FlujoConfiguration options;
    private final CamelResilience breakers;
    private Function<AdaptiveConcurrencyLimit, StepObserver> observer = limit -> null;
    private AdaptiveConcurrencyLimit keptLimit;
    private StepCache previousCache;
    private boolean replanning;

    /** @param breakers where agents' circuit breakers come from; {@code null} for none */
    public StepPlanFactory(CamelContext camelContext, String step, FlujoConfiguration options, CamelResilience breakers) {
        this.camelContext = camelContext;
        this.step = step;
        this.options = options;
        this.breakers = breakers;
    }

    public StepPlan create(OptimizationConfig config, CamelAgentResolver agents) {
        return create(config, agents, List.of());
    }

    /** @param extraValidators validators the kind adds (a router's check of branch names) */
    public StepPlan create(OptimizationConfig config, CamelAgentResolver agents, List<FlujoValidator> extraValidators) {
        if (options.getAgent() == null || options.getAgent().isBlank()) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "' has no agent: set the agent option to an endpoint"
                                                  + " URI (e.g. agent=direct:llm) or a bean (agent=#myAgent)");
        }
        NamedAgent agent = agents.resolve("agent", options.getAgent());
        StepPlan.Builder plan = StepPlan.builder(step, config)
                .fingerprint(fingerprint(step, options))
                .agent(agent)
                .promptProcessors(processors("promptProcessors", options.getPromptProcessors()))
                .outputProcessors(processors("outputProcessors", options.getOutputProcessors()))
                .structuredOutput(structuredOutput())
                .validators(concat(validators(), extraValidators))
                .plugins(plugins())
                .updatesContext(options.isUpdatesContext())
                .sinkTo(options.getSinkTo())
                .reservedContextKey(ExchangeContext::isReserved)
                .agentResolver(agents);
        if (options.getFallback() != null && !options.getFallback().isBlank()) {
            plan.fallback(agents.resolve("fallback", options.getFallback()));
        }
        // the one place the protection options become guards; Camel's registries hold the breakers and bulkheads
        StepProtection protection = StepProtection.decide(step, config, breakers == null
                ? StepProtection.Sources.STANDALONE
                : breakers.sources(agent.name(), this::ownBreaker, previousCache != null || replanning), keptLimit);
        plan.protection(protection).observer(observer.apply(protection.concurrencyLimit())).previousCache(previousCache);
        return plan.build();
    }

    /**
     * What the endpoint keeps across plans: its observer (made from the plan's adaptive limit), the adaptive limit and
     * the previous plan's cache; {@code replanning} when the options changed at runtime (then breakers take the new
     * settings).
     */
    public StepPlanFactory keeping(
            Function<AdaptiveConcurrencyLimit, StepObserver> observer, AdaptiveConcurrencyLimit keptLimit,
            StepCache previousCache, boolean replanning) {
        this.replanning = replanning;
        this.observer = observer;
        this.keptLimit = keptLimit;
        this.previousCache = previousCache;
        return this;
    }

    private CircuitBreaker ownBreaker() {
        String ref = options.getCircuitBreakerRef();
        if (ref == null || ref.isBlank()) {
            return null;
        }
        Object bean = BeanReferences.lookup(camelContext, step, "circuitBreakerRef", ref);
        if (!(bean instanceof CircuitBreaker breaker)) {
            throw BeanReferences.problem(step, "circuitBreakerRef", ref, "bean is a " + BeanReferences.typeName(bean)
                                                                         + ", not a " + CircuitBreaker.class.getName());
        }
        return breaker;
    }

    /** The step name and every option that changes what the step outputs; part of every cache key. */
    public static String fingerprint(String step, FlujoConfiguration options) {
        return CacheKey.fingerprint("step", step, "agent", options.getAgent(),
                "prompt", options.getPromptProcessors(), "output", options.getOutputProcessors(),
                "validators", options.getValidators(), "validate", options.getValidate(),
                "plugins", options.getPlugins(), "fallback", options.getFallback(),
                "updatesContext", String.valueOf(options.isUpdatesContext()),
                "outputSchema", options.getOutputSchema(), "outputType", options.getOutputType(),
                "validateMessage", options.getValidateMessage(), "systemMessage", options.getSystemMessage());
    }

    private static List<FlujoValidator> concat(List<FlujoValidator> a, List<FlujoValidator> b) {
        List<FlujoValidator> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private List<FlujoProcessor> processors(String option, String refs) {
        List<FlujoProcessor> result = new ArrayList<>();
        for (String ref : FlujoConfiguration.splitList(refs)) {
            result.add(processor(camelContext, step, option, ref));
        }
        return result;
    }

    /** A {@code #bean} that is a FlujoProcessor or a Camel Processor (run on a scratch exchange). */
    static FlujoProcessor processor(CamelContext camelContext, String step, String option, String ref) {
        Object bean = BeanReferences.lookup(camelContext, step, option, ref);
        if (bean instanceof FlujoProcessor p) {
            return p;
        }
        if (bean instanceof Processor p) {
            return new CamelProcessorAdapter(camelContext, p);
        }
        throw BeanReferences.problem(step, option, ref, "bean is a " + BeanReferences.typeName(bean)
                                                        + ", neither a Camel Processor nor a "
                                                        + FlujoProcessor.class.getName());
    }

    /**
     * The output schema: the option's text, or a resource ({@code resource:classpath:invoice.schema.json}, any scheme
     * Camel's ResourceHelper loads), compiled now, with the class of {@code outputType} resolved by Camel's class
     * resolver.
     *
     * @throws FlujoConfigurationException naming the option when the schema cannot be loaded or is not a JSON Schema,
     *                                     or the class is not found
     */
    private StructuredOutput structuredOutput() {
        String schema = options.getOutputSchema();
        String type = options.getOutputType();
        if (schema == null || schema.isBlank()) {
            if (type != null && !type.isBlank()) {
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option outputType: it binds the answer an outputSchema checked; set"
                                                      + " outputSchema too");
            }
            return null;
        }
        String text = schema.strip();
        if (text.startsWith("resource:")) {
            String resource = text.substring("resource:".length());
            try {
                try (java.io.InputStream in = org.apache.camel.support.ResourceHelper
                        .resolveMandatoryResourceAsInputStream(camelContext, resource)) {
                    text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            } catch (Exception e) {
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option outputSchema: cannot load " + resource + ": " + e.getMessage(), e);
            }
        }
        Class<?> bound = null;
        if (type != null && !type.isBlank()) {
            try {
                bound = camelContext.getClassResolver().resolveMandatoryClass(type.strip());
            } catch (ClassNotFoundException e) {
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option outputType: no class " + type.strip(), e);
            }
        }
        try {
            return new StructuredOutput(text, bound);
        } catch (RuntimeException e) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option outputSchema: not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    private List<FlujoValidator> validators() {
        List<FlujoValidator> result = new ArrayList<>();
        for (String ref : FlujoConfiguration.splitList(options.getValidators())) {
            Object bean = BeanReferences.lookup(camelContext, step, "validators", ref);
            if (bean instanceof FlujoValidator v) {
                result.add(v);
            } else if (bean instanceof Predicate p) {
                result.add(new PredicateValidator(camelContext, p, ref, "predicate " + ref));
            } else {
                throw BeanReferences.problem(step, "validators", ref, "bean is a " + BeanReferences.typeName(bean)
                                                                      + ", neither a " + FlujoValidator.class.getName()
                                                                      + " nor a Camel Predicate");
            }
        }
        String expression = options.getValidate();
        if (expression != null && !expression.isBlank()) {
            String message = options.getValidateMessage();
            result.add(new PredicateValidator(
                    camelContext,
                    SimpleLanguage.predicate(camelContext, step, "validate", expression), "validate", expression,
                    message == null || message.isBlank()
                            ? null
                            : SimpleLanguage.expression(camelContext, step, "validateMessage", message)));
        }
        return result;
    }

    private List<FlujoPlugin> plugins() {
        List<FlujoPlugin> result = new ArrayList<>();
        for (String ref : FlujoConfiguration.splitList(options.getPlugins())) {
            Object bean = BeanReferences.lookup(camelContext, step, "plugins", ref);
            if (!(bean instanceof FlujoPlugin p)) {
                throw BeanReferences.problem(step, "plugins", ref,
                        "bean is a " + BeanReferences.typeName(bean) + ", not a " + FlujoPlugin.class.getName());
            }
            result.add(p);
        }
        return result;
    }
}
