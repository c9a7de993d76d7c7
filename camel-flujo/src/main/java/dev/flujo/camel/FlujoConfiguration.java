package dev.flujo.camel;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.config.OptimizationConfig;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of a flujo endpoint. The component holds one instance as the defaults
 * ({@code camel.component.flujo.maxRetries=2}); each endpoint starts from a copy and applies its URI options.
 *
 * <p>Execution options are turned into the core's immutable {@link OptimizationConfig} by
 * {@link #toOptimizationConfig()}; wiring options (agent, processors, validators, plugins, fallback) are resolved
 * into a {@link dev.flujo.core.step.StepPlan} when the endpoint starts.
 */
@UriParams
@Configurer
public class FlujoConfiguration implements Cloneable {

    // --- wiring ---------------------------------------------------------------------------------------------------

    @UriParam(label = "common", description = "The agent: an endpoint URI (direct:llm, langchain4j-chat:x, any Camel"
            + " endpoint; the body is the prompt, the reply body the output) or #name of a bean implementing"
            + " dev.flujo.core.agent.FlujoAgent.")
    private String agent;
    @UriParam(label = "common", description = "Comma-separated #bean references run in order on the input before"
            + " the agent call: Camel Processors (they see the input as body) or dev.flujo.core.step.FlujoProcessor.")
    private String promptProcessors;
    @UriParam(label = "common", description = "Comma-separated #bean references run in order on the agent's output:"
            + " Camel Processors or dev.flujo.core.step.FlujoProcessor.")
    private String outputProcessors;
    @UriParam(label = "validation", description = "Comma-separated #bean references of"
            + " dev.flujo.core.step.FlujoValidator (or Camel Predicate). All run; their failures become the attempt's"
            + " feedback and the attempt is retried.")
    private String validators;
    @UriParam(label = "validation", description = "A Simple predicate the output (the body) must satisfy, e.g."
            + " ${body.length} > 10. Runs with the validators.")
    private String validate;
    @UriParam(label = "plugin", description = "Comma-separated #bean references of dev.flujo.core.step.FlujoPlugin,"
            + " run by descending priority after validation: accept, give feedback, replace the output or redirect to"
            + " another agent.")
    private String plugins;
    @UriParam(label = "retry", description = "An agent reference (endpoint URI or #bean) called once when every"
            + " attempt failed. Its output passes the same processors, validators and plugins.")
    private String fallback;

    // --- execution (OptimizationConfig) ---------------------------------------------------------------------------

    @UriParam(label = "retry", defaultValue = "1", description = "Retries after a failed attempt; the failed"
            + " attempt's feedback is handed to the next one.")
    private int maxRetries = OptimizationConfig.DEFAULT_MAX_RETRIES;
    @UriParam(label = "retry", javaType = "java.time.Duration", description = "Bound of one agent call (e.g. 30s);"
            + " a time-out is a failed attempt and the late reply is dropped. 0 means no time-out.")
    private long timeout;
    @UriParam(label = "cache", defaultValue = "false", description = "Cache successful outputs by step fingerprint,"
            + " input and the cacheKeyContext values. A hit costs no tokens and sets CamelFlujoCacheHit=true.")
    private boolean cache;
    @UriParam(label = "cache", javaType = "java.time.Duration", description = "Time-to-live of a cached output after"
            + " it was written. 0 means entries live until evicted by size.")
    private long cacheTtl;
    @UriParam(label = "cache", defaultValue = "10000", description = "The most entries the step cache holds.")
    private long cacheMaxSize = OptimizationConfig.DEFAULT_CACHE_MAX_SIZE;
    @UriParam(label = "cache", description = "Comma-separated context keys (exchange properties) whose values are part"
            + " of the cache key, e.g. a tenant id, so different tenants never share an entry.")
    private String cacheKeyContext;
    @UriParam(label = "limits", description = "Cost budget in USD of the whole run (the exchange and everything it"
            + " spawns). A breach stops the run with UsageLimitExceededException.")
    private Double costLimitUsd;
    @UriParam(label = "limits", description = "Token budget (input + output) of the whole run.")
    private Long tokenLimit;
    @UriParam(label = "limits", description = "Cost reserved against the budget before each agent call; the call is"
            + " refused when the reservation would exceed costLimitUsd.")
    private double expectedCostUsd;
    @UriParam(label = "limits", description = "Tokens reserved against the budget before each agent call; the call is"
            + " refused when the reservation would exceed tokenLimit.")
    private long expectedTokens;
    @UriParam(label = "usage", description = "Price in USD of one input token, used when the agent reports tokens but"
            + " no cost.")
    private double costPerInputToken;
    @UriParam(label = "usage", description = "Price in USD of one output token, used when the agent reports tokens"
            + " but no cost.")
    private double costPerOutputToken;

    // --- usage extraction and context writes ----------------------------------------------------------------------

    @UriParam(label = "usage", defaultValue = FlujoConstants.INPUT_TOKENS, description = "Reply header of an endpoint"
            + " agent that carries the input tokens.")
    private String inputTokensHeader = FlujoConstants.INPUT_TOKENS;
    @UriParam(label = "usage", defaultValue = FlujoConstants.OUTPUT_TOKENS, description = "Reply header of an"
            + " endpoint agent that carries the output tokens.")
    private String outputTokensHeader = FlujoConstants.OUTPUT_TOKENS;
    @UriParam(label = "usage", defaultValue = FlujoConstants.COST_USD, description = "Reply header of an endpoint"
            + " agent that carries the cost in USD.")
    private String costHeader = FlujoConstants.COST_USD;
    @UriParam(label = "advanced", defaultValue = "true", description = "Set the CamelFlujo* result headers (step name,"
            + " success, attempts, cache hit, tokens, cost, latency) after the step. Turn off when results are read"
            + " from the CamelFlujoRun property only: writing them costs about as much as the rest of the step (see"
            + " docs/benchmarks.md).")
    private boolean resultHeaders = true;
    @UriParam(label = "context", defaultValue = "false", description = "Merge a Map output into the context (exchange"
            + " properties) after the step succeeded. A non-Map output fails the attempt.")
    private boolean updatesContext;
    @UriParam(label = "context", description = "Store the output in the context (an exchange property) under this"
            + " key after the step succeeded.")
    private String sinkTo;

    public FlujoConfiguration copy() {
        try {
            return (FlujoConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /**
     * The core configuration of these options.
     *
     * @throws FlujoConfigurationException naming every invalid option
     */
    public OptimizationConfig toOptimizationConfig(String stepName) {
        List<String> problems = new ArrayList<>();
        OptimizationConfig config = OptimizationConfig.builder()
                .maxRetries(maxRetries)
                .timeout(durationOrNull(timeout))
                .cache(cache)
                .cacheTtl(durationOrNull(cacheTtl))
                .cacheMaxSize(cacheMaxSize)
                .cacheKeyContext(splitList(cacheKeyContext))
                .costLimitUsd(money(problems, "costLimitUsd", costLimitUsd))
                .tokenLimit(tokenLimit)
                .expectedCostUsd(money(problems, "expectedCostUsd", expectedCostUsd))
                .expectedTokens(expectedTokens)
                .costPerInputToken(money(problems, "costPerInputToken", costPerInputToken))
                .costPerOutputToken(money(problems, "costPerOutputToken", costPerOutputToken))
                .build();
        problems.addAll(config.validate());
        checkHeaderName(problems, "inputTokensHeader", inputTokensHeader);
        checkHeaderName(problems, "outputTokensHeader", outputTokensHeader);
        checkHeaderName(problems, "costHeader", costHeader);
        if (sinkTo != null && sinkTo.startsWith("Camel")) {
            problems.add("sinkTo must not name a Camel property (prefix 'Camel'), was " + sinkTo);
        }
        for (String key : splitList(cacheKeyContext)) {
            if (key.startsWith("Camel")) {
                // such properties are not part of the context, so the key would hold null for every caller
                problems.add("cacheKeyContext must name context keys, not Camel properties (prefix 'Camel'), was "
                        + key);
            }
        }
        if (!problems.isEmpty()) {
            throw new FlujoConfigurationException("Invalid options of flujo step '" + stepName + "'", problems);
        }
        return config;
    }

    /** 0 means "none"; a negative value is kept so that validation reports it, naming the option. */
    private static Duration durationOrNull(long millis) {
        return millis == 0 ? null : Duration.ofMillis(millis);
    }

    private static BigDecimal money(List<String> problems, String option, Double value) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value.isInfinite()) {
            problems.add(option + " must be a finite number, was " + value);
            return null;
        }
        return BigDecimal.valueOf(value);
    }

    private static void checkHeaderName(List<String> problems, String option, String value) {
        if (value == null || value.isBlank()) {
            problems.add(option + " must name a header");
        }
    }

    /** Splits a comma-separated option into trimmed, non-empty entries. */
    static List<String> splitList(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public String getAgent() {
        return agent;
    }

    public void setAgent(String agent) {
        this.agent = agent;
    }

    public String getPromptProcessors() {
        return promptProcessors;
    }

    public void setPromptProcessors(String promptProcessors) {
        this.promptProcessors = promptProcessors;
    }

    public String getOutputProcessors() {
        return outputProcessors;
    }

    public void setOutputProcessors(String outputProcessors) {
        this.outputProcessors = outputProcessors;
    }

    public String getValidators() {
        return validators;
    }

    public void setValidators(String validators) {
        this.validators = validators;
    }

    public String getValidate() {
        return validate;
    }

    public void setValidate(String validate) {
        this.validate = validate;
    }

    public String getPlugins() {
        return plugins;
    }

    public void setPlugins(String plugins) {
        this.plugins = plugins;
    }

    public String getFallback() {
        return fallback;
    }

    public void setFallback(String fallback) {
        this.fallback = fallback;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public boolean isCache() {
        return cache;
    }

    public void setCache(boolean cache) {
        this.cache = cache;
    }

    public long getCacheTtl() {
        return cacheTtl;
    }

    public void setCacheTtl(long cacheTtl) {
        this.cacheTtl = cacheTtl;
    }

    public long getCacheMaxSize() {
        return cacheMaxSize;
    }

    public void setCacheMaxSize(long cacheMaxSize) {
        this.cacheMaxSize = cacheMaxSize;
    }

    public String getCacheKeyContext() {
        return cacheKeyContext;
    }

    public void setCacheKeyContext(String cacheKeyContext) {
        this.cacheKeyContext = cacheKeyContext;
    }

    public Double getCostLimitUsd() {
        return costLimitUsd;
    }

    public void setCostLimitUsd(Double costLimitUsd) {
        this.costLimitUsd = costLimitUsd;
    }

    public Long getTokenLimit() {
        return tokenLimit;
    }

    public void setTokenLimit(Long tokenLimit) {
        this.tokenLimit = tokenLimit;
    }

    public double getExpectedCostUsd() {
        return expectedCostUsd;
    }

    public void setExpectedCostUsd(double expectedCostUsd) {
        this.expectedCostUsd = expectedCostUsd;
    }

    public long getExpectedTokens() {
        return expectedTokens;
    }

    public void setExpectedTokens(long expectedTokens) {
        this.expectedTokens = expectedTokens;
    }

    public double getCostPerInputToken() {
        return costPerInputToken;
    }

    public void setCostPerInputToken(double costPerInputToken) {
        this.costPerInputToken = costPerInputToken;
    }

    public double getCostPerOutputToken() {
        return costPerOutputToken;
    }

    public void setCostPerOutputToken(double costPerOutputToken) {
        this.costPerOutputToken = costPerOutputToken;
    }

    public String getInputTokensHeader() {
        return inputTokensHeader;
    }

    public void setInputTokensHeader(String inputTokensHeader) {
        this.inputTokensHeader = inputTokensHeader;
    }

    public String getOutputTokensHeader() {
        return outputTokensHeader;
    }

    public void setOutputTokensHeader(String outputTokensHeader) {
        this.outputTokensHeader = outputTokensHeader;
    }

    public String getCostHeader() {
        return costHeader;
    }

    public void setCostHeader(String costHeader) {
        this.costHeader = costHeader;
    }

    public boolean isResultHeaders() {
        return resultHeaders;
    }

    public void setResultHeaders(boolean resultHeaders) {
        this.resultHeaders = resultHeaders;
    }

    public boolean isUpdatesContext() {
        return updatesContext;
    }

    public void setUpdatesContext(boolean updatesContext) {
        this.updatesContext = updatesContext;
    }

    public String getSinkTo() {
        return sinkTo;
    }

    public void setSinkTo(String sinkTo) {
        this.sinkTo = sinkTo;
    }
}
