package dev.flujo.examples.triage;

import dev.flujo.core.usage.UsageLimitExceededException;
import dev.flujo.examples.openai.OpenAiChat;
import org.apache.camel.builder.RouteBuilder;

/**
 * The support-ticket triage pipeline in the Java DSL (the YAML twin is routes/triage.camel.yaml): classify (cached,
 * declares the run's token and cost limits) → research and policy check in parallel → summarize (validated, retried
 * with the failure as feedback) → a person approves (the run pauses) → {@code direct:triage-resume} continues it with
 * the answer → reply.
 *
 * <p>
 * The agents {@code #classifier}, {@code #researcher} and {@code #policyChecker} are beans ({@link TriageAgents});
 * summarize and reply ask {@code direct:triage-llm}, the local model, or the OpenAI-compatible endpoint
 * {@code direct:openai-chat} when {@value OpenAiChat#BASE_URL} is set.
 */
public class TriageRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // a run over its budget stops: the caller gets the UsageLimitExceededException (no stack trace in the log)
        onException(UsageLimitExceededException.class).logExhausted(false);

        from("direct:triage").routeId("triage")
                .setProperty("ticket", body())
                .to("flujo:step:classify?agent=#classifier&cache=true&sinkTo=category"
                    + "&tokenLimit={{triage.tokenLimit}}&costLimitUsd={{triage.costLimitUsd}}")
                .to("flujo:parallel:investigate?branches=research=direct:triage-research,policy=direct:triage-policy")
                .setBody(simple("resource:classpath:triage/summarize.prompt"))
                .to("flujo:step:summarize?agent=direct:triage-llm&maxRetries=2&sinkTo=summary"
                    + "&validate=RAW(${body.length} <= 160)")
                .to("flujo:human:approve?message=Approve this plan for a ${exchangeProperty.category} ticket? ${body}"
                    + "&answerSchema=resource:classpath:triage/approval.schema.json&resumeUri=direct:triage-approved");

        from("direct:triage-research").routeId("triage-research")
                .to("flujo:step:research?agent=#researcher");
        from("direct:triage-policy").routeId("triage-policy")
                .to("flujo:step:policy?agent=#policyChecker");

        // header CamelFlujoRunId: the paused run; body: the reviewer's answer, e.g. {"approved": true, "note": "..."}
        from("direct:triage-resume").routeId("triage-resume")
                .to("flujo:resume");
        from("direct:triage-approved").routeId("triage-approved")
                .setBody(simple("resource:classpath:triage/reply.prompt"))
                .to("flujo:step:reply?agent=direct:triage-llm");

        from("direct:triage-llm").routeId("triage-llm")
                .choice()
                .when(simple(OpenAiChat.ENABLED)).to("direct:openai-chat")
                .otherwise().process(TriageAgents.localModel());
    }
}
