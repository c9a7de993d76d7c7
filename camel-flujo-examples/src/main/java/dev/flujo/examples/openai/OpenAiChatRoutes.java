package dev.flujo.examples.openai;

import org.apache.camel.builder.RouteBuilder;

/** {@code direct:openai-chat}: the model endpoint as a route, in the Java DSL (YAML: routes/openai-chat.camel.yaml). */
public class OpenAiChatRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:openai-chat").routeId("openai-chat")
                .process(OpenAiChat.request())
                .toD("${properties:" + OpenAiChat.BASE_URL + "}/v1/chat/completions")
                .process(OpenAiChat.response());
    }
}
