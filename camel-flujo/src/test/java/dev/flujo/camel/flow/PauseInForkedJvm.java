package dev.flujo.camel.flow;

import dev.flujo.camel.FlujoConstants;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run in a forked JVM by {@link FlujoResumeAcrossRestartTest}: starts the pausing half of {@link ApprovalApp} on the
 * SQLite file given as first argument, pauses one run for the second argument, prints {@code PAUSED <pauseId>} and
 * waits to be killed ({@code kill -9}: nothing is stopped or closed on purpose).
 */
public final class PauseInForkedJvm {

    private PauseInForkedJvm() {
    }

    public static void main(String[] args) throws Exception {
        DefaultCamelContext camel = ApprovalApp.pausing(args[0]);
        camel.start();
        Exchange paused = camel.createProducerTemplate().request("direct:review", e -> e.getMessage().setBody(args[1]));
        if (paused.getException() != null || !FlujoConstants.STATUS_PAUSED.equals(
                paused.getMessage().getHeader(FlujoConstants.STATUS))) {
            System.out.println("NOT PAUSED " + paused.getException());
            System.out.flush();
            System.exit(2);
        }
        System.out.println("PAUSED " + paused.getMessage().getHeader(FlujoConstants.RUN_ID));
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
