package dev.flujo.camel;

import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.step.StepPlan;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Runs an AI-pipeline step: an agent call wrapped in prompt and output processors, validators and plugins, with
 * retries that feed back what went wrong, a fallback, an output cache and run-wide token and cost limits.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "flujo", title = "Flujo", syntax = "flujo:kind:name",
             producerOnly = true, category = { Category.AI }, headersClass = FlujoConstants.class)
public class FlujoEndpoint extends DefaultEndpoint {

    @UriPath(description = "The kind of endpoint.", enums = "step")
    @Metadata(required = true)
    private FlujoKind kind;
    @UriPath(description = "The step name: used in results, headers, errors and the cache fingerprint.")
    @Metadata(required = true)
    private String name;
    @UriParam
    private FlujoConfiguration configuration;

    private CamelAgentResolver agents;
    private volatile StepPlan plan;

    public FlujoEndpoint(String uri, FlujoComponent component, FlujoKind kind, String name,
                         FlujoConfiguration configuration) {
        super(uri, component);
        this.kind = kind;
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public FlujoComponent getComponent() {
        return (FlujoComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() throws Exception {
        return new FlujoProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        throw new UnsupportedOperationException("The flujo component has no consumer: use it in to(), e.g. "
                + "to(\"flujo:step:" + name + "?agent=direct:llm\")");
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        OptimizationConfig config = configuration.toOptimizationConfig(name);
        agents = new CamelAgentResolver(getCamelContext(), name, new EndpointAgent.UsageHeaders(
                configuration.getInputTokensHeader(), configuration.getOutputTokensHeader(),
                configuration.getCostHeader()));
        ServiceHelper.startService(agents);
        try {
            plan = new StepPlanFactory(getCamelContext(), name, configuration).create(config, agents);
        } catch (RuntimeException e) {
            ServiceHelper.stopService(agents);
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(agents);
        plan = null;
        super.doStop();
    }

    /** The plan decided at start; {@code null} while the endpoint is stopped. */
    public StepPlan getPlan() {
        return plan;
    }

    public FlujoKind getKind() {
        return kind;
    }

    public void setKind(FlujoKind kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public FlujoConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(FlujoConfiguration configuration) {
        this.configuration = configuration;
    }
}
