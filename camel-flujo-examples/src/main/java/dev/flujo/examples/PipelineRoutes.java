package dev.flujo.examples;

import org.apache.camel.builder.RouteBuilder;

/** The three-step triage pipeline, in the Java DSL. */
public class PipelineRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:triage").routeId("triage")
                .to("flujo:step:extract?agent=#extractor")
                // the summarizer's first answer is too long; the retry gets the validation failure as feedback
                .to("flujo:step:summarize?agent=#summarizer&maxRetries=2&validate=RAW(${body.length} <= 80)")
                // the classifier is a route; repeated summaries are answered from the cache
                .to("flujo:step:classify?agent=direct:classifier&cache=true&cacheTtl=10m");

        from("direct:classifier").routeId("classifier-agent")
                .process(LocalAgents.classifier());
    }
}
