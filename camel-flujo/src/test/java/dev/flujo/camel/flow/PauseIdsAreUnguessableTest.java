package dev.flujo.camel.flow;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.RunStatus;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.flujo.camel.flow.FlowAssertions.exceptionOf;
import static dev.flujo.camel.flow.FlowAssertions.messages;
import static dev.flujo.camel.flow.FlowAssertions.runOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pause id a human step hands out was the run id, which is the exchange id: with Camel's default generator a prefix
 * per JVM and a counter (found by the resume payload stress test, issue 7). A caller who was given one pause id could
 * count to the other runs paused in that JVM and answer for their people, e.g. approve someone else's refund through an
 * HTTP resume endpoint. A pause id is now the run id (still the exchange id, for the logs), the pause's number after
 * the first, and 128 random bits; the run id alone, a neighbour's run id, or a pause id with its token altered, cut or
 * moved to another run resumes nothing: UNKNOWN_RUN, the stored runs untouched.
 */
class PauseIdsAreUnguessableTest extends CamelTestSupport {

    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");

    @TempDir
    Path dir;

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("guess.db");
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask").to("flujo:human:refund?resumeUri=direct:approved&stateUrl=" + stateUrl());
                from("direct:approved").to("mock:approved");
                from("direct:resume").to("flujo:resume?stateUrl=" + stateUrl());
            }
        };
    }

    private Exchange resume(String pauseId) {
        return template.request("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, pauseId);
            e.getMessage().setBody("{\"approved\": true}");
        });
    }

    /** The ids a caller who saw one run id would try: the counter after the last '-', counted up and down. */
    private static Set<String> neighbours(String runId) {
        int dash = runId.lastIndexOf('-');
        String prefix = runId.substring(0, dash + 1);
        String counter = runId.substring(dash + 1);
        long value = Long.parseLong(counter, 16);
        Set<String> guesses = new LinkedHashSet<>();
        for (long delta = -5; delta <= 5; delta++) {
            String hex = Long.toHexString(value + delta).toUpperCase(Locale.ROOT);
            guesses.add(prefix + "0".repeat(Math.max(0, counter.length() - hex.length())) + hex);
        }
        return guesses;
    }

    @Test
    void aPauseIdCannotBeDerivedFromAnotherOne() throws Exception {
        MockEndpoint approved = getMockEndpoint("mock:approved");
        approved.expectedMessageCount(0);
        Exchange mine = template.request("direct:ask", e -> e.getMessage().setBody("my refund"));
        Exchange theirs = template.request("direct:ask", e -> e.getMessage().setBody("their refund"));
        String myPause = mine.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        String theirPause = theirs.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        String myRun = runOf(mine).runId();
        String theirRun = runOf(theirs).runId();
        assertTrue(neighbours(myRun).contains(theirRun),
                "the premise: run ids are exchange ids, a counter (" + myRun + ", " + theirRun + ")");
        String myToken = myPause.substring(myRun.length() + 1);
        assertTrue(TOKEN.matcher(myToken).matches(), myPause);
        assertTrue(TOKEN.matcher(theirPause.substring(theirRun.length() + 1)).matches(), theirPause);
        JdbcStateStore store = new JdbcStateStore(stateUrl());
        PausedRun myStored = store.load(myPause).orElseThrow();
        PausedRun theirStored = store.load(theirPause).orElseThrow();

        Set<String> guesses = new LinkedHashSet<>();
        for (String run : neighbours(myRun)) {
            guesses.add(run); // the pause id as it was: the run id
            guesses.add(run + ".2");
            guesses.add(run + "." + myToken); // my token on a neighbour's run
            guesses.add(run + ".2." + myToken);
        }
        guesses.add(theirRun + ".");
        guesses.add(theirRun + "." + theirPause.substring(theirRun.length() + 1, theirPause.length() - 1));
        guesses.add(theirPause.toUpperCase(Locale.ROOT));
        guesses.add(theirPause + "0");
        guesses.add(theirPause + " ");
        for (int i = 0; i < myToken.length(); i++) { // my own pause id, one hex digit altered
            char c = myToken.charAt(i);
            guesses.add(myRun + "." + myToken.substring(0, i) + (c == '0' ? '1' : '0') + myToken.substring(i + 1));
        }
        guesses.remove(myPause);
        guesses.remove(theirPause);

        for (String guess : guesses) {
            ResumeRejectedException e = exceptionOf(resume(guess), ResumeRejectedException.class);
            assertEquals(ResumeRejectedException.Reason.UNKNOWN_RUN, e.getReason(), guess);
        }
        approved.assertIsSatisfied();
        assertEquals(myStored, store.load(myPause).orElseThrow());
        assertEquals(theirStored, store.load(theirPause).orElseThrow());
        assertEquals(RunStatus.PAUSED, theirStored.status());

        approved.reset();
        approved.expectedMessageCount(1);
        Exchange resumed = resume(myPause);
        assertNull(resumed.getException(), () -> messages(resumed.getException()));
        approved.assertIsSatisfied();
        assertEquals(myRun, resumed.getMessage().getHeader(FlujoConstants.RUN_ID), "the resumed exchange: the run id");
        assertEquals(RunStatus.PAUSED, store.load(theirPause).orElseThrow().status());
    }

    @Test
    void everyPauseHasATokenOfItsOwn() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String pauseId = PausedRun.newPauseId("run-1", i % 3);
            String token = pauseId.substring(pauseId.lastIndexOf('.') + 1);
            assertTrue(TOKEN.matcher(token).matches(), pauseId);
            assertTrue(pauseId.startsWith(PausedRun.pauseIdOf("run-1", i % 3) + "."), pauseId);
            tokens.add(token);
        }
        assertEquals(1_000, tokens.size());
        assertEquals(List.of("run-1", "run-1.2"), List.of(PausedRun.pauseIdOf("run-1", 0), PausedRun.pauseIdOf("run-1", 1)));
    }
}
