package dev.flujo.camel.plan;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.FlujoKind;
import dev.flujo.camel.agent.CamelAgentResolver;
import dev.flujo.camel.agent.EndpointProducers;
import dev.flujo.camel.branch.CamelBranches;
import dev.flujo.camel.option.BeanReferences;
import dev.flujo.camel.option.SimpleLanguage;
import dev.flujo.camel.resilience.CamelResilience;
import dev.flujo.camel.state.StateStores;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.cache.StepCache;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.exec.FlujoPlan;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.flow.CompositeStep;
import dev.flujo.core.flow.ConditionalPlan;
import dev.flujo.core.flow.FlujoBranch;
import dev.flujo.core.flow.HumanPlan;
import dev.flujo.core.flow.LoopPlan;
import dev.flujo.core.flow.MapPlan;
import dev.flujo.core.flow.MergeStrategies;
import dev.flujo.core.flow.MergeStrategy;
import dev.flujo.core.flow.ParallelPlan;
import dev.flujo.core.flow.RouterPlan;
import dev.flujo.core.resilience.AdaptiveConcurrencyLimit;
import dev.flujo.core.state.AnswerSchema;
import dev.flujo.core.step.FlujoProcessor;
import dev.flujo.core.telemetry.StepObserver;
import dev.flujo.core.usage.UsageLimits;
import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.URISupport;

/**
 * Turns a composite endpoint's options into its plan, once, when the endpoint starts: branches resolved and their
 * producers started, Simple predicates and expressions compiled, merge strategy, reducer and state store looked up.
 * Anything wrong fails the start naming the step and the option.
 */
public final class CompositePlanFactory {

    private final CamelContext camelContext;
    private final String step;
    private final FlujoKind kind;
    private final FlujoConfiguration options;
    private final CamelBranches branches;
    private final CamelResilience breakers;
    private final Function<AdaptiveConcurrencyLimit, StepObserver> observer;

    /**
     * @param observer the observer told of every finished execution of the step (telemetry), or {@code null}, made once
     *                 per plan from the adaptive limit of the plan's agent step (a router's), if any
     */
    public CompositePlanFactory(CamelContext camelContext, String step, FlujoKind kind, FlujoConfiguration options,
                                CamelBranches branches, CamelResilience breakers,
                                Function<AdaptiveConcurrencyLimit, StepObserver> observer) {
        this.observer = observer;
        this.breakers = breakers;
        this.camelContext = camelContext;
        this.step = step;
        this.kind = kind;
        this.options = options;
        this.branches = branches;
    }

    public FlujoPlan parallel(OptimizationConfig config) {
        return new ParallelPlan(
                composite(config, observer.apply(null)), branches.branches("branches", options.getBranches(), false),
                mergeStrategy(), options.getOnBranchFailure(), options.getMaxConcurrency(), reducer());
    }

    /**
     * @param keptLimit     the adaptive limit of the plan this one replaces (kept across runtime changes), or
     *                      {@code null}
     * @param previousCache the routing step's cache of the plan this one replaces, or {@code null}
     */
    public FlujoPlan router(
            OptimizationConfig config, CamelAgentResolver agents, AdaptiveConcurrencyLimit keptLimit,
            StepCache previousCache, boolean replanning) {
        Map<String, FlujoBranch> choices = branches.branches("branches", options.getBranches(), false);
        // the router agent is an agent step of its own (retries, validation, cache, usage), named after this step
        FlujoConfiguration routing = options.copy();
        routing.setSinkTo(null); // sinkTo is the router step's: its output, the branches' map, is what it stores
        StepPlan router = new StepPlanFactory(camelContext, step + ".router", routing, breakers)
                .keeping(limit -> null, keptLimit, previousCache, replanning)
                .create(config, agents, java.util.List.of(RouterPlan.branchNames(choices.keySet())));
        // the router step observes itself (the composite), with the routing call's adaptive limit
        return new RouterPlan(
                composite(config, observer.apply(router.concurrencyLimit())), router, choices, mergeStrategy(),
                options.getOnBranchFailure(),
                options.getMaxConcurrency(), reducer());
    }

    public FlujoPlan map(OptimizationConfig config) {
        String items = options.getItems();
        return new MapPlan(
                composite(config, observer.apply(null)), branches.branch("body", options.getBody()),
                items == null || items.isBlank() ? null : items.trim(), mergeStrategy(), options.getOnBranchFailure(),
                options.getMaxConcurrency());
    }

    public FlujoPlan loop(OptimizationConfig config) {
        Predicate until = SimpleLanguage.predicate(camelContext, step, "until", options.getUntil());
        if (options.getMaxLoops() < 1) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option maxLoops: must be at least 1, was "
                                                  + options.getMaxLoops());
        }
        return new LoopPlan(
                composite(config, observer.apply(null)), branches.branch("body", options.getBody()),
                (output, context) -> SimpleLanguage.matches(camelContext, until, output, context), options.getMaxLoops());
    }

    public FlujoPlan conditional(OptimizationConfig config) {
        Expression condition = SimpleLanguage.expression(camelContext, step, "condition", options.getCondition());
        String defaultRef = options.getDefault();
        boolean hasDefault = defaultRef != null && !defaultRef.isBlank();
        Map<String, FlujoBranch> keyed = options.getBranches() == null && hasDefault
                ? Map.of()
                : branches.branches("branches", options.getBranches(), true);
        return new ConditionalPlan(
                composite(config, observer.apply(null)),
                (input, context) -> SimpleLanguage.evaluate(camelContext, condition, input, context, String.class),
                keyed, hasDefault ? branches.branch("default", defaultRef) : null);
    }

    public FlujoPlan human(StateStores stores) {
        String schema = answerSchema();
        if (schema != null) {
            AnswerSchema.check("answerSchema of step '" + step + "'", schema);
        }
        String resumeUri = options.getResumeUri();
        if (resumeUri != null && !resumeUri.isBlank()) {
            // a typo must fail now, not when a person answers days later
            try {
                CamelContextHelper.getMandatoryEndpoint(camelContext, resumeUri);
            } catch (RuntimeException e) {
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option resumeUri: cannot resolve '"
                                                      + URISupport.sanitizeUri(resumeUri) + "': "
                                                      + URISupport.sanitizeUri(e.getMessage()),
                        EndpointProducers.sanitized(e));
            }
            resumeUri = stores.rememberResumeUri(step, resumeUri);
        }
        String text = options.getMessage();
        Expression message = text == null || text.isBlank()
                ? null
                : SimpleLanguage.expression(camelContext, step, "message", text);
        return new HumanPlan(
                new CompositeStep(step, kind.uriName(), UsageLimits.NONE, null),
                (input, context) -> message == null
                        ? "Step '" + step + "' waits for your answer"
                        : SimpleLanguage.evaluate(camelContext, message, input, context, String.class),
                schema, resumeUri, stores.storeFor(step, options), Clock.systemUTC());
    }

    /**
     * The answer schema: inline JSON, or {@code resource:classpath:approval.schema.json} (also {@code file:},
     * {@code http:} as Camel resolves resources) - which also keeps braces out of URIs with property placeholders.
     */
    private String answerSchema() {
        String value = options.getAnswerSchema();
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.startsWith("resource:")) {
            return value;
        }
        try {
            try (var in = ResourceHelper.resolveMandatoryResourceAsInputStream(camelContext,
                    value.substring("resource:".length()))) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (Exception e) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option answerSchema: cannot read "
                                                  + URISupport.sanitizeUri(value) + ": "
                                                  + URISupport.sanitizeUri(String.valueOf(e.getMessage())),
                    EndpointProducers.sanitized(e));
        }
    }

    private CompositeStep composite(OptimizationConfig config, StepObserver observer) {
        return new CompositeStep(
                step, kind.uriName(), new UsageLimits(config.budget().costLimitUsd(), config.budget().tokenLimit()),
                options.getSinkTo(), observer, config.pipeline().enableContextOptimization());
    }

    private MergeStrategy mergeStrategy() {
        String value = options.getMergeStrategy();
        if (value == null || value.isBlank()) {
            return MergeStrategies.CONTEXT_UPDATE;
        }
        if (BeanReferences.isBeanReference(value.trim())) {
            Object bean = BeanReferences.lookup(camelContext, step, "mergeStrategy", value);
            if (!(bean instanceof MergeStrategy strategy)) {
                throw BeanReferences.problem(step, "mergeStrategy", value, "bean is a " + BeanReferences.typeName(bean)
                                                                           + ", not a " + MergeStrategy.class.getName());
            }
            return strategy;
        }
        try {
            return MergeStrategies.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option mergeStrategy: expected NO_MERGE,"
                                                  + " CONTEXT_UPDATE, OVERWRITE, KEEP_FIRST, ERROR_ON_CONFLICT or #bean, was "
                                                  + value);
        }
    }

    private FlujoProcessor reducer() {
        String ref = options.getReduce();
        return ref == null || ref.isBlank() ? null : StepPlanFactory.processor(camelContext, step, "reduce", ref);
    }
}
