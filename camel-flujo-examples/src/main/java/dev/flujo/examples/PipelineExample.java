package dev.flujo.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * Runs the triage pipeline over the bundled sample tickets and prints each step's result and each run's usage.
 *
 * <pre>
 * mvn -B -q -DskipTests -Prun-example package
 * </pre>
 */
public final class PipelineExample {

    /** What one ticket's run produced. */
    public record TicketRun(String ticket, Object output, FlujoRun run, Exception error) {
    }

    private PipelineExample() {
    }

    public static void main(String[] args) throws Exception {
        List<TicketRun> runs = runSamples();
        print(runs, System.out);
        boolean failed = runs.stream().anyMatch(r -> r.error() != null);
        System.exit(failed ? 1 : 0);
    }

    /** Starts camel-main, sends every sample ticket through {@code direct:triage}, stops. */
    public static List<TicketRun> runSamples() throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:pipeline.properties");
        main.configure().addRoutesBuilder(new PipelineRoutes());
        main.bind("extractor", LocalAgents.extractor());
        main.bind("summarizer", LocalAgents.summarizer());
        main.start();
        try {
            ProducerTemplate template = main.getCamelContext().createProducerTemplate();
            List<TicketRun> runs = new ArrayList<>();
            for (String ticket : sampleTickets()) {
                Exchange done = template.request("direct:triage", e -> e.getMessage().setBody(ticket));
                runs.add(new TicketRun(
                        ticket, done.getMessage().getBody(),
                        done.getProperty(FlujoConstants.RUN, FlujoRun.class), done.getException()));
            }
            return runs;
        } finally {
            main.stop();
        }
    }

    static List<String> sampleTickets() throws IOException {
        return samples("/samples/tickets.txt");
    }

    /** The lines of a classpath resource, without blank lines and {@code #} comments. */
    public static List<String> samples(String resource) throws IOException {
        List<String> tickets = new ArrayList<>();
        try (InputStream in = PipelineExample.class.getResourceAsStream(resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null;) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    tickets.add(line.trim());
                }
            }
        }
        return tickets;
    }

    static void print(List<TicketRun> runs, PrintStream out) {
        Usage all = Usage.ZERO;
        int n = 0;
        for (TicketRun r : runs) {
            out.printf("%nTicket %d: %s%n", ++n, r.ticket());
            if (r.run() != null) {
                for (StepResult step : r.run().history()) {
                    out.printf("  %-10s %-7s attempts=%d cacheHit=%-5s tokens=%3d/%-3d cost=$%s  -> %s%n",
                            step.name(), step.success() ? "ok" : "FAILED", step.attempts(), step.cacheHit(),
                            step.usage().inputTokens(), step.usage().outputTokens(),
                            step.usage().costOrZero().toPlainString(), step.output());
                    if (!step.feedback().isEmpty()) {
                        out.printf("  %-10s feedback that led to the retry: %s%n", "", step.feedback());
                    }
                }
                Usage u = r.run().usage();
                all = all.plus(u);
                out.printf("  run %s usage: %d input + %d output tokens, $%s%n", r.run().runId(), u.inputTokens(),
                        u.outputTokens(), u.costOrZero().toPlainString());
            }
            if (r.error() != null) {
                out.printf("  ERROR: %s%n", r.error().getMessage());
            }
        }
        out.printf("%nAll runs: %d input + %d output tokens, $%s%n", all.inputTokens(), all.outputTokens(),
                all.costOrZero().toPlainString());
    }
}
