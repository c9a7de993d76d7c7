package dev.flujo.core.state;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flujo.core.result.StepResult;
import dev.flujo.core.result.Usage;
import dev.flujo.core.run.FlujoRun;
import dev.flujo.core.run.HumanInteraction;
import dev.flujo.core.state.ResumeRejectedException.Reason;

/**
 * Continues runs paused by a human step: checks the answer, claims the run (once, across JVMs) and restores it.
 *
 * <p>
 * Order matters: the answer is checked before the run is claimed, so a bad answer leaves the run paused for a better
 * one; the claim is the store's compare-and-set, so of two resumes of one run exactly one wins.
 *
 * <p>
 * Answers: text (a String or bytes) is read as JSON; when the run has no schema, text that is not JSON is taken as a
 * plain string answer. Other values (maps, lists, numbers, booleans) are taken as JSON values. Text with a key twice in
 * one object is not JSON. Bytes that are not UTF-8, NaN and infinities, and numbers beyond 1E&plusmn;1000 are refused
 * whether or not there is a schema: each is an answer no check could judge as the person meant it.
 */
public final class ResumeService {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // {"approved": false, "approved": true} is ambiguous: refused, never read as its last value
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final StateStore store;
    private final Clock clock;

    public ResumeService(StateStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = clock == null ? Clock.systemUTC() : clock;
    }

    /**
     * @param  runId                   the pause id (header {@code CamelFlujoRunId} of the paused exchange):
     *                                 {@code <runId>.<token>} for a run's first pause, {@code <runId>.<n>.<token>} for
     *                                 its n-th; the run id alone, or with another token, is an unknown run
     * @throws ResumeRejectedException when the run is unknown, not paused, or the answer is not acceptable; the stored
     *                                 run is then unchanged
     */
    public Resumption resume(String runId, Object answer) {
        return resume(runId, answer, paused -> {
        });
    }

    /**
     * @param beforeClaim checks the run can be continued (in Camel: that its resumeUri resolves) after the answer is
     *                    accepted and before the run is claimed; if it throws, the run stays paused
     */
    public Resumption resume(String runId, Object answer, java.util.function.Consumer<PausedRun> beforeClaim) {
        if (runId == null || runId.isBlank()) {
            throw new ResumeRejectedException(String.valueOf(runId), Reason.UNKNOWN_RUN, "no run id given", List.of());
        }
        if (runId.chars().anyMatch(Character::isISOControl)) {
            // no pause id holds one (they are exchange ids, a counter and hex), and PostgreSQL fails on a NUL in text
            throw new ResumeRejectedException(runId, Reason.UNKNOWN_RUN, "no paused run with this id", List.of());
        }
        PausedRun paused = store.load(runId).orElseThrow(() -> new ResumeRejectedException(
                runId, Reason.UNKNOWN_RUN,
                "no paused run with this id", List.of()));
        if (paused.status() != RunStatus.PAUSED) {
            throw new ResumeRejectedException(
                    runId, Reason.NOT_PAUSED, "the run is " + paused.status()
                                              + ", not PAUSED (it was resumed already)",
                    List.of());
        }
        Object value;
        try {
            value = checkedAnswer(runId, paused.answerSchema(), answer);
        } catch (StackOverflowError e) {
            // a Map or List answer that contains itself, or nests thousands deep: Jackson recurses once per level
            throw new ResumeRejectedException(
                    runId, Reason.INVALID_ANSWER, "the answer cannot be read as JSON: it"
                                                  + " contains itself or nests too deeply",
                    List.of());
        }
        beforeClaim.accept(paused);
        PausedRun claimed = store.claim(runId).orElseThrow(() -> new ResumeRejectedException(
                runId, Reason.NOT_PAUSED,
                "the run was resumed concurrently by another caller", List.of()));
        FlujoRun run = FlujoRun.restore(claimed.runId(), claimed.history(), claimed.usage(), claimed.limits(),
                claimed.humanHistory());
        run.recordHumanInteraction(new HumanInteraction(claimed.stepName(), claimed.message(), value, clock.instant()));
        run.record(new StepResult(
                claimed.stepName(), value, true, 1, 0, Usage.ZERO, List.of(),
                Map.of(StepResult.META_KIND, "human", StepResult.META_RESUMED, true), Map.of(), List.of()));
        return new Resumption(claimed, run, value);
    }

    private static Object checkedAnswer(String runId, String schema, Object answer) {
        JsonNode tree;
        if (answer instanceof String || answer instanceof byte[]) {
            String text = answer instanceof byte[] bytes ? utf8(runId, bytes) : (String) answer;
            try {
                tree = JSON.readTree(text);
                if (tree == null || tree.isMissingNode()) {
                    throw new IOException("no JSON value");
                }
            } catch (IOException e) {
                if (schema == null) {
                    return text; // no schema: a plain text answer is fine
                }
                throw new ResumeRejectedException(
                        runId, Reason.INVALID_ANSWER, "the answer is not JSON",
                        List.of(e.getMessage().lines().findFirst().orElse("unreadable")));
            }
        } else {
            try {
                tree = JSON.valueToTree(answer);
            } catch (IllegalArgumentException e) {
                throw new ResumeRejectedException(
                        runId, Reason.INVALID_ANSWER, "the answer cannot be read as JSON",
                        List.of(e.getMessage()));
            }
        }
        tree = checkedNumbers(runId, tree);
        if (schema != null) {
            List<String> violations = AnswerSchema.violations(schema, tree);
            if (!violations.isEmpty()) {
                throw new ResumeRejectedException(
                        runId, Reason.INVALID_ANSWER,
                        "the answer does not satisfy the step's schema", violations);
            }
        }
        return JSON.convertValue(tree, Object.class);
    }

    /**
     * Bytes are UTF-8 (RFC 8259), decoded strictly: a byte that is not UTF-8 is refused, not replaced by U+FFFD, which
     * would turn what the person sent into another answer.
     */
    private static String utf8(String runId, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new ResumeRejectedException(
                    runId, Reason.INVALID_ANSWER, "the answer is not UTF-8 text",
                    List.of("byte " + in.position() + " of " + bytes.length + " is not valid UTF-8"));
        }
        return out.flip().toString();
    }

    /**
     * Numbers the schema validator cannot judge are refused or made judgeable before it sees them. A number beyond
     * 10^{@value #MAX_MAGNITUDE} (or a non-zero one below 10^-{@value #MAX_MAGNITUDE}) is refused: {@code multipleOf}
     * divides it out digit by digit (1e100000 took 7 s, 1e1000000 minutes; 1e999999999 threw an ArithmeticException).
     * NaN and infinities (possible in a Map answer, never in JSON text) are refused. An integral decimal outside the
     * long range (1e19, 1e400) becomes a BigInteger: as a decimal, an integer {@code maximum} read it through
     * {@code long}, which wraps, and let it through.
     */
    private static JsonNode checkedNumbers(String runId, JsonNode tree) {
        JsonNode root = sane(runId, "$", tree);
        Deque<Map.Entry<String, JsonNode>> containers = new ArrayDeque<>();
        containers.push(Map.entry("$", root));
        while (!containers.isEmpty()) {
            Map.Entry<String, JsonNode> next = containers.pop();
            String path = next.getKey();
            JsonNode container = next.getValue();
            if (container instanceof ObjectNode object) {
                for (Map.Entry<String, JsonNode> field : object.properties()) {
                    String at = path + "." + field.getKey();
                    JsonNode value = field.getValue();
                    if (value.isContainerNode()) {
                        containers.push(Map.entry(at, value));
                    } else if (value.isNumber()) {
                        field.setValue(sane(runId, at, value));
                    }
                }
            } else if (container instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    JsonNode value = array.get(i);
                    if (value.isContainerNode()) {
                        containers.push(Map.entry(path + "[" + i + "]", value));
                    } else if (value.isNumber()) {
                        array.set(i, sane(runId, path + "[" + i + "]", value));
                    }
                }
            }
        }
        return root;
    }

    /** At most this many decimal digits before, or zeros after, the decimal point. */
    private static final int MAX_MAGNITUDE = 1000;
    private static final double LOG10_2 = Math.log10(2);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private static JsonNode sane(String runId, String path, JsonNode node) {
        if (!node.isNumber()) {
            return node;
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            throw new ResumeRejectedException(
                    runId, Reason.INVALID_ANSWER, "the answer is not JSON",
                    List.of(path + ": " + node.doubleValue() + " is not a JSON number"));
        }
        if (node.isBigInteger()) {
            long magnitude = (long) (node.bigIntegerValue().abs().bitLength() * LOG10_2);
            if (magnitude > MAX_MAGNITUDE) {
                throw outOfRange(runId, path, magnitude);
            }
            return node;
        }
        if (!node.isBigDecimal()) {
            return node;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() == 0) {
            return node;
        }
        long magnitude = (long) value.precision() - value.scale() - 1; // the exponent in scientific notation
        if (magnitude > MAX_MAGNITUDE || magnitude < -MAX_MAGNITUDE) {
            throw outOfRange(runId, path, magnitude);
        }
        boolean integral = value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
        if (integral && (value.compareTo(LONG_MIN) < 0 || value.compareTo(LONG_MAX) > 0)) {
            return JsonNodeFactory.instance.numberNode(value.toBigIntegerExact());
        }
        return node;
    }

    private static ResumeRejectedException outOfRange(String runId, String path, long magnitude) {
        return new ResumeRejectedException(
                runId, Reason.INVALID_ANSWER, "the answer holds a number out of range",
                List.of(path + ": about 1E" + (magnitude < 0 ? "" : "+") + magnitude + ", beyond 1E+" + MAX_MAGNITUDE
                        + " or below 1E-" + MAX_MAGNITUDE + " (the schema check would not end, or misjudge it)"));
    }
}
