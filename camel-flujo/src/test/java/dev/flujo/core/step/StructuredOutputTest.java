package dev.flujo.core.step;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An output schema turns a model's text answer into a structured value, or into feedback the model can repair from:
 * fences and lead-in prose are trimmed, parse errors say where, schema problems name the place with a JSON pointer, and
 * the feedback stays bounded however bad the answer.
 */
class StructuredOutputTest {

    private static final String SCHEMA = """
            {"type": "object",
             "properties": {"category": {"enum": ["billing", "outage", "other"]}, "reason": {"type": "string"}},
             "required": ["category", "reason"], "additionalProperties": false}
            """;

    record Triage(String category, String reason) {
    }

    private final StructuredOutput structured = new StructuredOutput(SCHEMA, null);

    private static Object passed(StructuredOutput.Checked checked) {
        return assertInstanceOf(StructuredOutput.Passed.class, checked, checked::toString).output();
    }

    private static StructuredOutput.Problems problems(StructuredOutput.Checked checked) {
        return assertInstanceOf(StructuredOutput.Problems.class, checked, checked::toString);
    }

    @Test
    void aPlainJsonAnswerBecomesAMap() {
        Object output = passed(structured.check("{\"category\": \"billing\", \"reason\": \"a refund\"}"));

        assertEquals(Map.of("category", "billing", "reason", "a refund"), output);
    }

    @Test
    void aFencedAnswerWithALeadInPasses() {
        String answer
                = "Here is the classification:\n```json\n{\"category\": \"outage\", \"reason\": \"down\"}\n```\nHope it helps.";

        assertEquals("outage", ((Map<?, ?>) passed(structured.check(answer))).get("category"));
    }

    @Test
    void aLeadInSentenceWithoutFencesIsTrimmedToTheBrackets() {
        String answer = "Sure! {\"category\": \"other\", \"reason\": \"unclear\"} Let me know.";

        assertEquals("other", ((Map<?, ?>) passed(structured.check(answer))).get("category"));
    }

    @Test
    void textThatIsNotJsonFailsNamingTheParseError() {
        StructuredOutput.Problems p = problems(structured.check("I think it is billing."));

        assertTrue(p.feedback().startsWith("the answer is not JSON: "), p.feedback());
        assertTrue(p.feedback().contains("line 1"), p.feedback());
    }

    @Test
    void schemaProblemsNameThePlaceWithAJsonPointer() {
        StructuredOutput.Problems p = problems(structured.check("{\"category\": \"refund\", \"reason\": 3}"));

        assertTrue(p.feedback().startsWith("the answer does not satisfy the output schema: "), p.feedback());
        assertEquals(2, p.problems().size(), p.problems()::toString);
        assertTrue(p.problems().stream().anyMatch(m -> m.startsWith("/category")), p.problems()::toString);
        assertTrue(p.problems().stream().anyMatch(m -> m.startsWith("/reason")), p.problems()::toString);
    }

    @Test
    void theFeedbackIsBoundedHoweverBadTheAnswer() {
        StringBuilder schema = new StringBuilder("{\"type\": \"object\", \"required\": [");
        for (int i = 0; i < 30; i++) {
            schema.append(i == 0 ? "" : ", ").append("\"field").append(i).append('"');
        }
        StructuredOutput strict = new StructuredOutput(schema.append("]}").toString(), null);

        StructuredOutput.Problems p = problems(strict.check("{}"));

        assertEquals(StructuredOutput.MAX_PROBLEMS + 1, p.problems().size());
        assertEquals("(and 20 more)", p.problems().get(StructuredOutput.MAX_PROBLEMS));
        assertTrue(p.problems().stream().allMatch(m -> m.length() <= StructuredOutput.MAX_LENGTH));
    }

    @Test
    void anAnswerBindsToTheOutputType() {
        StructuredOutput typed = new StructuredOutput(SCHEMA, Triage.class);

        assertEquals(new Triage("billing", "a refund"),
                passed(typed.check("{\"category\": \"billing\", \"reason\": \"a refund\"}")));
    }

    @Test
    void anAnswerThatIsAlreadyStructuredIsCheckedAsItsJson() {
        assertEquals(Map.of("category", "other", "reason", "r"),
                passed(structured.check(Map.of("category", "other", "reason", "r"))));
        assertEquals(1, problems(structured.check(Map.of("category", "other"))).problems().size());
    }

    @Test
    void anArraySchemaGivesAList() {
        StructuredOutput list = new StructuredOutput("{\"type\": \"array\", \"items\": {\"type\": \"integer\"}}", null);

        assertEquals(List.of(1, 2, 3), passed(list.check("The numbers: [1, 2, 3]")));
    }

    @Test
    void aSchemaThatIsNotOneIsRefusedWhenThePlanIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new StructuredOutput("{not json", null));
        assertThrows(IllegalArgumentException.class, () -> new StructuredOutput("[1]", null));
    }
}
