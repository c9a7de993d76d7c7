package dev.flujo.examples.triage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.examples.PipelineExample;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Plays the customers and the reviewer of the triage pipeline (Java or YAML, both answer {@code direct:triage} and
 * {@code direct:triage-resume}): sends each sample ticket, answers the approval the run pauses for, resumes the run
 * with that answer and reports what happened.
 */
public final class TriageDemo {

    /**
     * One ticket's outcome.
     *
     * @param approval the message the run paused with (null if it never paused)
     * @param answer   the reviewer's answer the run was resumed with
     * @param reply    the final reply to the customer
     * @param run      the run: path (history), usage totals and limits
     * @param error    why the run stopped early, e.g. a {@code UsageLimitExceededException}
     */
    public record Outcome(String ticket, String approval, String answer, Object reply, FlujoRun run, Exception error) {
    }

    private static final Map<String, String> NOTES = Map.of(
            "billing", "We have refunded the duplicate payment; it reaches your card within 5 working days.",
            "technical", "Version 4.2.1 fixes the crash and reaches your phone this week.");

    private TriageDemo() {
    }

    /** Runs every sample ticket through the pipeline in {@code camel} and prints the report (camel run's demo). */
    public static String runAndPrint(CamelContext camel) throws IOException {
        String report = report(runSamples(camel));
        System.out.print(report);
        return report;
    }

    public static List<Outcome> runSamples(CamelContext camel) throws IOException {
        ProducerTemplate template = camel.createProducerTemplate();
        List<Outcome> outcomes = new ArrayList<>();
        for (String ticket : PipelineExample.samples("/samples/triage-tickets.txt")) {
            outcomes.add(handle(template, ticket));
        }
        return outcomes;
    }

    /** One ticket: into the pipeline until it pauses, then the reviewer's answer through {@code flujo:resume}. */
    public static Outcome handle(ProducerTemplate template, String ticket) {
        Exchange paused = template.request("direct:triage", e -> e.getMessage().setBody(ticket));
        if (!FlujoConstants.STATUS_PAUSED.equals(paused.getMessage().getHeader(FlujoConstants.STATUS))) {
            return new Outcome(ticket, null, null, null, runOf(paused), paused.getException());
        }
        String answer = review(paused.getProperty("category", String.class));
        Exchange done = template.request("direct:triage-resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, paused.getMessage().getHeader(FlujoConstants.RUN_ID));
            e.getMessage().setBody(answer);
        });
        return new Outcome(
                ticket, paused.getMessage().getBody(String.class), answer, done.getMessage().getBody(),
                runOf(done), done.getException());
    }

    /** The reviewer: approves billing and technical plans with a note for the reply, declines the rest. */
    static String review(String category) {
        String note = NOTES.get(category);
        return note == null ? "{\"approved\": false}" : "{\"approved\": true, \"note\": \"" + note + "\"}";
    }

    private static FlujoRun runOf(Exchange exchange) {
        return exchange.getProperty(FlujoConstants.RUN, FlujoRun.class);
    }

    /** Each ticket's path through the pipeline, its usage and reply (or why it stopped), then the totals. */
    public static String report(List<Outcome> outcomes) {
        StringBuilder out = new StringBuilder();
        Usage all = Usage.ZERO;
        int n = 0;
        for (Outcome o : outcomes) {
            out.append(String.format("%nTicket %d: %s%n", ++n, abbreviate(o.ticket(), 100)));
            Usage usage = o.run().usage();
            all = all.plus(usage);
            out.append(String.format("  path:   %s%n", path(o.run())));
            if (o.approval() != null) {
                out.append(String.format("  asked:  %s%n  answer: %s%n", o.approval(), o.answer()));
            }
            out.append(String.format("  usage:  %d input + %d output tokens, $%s (limits: %s tokens, $%s)%n",
                    usage.inputTokens(), usage.outputTokens(), usage.costOrZero().toPlainString(),
                    o.run().limits().tokenLimit(), o.run().limits().costLimitUsd()));
            out.append(o.error() == null
                    ? String.format("  reply:  %s%n", o.reply())
                    : String.format("  STOPPED: %s%n", o.error().getMessage()));
        }
        out.append(String.format("%nAll tickets: %d input + %d output tokens, $%s%n", all.inputTokens(),
                all.outputTokens(), all.costOrZero().toPlainString()));
        return out.toString();
    }

    /** e.g. {@code classify=billing -> investigate[research, policy] -> summarize(2 attempts) -> approve -> reply}. */
    static String path(FlujoRun run) {
        return run.history().stream().map(TriageDemo::describe).collect(Collectors.joining(" -> "));
    }

    private static String describe(StepResult step) {
        String name = step.name();
        if (!step.children().isEmpty()) {
            name += step.children().stream().map(StepResult::name).collect(Collectors.joining(", ", "[", "]"));
        }
        if ("classify".equals(name)) {
            name += "=" + step.output() + (step.cacheHit() ? " (cached)" : "");
        }
        if (step.attempts() > 1) {
            name += "(" + step.attempts() + " attempts)";
        }
        return step.success() ? name : name + " FAILED";
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
