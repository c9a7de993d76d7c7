package dev.flujo.reliability;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.flujo.camel.FlujoConstants;
import dev.flujo.camel.StateStoreAccess;
import dev.flujo.camel.TestAgents;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.ResumeRejectedException;
import dev.flujo.core.state.ResumeRejectedException.Reason;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.state.StateCodec;
import dev.flujo.core.state.StateStore;
import dev.flujo.reliability.ReliabilityFigures.Section;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bad resume payloads through Camel routes, on the SQLite store ({@code stateUrl=jdbc:sqlite:} in a temporary
 * directory) and on the in-memory one ({@code stateStore=memory}): malformed JSON answers, answers breaking the schema,
 * unknown run ids, replayed and concurrent resumes, a forged {@code CamelFlujoRun} property, and pause ids derived from
 * another one. Every attack must fail the exchange with a typed exception (a ResumeRejectedException with the right
 * reason, a FlujoConfigurationException for a forged run property) whose message quotes the run id (escaped, cut when
 * huge) and says why, within a bound (no hang, no StackOverflowError, no OutOfMemoryError); the resumeUri route must
 * not run, and the stored runs must stay as they were, byte for byte (the loaded run, its JSON and, for SQLite, every
 * raw row). Afterwards a valid answer still resumes each run, once.
 *
 * <p>
 * A genuine FlujoRun of another run in {@code CamelFlujoRun} is not refused (an exchange reused for a second resume
 * carries one): the stored run replaces it, and nothing of it - id, history, usage - is mixed in.
 */
@Tag("stress")
class ResumePayloadStressTest extends CamelTestSupport {

    private static final String SCHEMA = "{\"type\": \"object\", \"required\": [\"approved\"],"
                                         + " \"additionalProperties\": false, \"properties\": {\"approved\": {\"type\": \"boolean\"},"
                                         + " \"note\": {\"type\": \"string\", \"maxLength\": 100}, \"priority\": {\"enum\": [\"low\", \"high\"]},"
                                         + " \"amount\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 100, \"multipleOf\": 0.01},"
                                         + " \"count\": {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 10} } }";
    private static final String VALID = "{\"approved\": true, \"note\": \"ok\", \"priority\": \"high\","
                                        + " \"amount\": 12.5, \"count\": 3}";
    private static final Map<String, Object> VALID_VALUE = Map.of("approved", true, "note", "ok", "priority", "high",
            "amount", new BigDecimal("12.5"), "count", 3);
    /** Every resume is bounded: a call that has not come back by then is a hang. */
    private static final long BOUND_SECONDS = 30;
    private static final int MAX_MESSAGE = 12_000;
    private static final List<String> STORES = List.of("jdbc", "memory");
    private static final int MB = 1 << 20;

    @TempDir
    Path dir;

    private final TestAgents.CountingAgent drafter = TestAgents.answering(r -> "draft for " + r.input(),
            Usage.of(7, 5, new BigDecimal("0.002")));
    private Connection sqlite;
    private int asked;

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("state.db");
    }

    private String options(String store) {
        return "jdbc".equals(store) ? "stateUrl=" + stateUrl() : "stateStore=memory";
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("drafter", drafter);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler()); // the exception is the result: not logged thousands of times
                for (String store : STORES) {
                    from("direct:ask-" + store).setProperty("customer", constant("ada"))
                            .to("flujo:step:draft-" + store + "?agent=#drafter")
                            .to("flujo:human:approve-" + store + "?message=Approve ${body}?&answerSchema=RAW(" + SCHEMA
                                + ")&resumeUri=direct:after-" + store + "&" + options(store));
                    from("direct:after-" + store).to("mock:after-" + store);
                    from("direct:resume-" + store).to("flujo:resume?" + options(store));
                }
            }
        };
    }

    @AfterEach
    void closeSqlite() throws Exception {
        if (sqlite != null) {
            sqlite.close();
        }
    }

    // --- runs, snapshots, attacks ------------------------------------------------------------------------------

    /** A paused run: its pause id, run id, and what the store held when it paused. */
    private record Target(String store, String pauseId, String runId, PausedRun stored) {
    }

    /** Everything a store holds, as it holds it. */
    private record Snapshot(PausedRun target, String targetJson, Map<String, String> rows) {
    }

    private StateStore store(String store) {
        return StateStoreAccess.of(context, "flujo:resume?" + options(store));
    }

    private MockEndpoint after(String store) {
        return getMockEndpoint("mock:after-" + store);
    }

    private Target pause(String store) {
        Exchange paused = template.request("direct:ask-" + store, e -> e.getMessage().setBody("refund #" + ++asked));
        assertNull(paused.getException(), () -> String.valueOf(paused.getException()));
        assertEquals(FlujoConstants.STATUS_PAUSED, paused.getMessage().getHeader(FlujoConstants.STATUS));
        String pauseId = paused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
        FlujoRun run = (FlujoRun) paused.getProperty(FlujoConstants.RUN);
        return new Target(store, pauseId, run.runId(), store(store).load(pauseId).orElseThrow());
    }

    private Snapshot snapshot(Target target) throws Exception {
        PausedRun loaded = store(target.store()).load(target.pauseId()).orElseThrow();
        Map<String, String> rows = new TreeMap<>();
        if ("jdbc".equals(target.store())) {
            if (sqlite == null) {
                sqlite = DriverManager.getConnection(stateUrl());
            }
            try (Statement s = sqlite.createStatement();
                 ResultSet rs = s.executeQuery("SELECT run_id, status, state, updated_at FROM "
                                               + JdbcStateStore.TABLE)) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getLong(4) + "|" + rs.getString(3));
                }
            }
        } else {
            for (String id : store(target.store()).pausedRunIds()) {
                rows.put(id, StateCodec.write(store(target.store()).load(id).orElseThrow()));
            }
        }
        return new Snapshot(loaded, StateCodec.write(loaded), rows);
    }

    private static void assertUnchanged(String what, Target target, Snapshot before, Snapshot after) {
        assertEquals(before.target(), after.target(), what + ": the stored run changed");
        assertEquals(before.targetJson(), after.targetJson(), what + ": the stored run's JSON changed");
        assertEquals(before.rows(), after.rows(), what + ": the store's rows changed");
        if ("memory".equals(target.store())) {
            assertSame(before.target(), after.target(), what + ": the in-memory store holds another object");
        }
    }

    /** Sends one resume and waits for it, at most {@link #BOUND_SECONDS}. */
    private Exchange send(String store, Processor setup) throws Exception {
        Future<Exchange> reply = template.asyncSend("direct:resume-" + store, setup);
        try {
            return reply.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            return fail("a resume did not come back within " + BOUND_SECONDS + " s");
        }
    }

    private static Processor resume(Object runIdHeader, Supplier<Object> body) {
        return e -> {
            if (runIdHeader != null) {
                e.getMessage().setHeader(FlujoConstants.RUN_ID, runIdHeader);
            }
            e.getMessage().setBody(body.get());
        };
    }

    /**
     * One attack on a paused run: it must fail with the expected exception, quoting the run id it was given, leave the
     * stores as they were and not reach the resumeUri route.
     *
     * @param  expectedRunId what the exception must name: the header as flujo:resume reads it (text)
     * @return               the exception
     */
    private <T extends Exception> T attack(
            Target target, String what, Processor setup, Class<T> type,
            String expectedRunId)
            throws Exception {
        Snapshot before = snapshot(target);
        int received = after(target.store()).getReceivedCounter();

        Exchange out = send(target.store(), setup);

        Exception e = out.getException();
        assertNotNull(e, () -> what + ": the resume went through");
        T typed = assertInstanceOf(type, e, () -> what + ": " + e);
        assertClear(what, typed, expectedRunId);
        assertEquals(received, after(target.store()).getReceivedCounter(), what + ": the resumeUri route ran");
        assertUnchanged(what, target, before, snapshot(target));
        return typed;
    }

    private static void assertClear(String what, Exception e, String runId) {
        String message = e.getMessage();
        assertNotNull(message, what);
        assertTrue(message.length() <= MAX_MESSAGE, () -> what + ": a message of " + message.length() + " characters");
        assertTrue(message.chars().noneMatch(Character::isISOControl), () -> what + ": a control character in "
                                                                             + message.substring(0,
                                                                                     Math.min(300, message.length())));
        String quoted = ResumeRejectedException.quoted(runId);
        if (e instanceof ResumeRejectedException r) {
            assertEquals(runId, r.getRunId(), what);
            assertTrue(message.startsWith("Cannot resume run " + quoted + ": "), () -> what + ": " + message);
            String why = switch (r.getReason()) {
                case UNKNOWN_RUN -> message.contains("no paused run with this id") ? "" : "no run id given";
                case NOT_PAUSED -> message.contains("not PAUSED") ? "" : "resumed concurrently";
                case INVALID_ANSWER -> "the answer";
            };
            assertTrue(message.contains(why), () -> what + ": the message does not say why: " + message);
        } else {
            assertTrue(message.contains(FlujoConstants.RUN) && message.contains("refusing to resume run " + quoted),
                    () -> what + ": " + message);
        }
    }

    /** A valid answer resumes the run, once, as it was stored. */
    private void assertResumesOnce(Target target) throws Exception {
        MockEndpoint after = after(target.store());
        int received = after.getReceivedCounter();

        Exchange out = send(target.store(), resume(target.pauseId(), () -> VALID));

        assertNull(out.getException(), () -> target.pauseId() + ": " + out.getException());
        assertEquals(received + 1, after.getReceivedCounter(), "the resumeUri route ran once");
        assertEquals(VALID_VALUE, after.getExchanges().get(after.getExchanges().size() - 1).getMessage().getBody());
        assertRunIsTheStoredOne(target, (FlujoRun) out.getProperty(FlujoConstants.RUN));
        assertEquals(RunStatus.RESUMED, store(target.store()).load(target.pauseId()).orElseThrow().status());
    }

    /** The resumed run is the stored one and nothing else: its id, history, usage and one answer. */
    private static void assertRunIsTheStoredOne(Target target, FlujoRun run) {
        PausedRun stored = target.stored();
        assertEquals(target.runId(), run.runId());
        assertEquals(stored.runId(), run.runId());
        List<StepResult> history = run.history();
        assertEquals(stored.history().size() + 1, history.size(), () -> "history " + history);
        assertEquals(stored.history(), history.subList(0, stored.history().size()), "the stored history, as stored");
        assertEquals("approve-" + target.store(), history.get(history.size() - 1).name());
        assertEquals(VALID_VALUE, history.get(history.size() - 1).output());
        assertEquals(stored.usage().totalTokens(), run.usage().totalTokens(), "the stored usage, no more");
        assertEquals(0, stored.usage().costOrZero().compareTo(run.usage().costOrZero()));
        assertEquals(1, run.humanHistory().size());
        assertEquals(stored.message(), run.humanHistory().get(0).message());
    }

    private static void count(Map<Reason, Integer> reasons, Exception e) {
        reasons.merge(((ResumeRejectedException) e).getReason(), 1, Integer::sum);
    }

    private static String tally(Map<Reason, Integer> reasons) {
        return reasons.entrySet().stream().map(r -> r.getValue() + " " + r.getKey()).collect(Collectors.joining(", "));
    }

    // --- payloads -----------------------------------------------------------------------------------------------

    /** A body that may be made once per use (a stream is read once). */
    private record Payload(String what, Supplier<Object> body) {
    }

    private static Payload text(String what, String text) {
        return new Payload(what, () -> text);
    }

    private static Payload bytes(String what, byte[] bytes) {
        return new Payload(what, () -> bytes.clone());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String answerWith(String field, String json) {
        return "{\"approved\": true, \"" + field + "\": " + json + "}";
    }

    /** Answers that are not JSON, or not JSON the schema can judge: each must be an INVALID_ANSWER. */
    private static List<Payload> malformed() {
        List<Payload> p = new ArrayList<>();
        for (int i = 0; i < VALID.length(); i++) {
            p.add(text("truncated to " + i + " characters", VALID.substring(0, i)));
        }
        for (String s : List.of("{", "}", "[", "]", "{{}", "{}}", "[[]", "[]]", "{\"approved\": true",
                "{\"approved\": true}}", "{\"approved\": [true}", "{\"approved\": true]", "[" + VALID, VALID + "]",
                "{" + VALID, VALID + "}", "{\"approved\": {\"a\": 1}", "\"unterminated", "{\"approved\": \"true}",
                "{\"approved\" true}", "{\"approved\": true \"note\": \"x\"}", "{\"approved\": true,}",
                "{,\"approved\": true}", "{\"approved\":: true}")) {
            p.add(text("unbalanced or broken: " + s, s));
        }
        for (String tail : List.of(" x", "x", ",", ", {}", "{}", "[]", " null", " true", " 1", "\u0000", ";", "\n}",
                " // c", " /* c */", " #c", "'", "\"", "\\", "<xml/>", "\u2028", "\u00a0{}", "\r\n\r\nGET / HTTP/1.1")) {
            p.add(text("trailing garbage " + tail.codePoints().mapToObj(Integer::toHexString).toList(), VALID + tail));
        }
        for (String s : List.of("/* c */" + VALID, "// c\n" + VALID, "# c\n" + VALID,
                VALID.replace(", \"note\"", " /* c */, \"note\""), VALID.replace("{", "{ // c\n"),
                VALID.replace("true", "true /**/"))) {
            p.add(text("a comment: " + s, s));
        }
        for (String s : List.of(VALID.replace('"', '\''), "{'approved': true}", "{\"approved\": true, \"note\": 'ok'}",
                "{approved: true}", "{\"approved\": True}", "{\"approved\": TRUE}", "{\"approved\": yes}")) {
            p.add(text("single quotes or bare words: " + s, s));
        }
        for (String number : List.of("NaN", "Infinity", "-Infinity", "+Infinity", "nan", "inf", "+1", "01", "-01",
                ".5", "5.", "0x10", "1e", "1e+", "-", "--1", "1_000", "1,5", "Infinity1")) {
            p.add(text("amount " + number, answerWith("amount", number)));
        }
        byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
        p.add(text("a BOM first", "\uFEFF" + VALID));
        p.add(text("a BOM last", VALID + "\uFEFF"));
        p.add(text("two BOMs", "\uFEFF\uFEFF" + VALID));
        p.add(text("a BOM inside", VALID.replace(", ", ",\uFEFF ")));
        p.add(bytes("a UTF-8 BOM in bytes", concat(bom, utf8(VALID))));
        p.add(bytes("UTF-16BE with a BOM", concat(new byte[] { (byte) 0xFE, (byte) 0xFF },
                VALID.getBytes(StandardCharsets.UTF_16BE))));
        p.add(bytes("UTF-16LE with a BOM", concat(new byte[] { (byte) 0xFF, (byte) 0xFE },
                VALID.getBytes(StandardCharsets.UTF_16LE))));
        p.add(bytes("UTF-16BE", VALID.getBytes(StandardCharsets.UTF_16BE)));
        p.add(bytes("UTF-32", VALID.getBytes(java.nio.charset.Charset.forName("UTF-32"))));
        List<byte[]> notUtf8 = List.of(new byte[] { (byte) 0xFF }, new byte[] { (byte) 0xFE }, new byte[] { (byte) 0x80 },
                new byte[] { (byte) 0xC3 }, new byte[] { (byte) 0xC0, (byte) 0xAF },
                new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                new byte[] { (byte) 0xE2, (byte) 0x82 }, new byte[] { (byte) 0xF0, (byte) 0x9F, (byte) 0x98 },
                new byte[] { (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
                new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
                new byte[] { (byte) 0xE9 }); // Latin-1 e-acute
        for (byte[] bad : notUtf8) {
            String hex = java.util.HexFormat.of().formatHex(bad);
            p.add(bytes("bytes " + hex + " in the note", concat(utf8("{\"approved\": true, \"note\": \"o"), bad,
                    utf8("k\"}"))));
            p.add(bytes("bytes " + hex + " first", concat(bad, utf8(VALID))));
            p.add(bytes("bytes " + hex + " last", concat(utf8(VALID), bad)));
            byte[] streamed = concat(utf8("{\"approved\": true, \"note\": \"o"), bad, utf8("k\"}"));
            p.add(new Payload("a stream with bytes " + hex, () -> new ByteArrayInputStream(streamed)));
        }
        for (String s : List.of("{\"approved\": false, \"approved\": true}", "{\"approved\": true, \"approved\": true}",
                "{\"approved\": true, \"note\": \"a\", \"note\": \"b\"}",
                "{\"approved\": true, \"note\": \"x\", \"priority\": \"low\", \"note\": \"y\"}")) {
            p.add(text("duplicate keys: " + s, s));
            p.add(bytes("duplicate keys as bytes: " + s, utf8(s)));
        }
        p.add(text("10,000 [ deep", "[".repeat(10_000)));
        p.add(text("10,000 [] deep", "[".repeat(10_000) + "]".repeat(10_000)));
        p.add(text("10,000 {\"a\": deep", "{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_000)));
        p.add(text("10,000 deep in the note", answerWith("note", "[".repeat(10_000) + "]".repeat(10_000))));
        p.add(bytes("10,000 deep as bytes", utf8("[".repeat(10_000) + "]".repeat(10_000))));
        String twentyMb = "a".repeat(20 * MB);
        p.add(text("a 20 MB note", answerWith("note", "\"" + twentyMb + "\"")));
        p.add(text("20 MB of text", twentyMb));
        p.add(text("a 20 MB unterminated string", "\"" + twentyMb));
        p.add(text("a 20 MB key", "{\"" + twentyMb + "\": true}"));
        for (String blank : List.of("", " ", "\n\t\r ", "\u00a0", "\u2003", "\u0000")) {
            p.add(text("blank " + blank.codePoints().mapToObj(Integer::toHexString).toList(), blank));
        }
        p.add(bytes("no bytes", new byte[0]));
        p.add(bytes("a blank byte", utf8(" ")));
        p.add(new Payload("a null body", () -> null));
        p.add(new Payload("a Thread", () -> new Thread(() -> {
        })));
        p.add(new Payload("a stream of garbage", () -> new ByteArrayInputStream(utf8("garbage{"))));
        p.add(new Payload("an empty stream", () -> new ByteArrayInputStream(new byte[0])));
        p.add(new Payload("a stream 10,000 deep", () -> new ByteArrayInputStream(utf8("[".repeat(10_000)))));
        p.add(new Payload("a Map that contains itself", () -> {
            Map<String, Object> self = new HashMap<>();
            self.put("approved", true);
            self.put("self", self);
            return self;
        }));
        p.add(new Payload("a List that contains itself", () -> {
            List<Object> self = new ArrayList<>();
            self.add(self);
            return self;
        }));
        p.add(new Payload(
                "a Map with a stream in it", () -> Map.of("approved", true, "note",
                        new ByteArrayInputStream(new byte[1]))));
        p.add(new Payload("an Object", Object::new));
        p.add(new Payload("an Optional", () -> Optional.of(VALID)));
        p.add(new Payload("a lambda", () -> (Runnable) () -> {
        }));
        p.add(new Payload("a Map with NaN", () -> Map.of("approved", true, "amount", Double.NaN)));
        p.add(new Payload("a Map with Infinity", () -> Map.of("approved", true, "amount", Double.POSITIVE_INFINITY)));
        return p;
    }

    /** JSON answers that break the schema: each must be an INVALID_ANSWER. */
    private static List<Payload> violations() {
        List<Payload> p = new ArrayList<>();
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        wrong.put("approved", List.of("\"yes\"", "1", "0", "null", "[]", "{}", "\"true\"", "1.0", "[true]"));
        wrong.put("note", List.of("1", "true", "null", "[]", "{}", "[\"ok\"]", "\"" + "a".repeat(101) + "\""));
        wrong.put("priority", List.of("\"LOW\"", "\"medium\"", "\"\"", "\" low\"", "1", "null", "[\"low\"]", "true"));
        wrong.put("amount", List.of("\"12\"", "true", "null", "[]", "{}", "-1", "100.01", "-0.01", "12.345", "0.001",
                "1e400", "-1e400", "1e19", "-1e19", "1e999999999", "-1e999999999", "1e-999999999", "1e1000000",
                "1e100000", "100000000000000000000000000000", "1E+1001"));
        wrong.put("count", List.of("1.5", "\"3\"", "11", "-1", "1e19", "-1e19", "1.5e19", "1e400", "-1e400",
                "10000000000000000000", "-10000000000000000000", "99999999999999999999999999", "1e999999999",
                "9223372036854775808", "9.3e18", "true", "[3]"));
        wrong.forEach((field, values) -> values.forEach(v -> p.add(text(field + " " + (v.length() > 40
                ? v.substring(0, 40) + "..." : v), answerWith(field, v)))));
        for (String s : List.of("{}", "{\"note\": \"x\"}", "{\"Approved\": true}", "{\"approved \": true}",
                "{\"priority\": \"low\", \"count\": 1}")) {
            p.add(text("missing approved: " + s, s));
        }
        for (String key : List.of("x", "Approved", "__proto__", "constructor", "approved\u0000", "line\nbreak",
                "\u001b[31mred", "", "a".repeat(10_000), "$ref", "note ")) {
            String escaped = key.replace("\u0000", "\\u0000").replace("\n", "\\n").replace("\u001b", "\\u001b");
            p.add(text("an additional property " + (key.length() > 20 ? key.length() + " chars" : escaped),
                    "{\"approved\": true, \"" + escaped + "\": {\"admin\": true}}"));
        }
        StringBuilder many = new StringBuilder("{\"approved\": true");
        for (int i = 0; i < 5_000; i++) {
            many.append(", \"extra").append(i).append("\": ").append(i);
        }
        p.add(text("5,000 additional properties", many.append('}').toString()));
        for (String s : List.of("[]", "[" + VALID + "]", "[{\"approved\": true}]", "\"string\"", "42", "true", "false",
                "null", "\"" + VALID.replace("\"", "\\\"") + "\"", "-0", "1e400")) {
            p.add(text("not an object: " + (s.length() > 40 ? s.substring(0, 40) + "..." : s), s));
        }
        p.add(new Payload("a Map with approved \"yes\"", () -> Map.of("approved", "yes")));
        p.add(new Payload("an empty Map", Map::of));
        p.add(new Payload("a List of the answer", () -> List.of(VALID_VALUE)));
        p.add(new Payload("a Map with an extra key", () -> Map.of("approved", true, "extra", 1)));
        p.add(new Payload("a Map with count 1E+19", () -> Map.of("approved", true, "count", new BigDecimal("1E+19"))));
        p.add(new Payload(
                "a Map with a 2,001-digit amount", () -> Map.of("approved", true, "amount",
                        BigInteger.TEN.pow(2_000))));
        p.add(new Payload("a Map with count Long.MAX_VALUE", () -> Map.of("approved", true, "count", Long.MAX_VALUE)));
        p.add(new Payload("a Map with amount 1e300", () -> Map.of("approved", true, "amount", 1e300)));
        p.add(new Payload("an Integer", () -> 42));
        p.add(new Payload("a Boolean", () -> Boolean.TRUE));
        p.add(new Payload("a Class", () -> String.class));
        return p;
    }

    // --- the families -------------------------------------------------------------------------------------------

    private String answers(String family, List<Payload> payloads) throws Exception {
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int tried = 0;
        for (String store : STORES) {
            Target target = pause(store);
            after(store).expectedMessageCount(1);
            for (Payload payload : payloads) {
                String what = store + ", " + family + ": " + payload.what();
                ResumeRejectedException e = attack(target, what, resume(target.pauseId(), payload.body()),
                        ResumeRejectedException.class, target.pauseId());
                assertEquals(Reason.INVALID_ANSWER, e.getReason(), what);
                count(reasons, e);
                tried++;
            }
            assertResumesOnce(target);
            after(store).assertIsSatisfied();
        }
        return tried + " payloads (" + payloads.size() + " per store): all refused, " + tally(reasons)
               + ", naming the run; the stored run byte for byte unchanged; resumeUri never called; every call back"
               + " within " + BOUND_SECONDS + " s; then the valid answer resumed the run once";
    }

    @Test
    void malformedJsonAnswersAreRefusedAndTheRunStaysAsItWas() throws Exception {
        String figure = answers("malformed", malformed());
        ReliabilityFigures.record(Section.BAD_INPUT, "flujo:resume answers that are not JSON (truncated, unbalanced,"
                                                     + " trailing garbage, comments, single quotes, NaN/Infinity, BOMs, UTF-16, invalid UTF-8 as bytes and"
                                                     + " streams, duplicate keys, 10,000-deep nesting, 20 MB strings and keys, empty, blank, null, a Thread,"
                                                     + " streams, self-referencing maps and lists), SQLite and in-memory store",
                figure, getClass());
    }

    @Test
    void answersBreakingTheSchemaAreRefusedAndTheRunStaysAsItWas() throws Exception {
        String figure = answers("schema", violations());
        ReliabilityFigures.record(Section.BAD_INPUT, "flujo:resume answers breaking the schema (wrong types, missing"
                                                     + " required, additional properties incl. 5,000 of them and control characters in keys, enum"
                                                     + " violations, numbers out of range, 1e400, 1e19 against an integer maximum, 1e999999999 under"
                                                     + " multipleOf, arrays and scalars instead of objects), SQLite and in-memory store",
                figure,
                getClass());
    }

    @Test
    void unknownRunIdsAreRefusedAndNoStoredRunIsTouched() throws Exception {
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int tried = 0;
        for (String store : STORES) {
            Target target = pause(store);
            after(store).expectedMessageCount(1);
            String id = target.pauseId();
            String token = id.substring(id.lastIndexOf('.') + 1);
            Map<String, Object> headers = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                String uuid = UUID.randomUUID().toString();
                headers.put("random UUID " + i, uuid);
            }
            for (String sql : List.of("' OR '1'='1", "' OR 1=1 --", "x'; DROP TABLE " + JdbcStateStore.TABLE + "; --",
                    "\" OR \"\"=\"", id + "' OR '1'='1", "' UNION SELECT state, status FROM " + JdbcStateStore.TABLE
                                                         + " --",
                    id + "'--", "1; UPDATE " + JdbcStateStore.TABLE + " SET status='PAUSED'")) {
                headers.put("SQL " + sql, sql);
            }
            for (String like : List.of("%", "_", "%%", "*", "?", ".*", id.substring(0, 10) + "%",
                    "_".repeat(id.length()), id.substring(0, id.length() - 1) + "_", id.substring(0, id.length() - 1)
                                                                                     + "%",
                    "[a-z]%", "\\%")) {
                headers.put("wildcard " + like, like);
            }
            for (String path : List.of("../../etc/passwd", "..\\..\\windows\\win.ini", "/" + id, id + "/../x",
                    "%2e%2e%2f%2e%2e%2f", "file:///etc/passwd", "./" + id, id + "/.", "~/" + id, "/dev/zero")) {
                headers.put("path " + path, path);
            }
            headers.put("a 1 MB id", "x".repeat(MB));
            headers.put("the id and 1 MB", id + "x".repeat(MB));
            for (char c = 0; c < 0x20; c++) {
                headers.put("the id and control character " + (int) c, id + c);
            }
            headers.put("the id and DEL", id + '\u007f');
            headers.put("NUL and the id", "\u0000" + id);
            headers.put("the id with a newline inside", id.substring(0, 8) + "\n" + id.substring(8));
            headers.put("an ANSI escape", "\u001b[2J\u001b[31m" + id);
            headers.put("a bidi override", id + "\u202e");
            headers.put("a zero-width space", id + "\u200b");
            for (int i = 0; i < id.length(); i++) {
                headers.put("the prefix of " + i + " characters", id.substring(0, i));
                headers.put("the suffix from " + (i + 1), id.substring(i + 1));
            }
            headers.put("the id and x", id + "x");
            headers.put("x and the id", "x" + id);
            headers.put("a space and the id", " " + id);
            headers.put("the id and a space", id + " ");
            headers.put("the id upper-cased", id.toUpperCase(Locale.ROOT));
            headers.put("the id twice", id + id);
            headers.put("the run id", target.runId());
            for (String n : List.of("0", "1", "2", "3", "-1", "01", "99999999999999999999", "2.5", "")) {
                headers.put("pause number ." + n, target.runId() + "." + n);
                headers.put("pause number ." + n + " and the token", target.runId() + "." + n + "." + token);
            }
            headers.put("blank", "");
            headers.put("spaces", "   ");
            headers.put("a tab", "\t");
            headers.put("missing", null);
            headers.put("an Integer", 42);
            headers.put("a Long", 7L);
            headers.put("a Boolean", Boolean.TRUE);
            headers.put("a UUID object", UUID.randomUUID());
            headers.put("a List of the id", List.of(id));
            headers.put("a List of the id and more", List.of(id, "x"));
            headers.put("an array of the id", new String[] { id });
            headers.put("a Map of the id", Map.of(id, id));
            headers.put("an Optional of the id", Optional.of(id));
            headers.put("an Object", new Object());
            for (Map.Entry<String, Object> header : headers.entrySet()) {
                String what = store + ", unknown id: " + header.getKey();
                Object value = header.getValue();
                String read = value == null ? null : context.getTypeConverter().convertTo(String.class, value);
                ResumeRejectedException e = attack(target, what, resume(value, () -> VALID),
                        ResumeRejectedException.class, String.valueOf(read));
                assertEquals(Reason.UNKNOWN_RUN, e.getReason(), what);
                count(reasons, e);
                tried++;
            }
            assertResumesOnce(target);
            after(store).assertIsSatisfied();
        }
        ReliabilityFigures.record(Section.BAD_INPUT, "flujo:resume with unknown run ids (random UUIDs, SQL injection,"
                                                     + " LIKE wildcards, path traversal, 1 MB ids, every control character and NUL, prefixes and suffixes of"
                                                     + " the real pause id, the run id alone, wrong pause numbers, blank and missing headers, Integer, List,"
                                                     + " array and Map headers), SQLite and in-memory store",
                tried + " ids: all " + tally(reasons)
                                                                                                              + ", the message quoting the id escaped and cut; no stored run touched (every SQLite row byte for byte);"
                                                                                                              + " resumeUri never called; then the real pause id resumed the run once",
                getClass());
    }

    @Test
    void aReplayedResumeIsRefusedAndConcurrentResumesContinueTheRunOnce() throws Exception {
        int twice = 0;
        int rounds = 10;
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (String store : STORES) {
                MockEndpoint after = after(store);
                for (int i = 0; i < 5; i++) {
                    Target target = pause(store);
                    assertResumesOnce(target);
                    Target resumed = new Target(store, target.pauseId(), target.runId(), target.stored());
                    for (int again = 0; again < 3; again++) {
                        ResumeRejectedException e = attack(resumed, store + ": the same resume again",
                                resume(target.pauseId(), () -> VALID), ResumeRejectedException.class,
                                target.pauseId());
                        assertEquals(Reason.NOT_PAUSED, e.getReason());
                        twice++;
                    }
                }
                for (int round = 0; round < rounds; round++) {
                    Target target = pause(store);
                    int received = after.getReceivedCounter();
                    CountDownLatch ready = new CountDownLatch(callers);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Exchange>> replies = new ArrayList<>();
                    for (int c = 0; c < callers; c++) {
                        replies.add(pool.submit(() -> {
                            ready.countDown();
                            go.await();
                            return template.send("direct:resume-" + store, resume(target.pauseId(), () -> VALID));
                        }));
                    }
                    assertTrue(ready.await(BOUND_SECONDS, TimeUnit.SECONDS), "the callers did not start");
                    go.countDown();
                    int continued = 0;
                    for (Future<Exchange> reply : replies) {
                        Exchange out = reply.get(BOUND_SECONDS, TimeUnit.SECONDS);
                        if (out.getException() == null) {
                            continued++;
                            assertRunIsTheStoredOne(target, (FlujoRun) out.getProperty(FlujoConstants.RUN));
                        } else {
                            ResumeRejectedException e = assertInstanceOf(ResumeRejectedException.class,
                                    out.getException());
                            assertEquals(Reason.NOT_PAUSED, e.getReason(), e.getMessage());
                            assertClear(store + ": a concurrent resume", e, target.pauseId());
                        }
                    }
                    assertEquals(1, continued, store + ", round " + round + ": resumes that continued the run");
                    assertEquals(received + 1, after.getReceivedCounter(), "the resumeUri route ran once");
                    assertEquals(RunStatus.RESUMED, store(store).load(target.pauseId()).orElseThrow().status());
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(BOUND_SECONDS, TimeUnit.SECONDS));
        }
        ReliabilityFigures.record(Section.BAD_INPUT, "flujo:resume replayed: the same resume again, and " + callers
                                                     + " concurrent resumes of one run released together by a latch, SQLite and in-memory store",
                twice
                                                                                                                                                  + " repeats of a resume: all NOT_PAUSED, the resumed row unchanged, resumeUri not called again; "
                                                                                                                                                  + rounds
                                                                                                                                                    * STORES.size()
                                                                                                                                                  + " rounds of "
                                                                                                                                                  + callers
                                                                                                                                                  + " concurrent resumes: each continued the run"
                                                                                                                                                  + " exactly once (resumeUri once), the other "
                                                                                                                                                  + (callers
                                                                                                                                                     - 1)
                                                                                                                                                  + " NOT_PAUSED",
                getClass());
    }

    @Test
    void aForgedRunPropertyIsRefusedAndAnotherRunIsNeverMixedIn() throws Exception {
        int refused = 0;
        int replaced = 0;
        for (String store : STORES) {
            Target target = pause(store);
            Exchange otherPaused = template.request("direct:ask-" + store, e -> e.getMessage().setBody("other"));
            FlujoRun other = (FlujoRun) otherPaused.getProperty(FlujoConstants.RUN);
            String otherPauseId = otherPaused.getMessage().getHeader(FlujoConstants.RUN_ID, String.class);
            List<Object> forgeries = new ArrayList<>(
                    List.of("forged", "", target.runId(), target.pauseId(),
                            Map.of("runId", target.runId()), Map.of(), List.of(), 42, new Object(), new StringBuilder("run"),
                            Optional.of(other), List.of(other), Map.of("run", other),
                            StateCodec.write(target.stored())));
            for (Object forged : forgeries) {
                String what = store + ", forged " + FlujoConstants.RUN + ": a " + forged.getClass().getName();
                attack(target, what, e -> {
                    resume(target.pauseId(), () -> VALID).process(e);
                    e.setProperty(FlujoConstants.RUN, forged);
                }, FlujoConfigurationException.class, target.pauseId());
                refused++;
            }

            // a genuine run: another run's, and one claiming the target's own id with a made-up history and usage
            FlujoRun impostor = FlujoRun.restore(target.runId(), List.of(new StepResult(
                    "draft-" + store, "forged",
                    true, 1, 0, Usage.tokens(999_999, 999_999), null, null, null, null)),
                    Usage.tokens(999_999, 999_999), null, List.of());
            int otherHistory = other.history().size();
            long otherTokens = other.usage().totalTokens();
            Target second = pause(store);
            for (Object[] genuine : new Object[][] { { target, other }, { second, impostor } }) {
                Target resumed = (Target) genuine[0];
                Snapshot otherBefore = snapshot(new Target(store, otherPauseId, other.runId(), null));
                int received = after(store).getReceivedCounter();
                Exchange out = send(store, e -> {
                    resume(resumed.pauseId(), () -> VALID).process(e);
                    e.setProperty(FlujoConstants.RUN, genuine[1]);
                });
                assertNull(out.getException(), () -> String.valueOf(out.getException()));
                assertEquals(received + 1, after(store).getReceivedCounter(), "the resumeUri route ran once");
                FlujoRun run = (FlujoRun) out.getProperty(FlujoConstants.RUN);
                assertTrue(run != genuine[1], "the stored run replaces the one the exchange carried");
                assertRunIsTheStoredOne(resumed, run);
                assertEquals(RunStatus.RESUMED, store(store).load(resumed.pauseId()).orElseThrow().status());
                Snapshot otherAfter = snapshot(new Target(store, otherPauseId, other.runId(), null));
                assertEquals(otherBefore.target(), otherAfter.target(), "the other run as stored");
                assertEquals(otherBefore.targetJson(), otherAfter.targetJson());
                assertEquals(otherBefore.rows().get(otherPauseId), otherAfter.rows().get(otherPauseId), "its row");
                replaced++;
            }
            assertEquals(otherHistory, other.history().size(), "the other run is not written to");
            assertEquals(otherTokens, other.usage().totalTokens());
            assertEquals(RunStatus.PAUSED, store(store).load(otherPauseId).orElseThrow().status());
            Exchange otherResumed = send(store, resume(otherPauseId, () -> VALID));
            assertNull(otherResumed.getException(), () -> String.valueOf(otherResumed.getException()));
            assertEquals(other.runId(), ((FlujoRun) otherResumed.getProperty(FlujoConstants.RUN)).runId());
        }
        ReliabilityFigures.record(Section.BAD_INPUT, "flujo:resume with a forged " + FlujoConstants.RUN + " property"
                                                     + " (text, the run or pause id, maps, lists, numbers, an Optional or List of a run, the stored JSON),"
                                                     + " SQLite and in-memory store",
                refused + " forgeries: all FlujoConfigurationException naming the run,"
                                                                                      + " the stored run byte for byte unchanged, resumeUri never called; "
                                                                                      + replaced + " genuine runs of"
                                                                                      + " another run or claiming the run's id with made-up history and usage: replaced by the stored run"
                                                                                      + " (id, history, usage exactly the stored ones), the other run untouched",
                getClass());
    }

    @Test
    void noPauseIdCanBeDerivedFromAnother() throws Exception {
        Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
        int tried = 0;
        boolean runIdsDerivable = false;
        for (String store : STORES) {
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                targets.add(pause(store));
            }
            Set<String> pauseIds = targets.stream().map(Target::pauseId).collect(Collectors.toSet());
            Set<String> runIds = targets.stream().map(Target::runId).collect(Collectors.toSet());
            for (Target known : targets) {
                String token = known.pauseId().substring(known.runId().length() + 1);
                Set<String> guesses = new LinkedHashSet<>();
                for (String neighbour : neighbours(known.runId(), 10)) {
                    runIdsDerivable |= !neighbour.equals(known.runId()) && runIds.contains(neighbour);
                    guesses.add(neighbour);
                    guesses.add(neighbour + ".2");
                    guesses.add(neighbour + "." + token);
                    guesses.add(neighbour + ".2." + token);
                }
                for (int bit = 0; bit < 128; bit++) {
                    BigInteger flipped = new BigInteger(token, 16).flipBit(bit);
                    String hex = flipped.toString(16);
                    guesses.add(known.runId() + "." + "0".repeat(32 - hex.length()) + hex);
                }
                for (int cut = 0; cut < 32; cut++) {
                    guesses.add(known.runId() + "." + token.substring(0, cut));
                }
                guesses.add(known.runId() + "." + token.toUpperCase(Locale.ROOT));
                guesses.add(known.runId() + "." + token + "0");
                guesses.add(known.runId() + "." + new StringBuilder(token).reverse());
                guesses.removeAll(pauseIds);
                for (String guess : guesses) {
                    ResumeRejectedException e = attack(known, store + ": a guess from " + known.pauseId() + ": "
                                                              + guess,
                            resume(guess, () -> VALID), ResumeRejectedException.class, guess);
                    assertEquals(Reason.UNKNOWN_RUN, e.getReason(), guess);
                    count(reasons, e);
                    tried++;
                }
            }
            for (Target target : targets) {
                assertResumesOnce(target);
            }
        }
        assertTrue(runIdsDerivable, "the premise: run ids (Camel's exchange ids) are neighbours on a counter");
        ReliabilityFigures.record(Section.BAD_INPUT, "flujo:resume with pause ids derived from a known one: run ids"
                                                     + " counted up and down (Camel's exchange ids are a counter, so the other runs' ids were among them),"
                                                     + " as old-style pause ids and with the known token; the token with each of its 128 bits flipped, cut,"
                                                     + " upper-cased, reversed",
                tried + " guesses: all " + tally(reasons) + ", no stored run touched,"
                                                                                 + " resumeUri never called; every real pause id then resumed its run once",
                getClass());
    }

    /** Ids a caller who saw one run id would try: the counter after its last '-', counted up and down. */
    private static List<String> neighbours(String runId, int distance) {
        int dash = runId.lastIndexOf('-');
        String prefix = runId.substring(0, dash + 1);
        String counter = runId.substring(dash + 1);
        long value = Long.parseLong(counter, 16);
        List<String> ids = new ArrayList<>();
        for (long delta = -distance; delta <= distance; delta++) {
            String hex = Long.toHexString(value + delta).toUpperCase(Locale.ROOT);
            ids.add(prefix + "0".repeat(Math.max(0, counter.length() - hex.length())) + hex);
        }
        return ids;
    }
}
