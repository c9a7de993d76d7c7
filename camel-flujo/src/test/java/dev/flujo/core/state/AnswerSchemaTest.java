package dev.flujo.core.state;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flujo.core.FlujoConfigurationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVAL = "{\"type\":\"object\",\"required\":[\"approved\"],"
                                           + "\"properties\":{\"approved\":{\"type\":\"boolean\"}}}";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void aValidSchemaPassesTheCheck() {
        AnswerSchema.check("answerSchema", APPROVAL);
        AnswerSchema.check("answerSchema", "true");
    }

    @Test
    void textThatIsNotJsonIsRejectedNamingTheOption() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> AnswerSchema.check("answerSchema", "{not json"));
        assertTrue(e.getMessage().startsWith("Option answerSchema is not a valid JSON schema"), e.getMessage());
    }

    @Test
    void jsonThatIsNeitherAnObjectNorABooleanIsRejected() {
        FlujoConfigurationException e = assertThrows(FlujoConfigurationException.class,
                () -> AnswerSchema.check("answerSchema", "[1, 2]"));
        assertTrue(e.getMessage().contains("object or a boolean"), e.getMessage());
        assertThrows(FlujoConfigurationException.class, () -> AnswerSchema.check("answerSchema", "42"));
    }

    @Test
    void violationsAreListedOneLineEachAndEmptyWhenTheAnswerFits() throws Exception {
        assertEquals(List.of(), AnswerSchema.violations(APPROVAL, json("{\"approved\":true}")));

        List<String> wrongType = AnswerSchema.violations(APPROVAL, json("{\"approved\":\"yes\"}"));
        assertEquals(1, wrongType.size(), wrongType.toString());
        assertTrue(wrongType.get(0).contains("approved"), wrongType.get(0));

        List<String> missing = AnswerSchema.violations(APPROVAL, json("\"just text\""));
        assertTrue(!missing.isEmpty(), "a string is not an object");
    }

    @Test
    void aRemoteRefIsRefusedWithoutAFetchAndWithoutHanging() {
        String remote = "{\"$ref\":\"http://example.invalid/x.json\"}";
        // example.invalid never resolves; a fetch attempt would fail slowly or hang, a refusal is immediate
        FlujoConfigurationException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(FlujoConfigurationException.class, () -> AnswerSchema.check("answerSchema", remote)));
        assertTrue(e.getMessage().contains("'http://example.invalid/x.json' is not allowed to be loaded"),
                "refused by the loader, not a failed fetch: " + e.getMessage());
    }

    @Test
    void aRemoteRefInANestedPropertyIsRefusedToo() {
        String nested = "{\"type\":\"object\",\"properties\":{\"who\":{\"$ref\":\"https://example.invalid/person.json\"}}}";
        FlujoConfigurationException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(FlujoConfigurationException.class, () -> AnswerSchema.check("answerSchema", nested)));
        assertTrue(e.getMessage().contains("not allowed to be loaded"), e.getMessage());
    }

    @Test
    void aLocalRefWithinTheSchemaWorks() throws Exception {
        String local = "{\"$defs\":{\"flag\":{\"type\":\"boolean\"}},\"type\":\"object\","
                       + "\"properties\":{\"approved\":{\"$ref\":\"#/$defs/flag\"}}}";
        AnswerSchema.check("answerSchema", local);
        assertEquals(List.of(), AnswerSchema.violations(local, json("{\"approved\":false}")));
        assertEquals(1, AnswerSchema.violations(local, json("{\"approved\":1}")).size());
    }

    @Test
    void aRemoteMetaSchemaIsRefusedWithoutHanging() {
        String remoteMeta = "{\"$schema\":\"http://example.invalid/meta.json\",\"type\":\"object\"}";
        FlujoConfigurationException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(FlujoConfigurationException.class,
                        () -> AnswerSchema.check("answerSchema", remoteMeta)));
        assertTrue(e.getMessage().contains("example.invalid"), e.getMessage());
    }
}
