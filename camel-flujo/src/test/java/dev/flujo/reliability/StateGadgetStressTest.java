package dev.flujo.reliability;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flujo.camel.FlujoConstants;
import dev.flujo.core.FlujoException;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.PausedRun;
import dev.flujo.core.state.RunStatus;
import dev.flujo.core.state.StateCodec;
import dev.flujo.core.usage.UsageLimits;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stored state is read without polymorphic typing: deserialization gadgets written straight into the SQLite store's
 * table (rows as the store writes them: run_id, status, state JSON, updated_at) - Jackson default-typing payloads
 * ({@code "@class"} properties, {@code ["java.util.HashMap", {...}]} wrapper arrays) naming a probe class whose static
 * initialiser, constructor and setters record that they ran, {@code java.net.URL} and
 * {@code com.sun.rowset.JdbcRowSetImpl} - are refused on load, on claim and on {@code flujo:resume} with a clear error,
 * leaving the row paused, when they stand where the state has a type (the run itself, a step result, the usage, the
 * limits, a human interaction, the pause time); where the state holds free JSON values (context, input, outputs,
 * metadata, answers) such JSON is data, restored as maps, lists and strings. The probe class is never initialised,
 * constructed or set.
 */
@Tag("stress")
class StateGadgetStressTest extends CamelTestSupport {

    /** What the probe class did; its initialiser, constructor and setters write here. */
    static final Set<String> PROBE_RAN = ConcurrentHashMap.newKeySet();
    /** Named only as text: the test never touches the class itself. */
    private static final String PROBE = "dev.flujo.reliability.StateGadgetStressTest$Probe";

    /** A gadget: any use of it is recorded. */
    public static final class Probe {
        static {
            PROBE_RAN.add("static initialiser");
        }

        public Probe() {
            PROBE_RAN.add("constructor");
        }

        public Probe(String value) {
            PROBE_RAN.add("constructor(String)");
        }

        public void setArmed(boolean armed) {
            PROBE_RAN.add("setter");
        }

        public void setDataSourceName(String name) {
            PROBE_RAN.add("setter");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String stateUrl() {
        return "jdbc:sqlite:" + dir.resolve("state.db");
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:resume").to("flujo:resume?stateUrl=" + stateUrl());
                from("direct:after").to("mock:after");
            }
        };
    }

    /** A paused run with something in every part of the state, as the store writes it. */
    private static ObjectNode baseline(String runId) throws Exception {
        StepResult research = new StepResult(
                "research", Map.of("facts", List.of("a")), true, 1, 10,
                Usage.of(10, 5, new BigDecimal("0.001")), List.of(), Map.of(StepResult.META_CACHE_HIT, false),
                Map.of("notes", "n"), List.of());
        PausedRun run = new PausedRun(
                runId, RunStatus.PAUSED, "approve", "ok?", null, "direct:after", "q",
                Map.of("tenant", "acme"), List.of(research), Usage.of(10, 5, new BigDecimal("0.001")),
                new UsageLimits(new BigDecimal("0.10"), 5_000L),
                List.of(new HumanInteraction("earlier", "sure?", "yes", Instant.parse("2026-01-01T00:00:00Z"))),
                Instant.parse("2026-01-02T00:00:00Z"));
        return (ObjectNode) JSON.readTree(StateCodec.write(run));
    }

    private static ArrayNode typed(String className, JsonNode value) {
        return JSON.createArrayNode().add(className).add(value);
    }

    private static ObjectNode classed(String className, ObjectNode value) {
        ObjectNode node = JSON.createObjectNode().put("@class", className);
        node.setAll(value);
        return node;
    }

    private static ObjectNode armed() {
        return JSON.createObjectNode().put("armed", true).put("dataSourceName", "ldap://127.0.0.1:1/gadget");
    }

    /** Gadgets where the state has a type: each row must be refused. */
    private static Map<String, Consumer<ObjectNode>> typedPositions() {
        Map<String, Consumer<ObjectNode>> gadgets = new LinkedHashMap<>();
        gadgets.put("@class on the run", s -> s.put("@class", PROBE));
        gadgets.put("@type on the run", s -> s.put("@type", PROBE));
        gadgets.put("@class on a step result", s -> ((ArrayNode) s.get("history")).set(0,
                classed(PROBE, (ObjectNode) s.get("history").get(0))));
        gadgets.put("typed array as a step result", s -> ((ArrayNode) s.get("history")).set(0,
                typed(PROBE, s.get("history").get(0))));
        gadgets.put("typed array as the usage", s -> s.set("usage", typed(PROBE, s.get("usage"))));
        gadgets.put("@class on the limits", s -> s.set("limits", classed(PROBE, (ObjectNode) s.get("limits"))));
        gadgets.put("typed array as a human interaction", s -> ((ArrayNode) s.get("humanHistory")).set(0,
                typed(PROBE, s.get("humanHistory").get(0))));
        gadgets.put("typed array as the pause time", s -> s.set("pausedAt", typed(PROBE, s.get("pausedAt"))));
        gadgets.put("typed array as the status", s -> s.set("status", typed(PROBE, s.get("status"))));
        gadgets.put("java.net.URL as the usage", s -> s.set("usage", typed("java.net.URL",
                JSON.getNodeFactory().textNode("http://127.0.0.1:1/gadget"))));
        gadgets.put("JdbcRowSetImpl as the limits", s -> s.set("limits", typed("com.sun.rowset.JdbcRowSetImpl",
                JSON.createObjectNode().put("dataSourceName", "ldap://127.0.0.1:1/gadget").put("autoCommit", true))));
        gadgets.put("java.util.HashMap as the context", s -> s.set("context", typed("java.util.HashMap",
                classed(PROBE, armed()))));
        return gadgets;
    }

    /** The whole row one gadget. */
    private static Map<String, String> wholeRows() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("the run as a typed array", typed(PROBE, baseline("x")).toString());
        rows.put("the run as JdbcRowSetImpl", typed("com.sun.rowset.JdbcRowSetImpl", armed()).toString());
        rows.put("the run as java.net.URL", typed("java.net.URL", JSON.getNodeFactory()
                .textNode("http://127.0.0.1:1/gadget")).toString());
        rows.put("the run as an @class object", classed(PROBE, armed()).toString());
        return rows;
    }

    /** Gadget-shaped JSON where the state holds free values: data, never a class. */
    private static Map<String, Consumer<ObjectNode>> freeValues() {
        Map<String, Consumer<ObjectNode>> values = new LinkedHashMap<>();
        values.put("context", s -> {
            ((ObjectNode) s.get("context")).set("classed", classed(PROBE, armed()));
            ((ObjectNode) s.get("context")).set("typed", typed(PROBE, armed()));
            ((ObjectNode) s.get("context")).set("rowSet", typed("com.sun.rowset.JdbcRowSetImpl", armed()));
        });
        values.put("input", s -> s.set("input", typed("java.util.HashMap", classed(PROBE, armed()))));
        values.put("step output, metadata and writes", s -> {
            ObjectNode r = (ObjectNode) s.get("history").get(0);
            r.set("output", classed(PROBE, armed()));
            ((ObjectNode) r.get("metadata")).set("gadget", typed(PROBE, armed()));
            ((ObjectNode) r.get("contextUpdates")).set("gadget", typed("java.net.URL",
                    JSON.getNodeFactory().textNode("http://127.0.0.1:1/gadget")));
        });
        values.put("a human answer", s -> ((ObjectNode) s.get("humanHistory").get(0)).set("answer",
                typed(PROBE, armed())));
        return values;
    }

    private void insert(String runId, String state) throws Exception {
        try (Connection c = DriverManager.getConnection(stateUrl());
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + JdbcStateStore.TABLE
                                                       + " (run_id, status, state, updated_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, runId);
            ps.setString(2, RunStatus.PAUSED.name());
            ps.setString(3, state);
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    private String status(String runId) throws Exception {
        try (Connection c = DriverManager.getConnection(stateUrl());
             PreparedStatement ps = c.prepareStatement("SELECT status FROM " + JdbcStateStore.TABLE
                                                       + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), runId);
                return rs.getString(1);
            }
        }
    }

    private Exchange resume(String runId) {
        return template.send("direct:resume", e -> {
            e.getMessage().setHeader(FlujoConstants.RUN_ID, runId);
            e.getMessage().setBody("{\"approved\": true}");
        });
    }

    @Test
    void gadgetsInTheStateStoreAreRefusedOrInertAndNoNamedClassIsEverInitialised() throws Exception {
        JdbcStateStore store = new JdbcStateStore(stateUrl());
        store.pausedRunIds(); // the table, as the store creates it
        MockEndpoint after = getMockEndpoint("mock:after");

        Map<String, String> refused = new LinkedHashMap<>(wholeRows());
        for (Map.Entry<String, Consumer<ObjectNode>> gadget : typedPositions().entrySet()) {
            ObjectNode state = baseline("x");
            gadget.getValue().accept(state);
            refused.put(gadget.getKey(), state.toString());
        }
        int n = 0;
        for (Map.Entry<String, String> row : refused.entrySet()) {
            String runId = "gadget-" + n++;
            insert(runId, row.getValue().replace("\"runId\":\"x\"", "\"runId\":\"" + runId + "\""));
            String what = row.getKey();

            FlujoException onLoad = assertThrows(FlujoException.class, () -> store.load(runId), what);
            assertTrue(onLoad.getMessage().startsWith("Stored state is not a valid paused run: "),
                    () -> what + ": " + onLoad.getMessage());
            assertThrows(FlujoException.class, () -> store.claim(runId), what);
            assertEquals("PAUSED", status(runId), what + ": a refused claim leaves the row as it was");
            Exchange resumed = resume(runId);
            assertInstanceOf(FlujoException.class, resumed.getException(), what);
            assertTrue(resumed.getException().getMessage().contains("not a valid paused run"),
                    () -> what + ": " + resumed.getException().getMessage());
            assertEquals("PAUSED", status(runId), what);
        }
        assertEquals(0, after.getReceivedCounter(), "no refused run continued");

        for (Map.Entry<String, Consumer<ObjectNode>> value : freeValues().entrySet()) {
            String runId = "free-" + n++;
            ObjectNode state = baseline(runId);
            value.getValue().accept(state);
            insert(runId, state.toString());
            PausedRun loaded = store.load(runId).orElseThrow();
            assertOnlyJsonData(value.getKey(), loaded.context());
            assertOnlyJsonData(value.getKey(), loaded.input());
            assertOnlyJsonData(value.getKey(), loaded.history().get(0).output());
            assertOnlyJsonData(value.getKey(), loaded.history().get(0).metadata());
            assertOnlyJsonData(value.getKey(), loaded.history().get(0).contextUpdates());
            assertOnlyJsonData(value.getKey(), loaded.humanHistory().get(0).answer());
            assertNull(resume(runId).getException(), value.getKey());
        }
        assertEquals(freeValues().size(), after.getReceivedCounter());
        for (Exchange e : after.getReceivedExchanges()) {
            e.getProperties().forEach((key, v) -> {
                if (!key.startsWith("Camel")) {
                    assertOnlyJsonData("restored property " + key, v);
                }
            });
            assertOnlyJsonData("restored history", e.getProperty(FlujoConstants.RUN, FlujoRun.class).history().stream()
                    .map(r -> List.of(String.valueOf(r.name()), r.output() == null ? "" : r.output(), r.metadata()))
                    .toList());
        }

        assertTrue(PROBE_RAN.isEmpty(), "the probe class ran: " + PROBE_RAN);
        ReliabilityFigures.record(ReliabilityFigures.Section.SECURITY,
                refused.size() + " deserialization gadgets written into the SQLite store's table (Jackson"
                                                                       + " default-typing @class/@type and [class, value] arrays naming a probe class, java.net.URL,"
                                                                       + " com.sun.rowset.JdbcRowSetImpl, java.util.HashMap) where the state has a type",
                "all refused on load, claim and flujo:resume (\"Stored state is not a valid paused run: ...\"), the"
                                                                                                                                                          + " rows left PAUSED; "
                                                                                                                                                          + freeValues()
                                                                                                                                                                  .size()
                                                                                                                                                          + " runs with the same JSON in free values"
                                                                                                                                                          + " (context, input, outputs, metadata, answers) restored as plain maps, lists and strings;"
                                                                                                                                                          + " the probe class never initialised, constructed or set",
                getClass());
    }

    /** Only what plain JSON reads into: maps, lists, strings, numbers, booleans, null. */
    private static void assertOnlyJsonData(String where, Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                assertInstanceOf(String.class, k, where);
                assertOnlyJsonData(where, v);
            });
            return;
        }
        if (value instanceof List<?> list) {
            list.forEach(v -> assertOnlyJsonData(where, v));
            return;
        }
        throw new AssertionError(where + ": a " + value.getClass().getName() + " came out of stored JSON");
    }
}
