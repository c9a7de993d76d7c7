package dev.flujo.camel;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

/** The kind of factory a YAML route's {@code beans:} calls to declare a LangChain4j model (docs/models.md). */
public final class TestModels {

    private TestModels() {
    }

    public static ChatModel openAi(String baseUrl) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("test-key").modelName("gpt-4o-mini").maxRetries(0)
                .build();
    }
}
