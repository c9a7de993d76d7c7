package dev.flujo.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Scenario 7, peer: a three-agent sequence in LangChain4j agentic (the reference) vs the same three steps as a flujo
 * pipeline, both over the same in-JVM fake model work.
 *
 * <ul>
 * <li>{@link #langchain4jAgenticSequence}: {@code AgenticServices.sequenceBuilder()} over three agents built with
 * {@code AgenticServices.agentBuilder(..).chatModel(fake).outputKey(..)}; each agent reads the previous agent's output
 * key through {@code @V} and its fake {@link ChatModel} answers {@link Work#transform} of the last user message with
 * {@code TokenUsage(12, 3)}</li>
 * <li>{@link #flujoPipeline}: route {@code direct:peer -> flujo:step:a1 -> a2 -> a3}, each step on
 * {@link Work#noopAgent()} (same transform, same 12/3 token usage)</li>
 * </ul>
 *
 * <p>
 * The prompt template is {@code "{{...}}"} alone, so the fake model sees exactly the previous output and both
 * contenders compute the same final string (checked in {@link #start}). What differs is the machinery: LangChain4j
 * renders a prompt from a template, builds a {@link ChatRequest}, goes through its AI-service proxy and its agentic
 * scope for each agent; that is part of what is being compared. No network, no real model on either side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PeerBenchmark {

    private static final String INPUT = "Summarize the customer's ticket about a duplicate charge";

    private static final Map<String, Object> LC4J_INPUT = Map.of("input", INPUT);

    /** First agent: reads the sequence input. */
    public interface A1 {
        @UserMessage("{{input}}")
        @Agent("peer step a1")
        String run(@V("input") String input);
    }

    /** Second agent: reads the first agent's output. */
    public interface A2 {
        @UserMessage("{{a1}}")
        @Agent("peer step a2")
        String run(@V("a1") String a1);
    }

    /** Third agent: reads the second agent's output. */
    public interface A3 {
        @UserMessage("{{a2}}")
        @Agent("peer step a3")
        String run(@V("a2") String a2);
    }

    /** The in-JVM fake model: {@link Work#transform} of the last user message, fixed 12/3 token usage. */
    static final class FakeChatModel implements ChatModel {

        private static final TokenUsage USAGE = new TokenUsage(12, 3);

        @Override
        public ChatResponse doChat(ChatRequest request) {
            String text = dev.langchain4j.data.message.UserMessage.findLast(request.messages())
                    .map(dev.langchain4j.data.message.UserMessage::singleText)
                    .orElseThrow(() -> new IllegalStateException("no user message in " + request));
            return ChatResponse.builder()
                    .aiMessage(AiMessage.from(Work.transform(text)))
                    .tokenUsage(USAGE)
                    .finishReason(FinishReason.STOP)
                    .build();
        }
    }

    private CamelFixture camel;
    private Endpoint peer;
    private UntypedAgent sequence;

    @Setup
    public void start() throws Exception {
        ChatModel fake = new FakeChatModel();
        sequence = AgenticServices.sequenceBuilder()
                .subAgents(
                        AgenticServices.agentBuilder(A1.class).chatModel(fake).outputKey("a1").build(),
                        AgenticServices.agentBuilder(A2.class).chatModel(fake).outputKey("a2").build(),
                        AgenticServices.agentBuilder(A3.class).chatModel(fake).outputKey("a3").build())
                .outputKey("a3")
                .build();

        camel = new CamelFixture(Map.of("fake", Work.noopAgent()), new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:peer").to("flujo:step:a1?agent=#fake").to("flujo:step:a2?agent=#fake")
                        .to("flujo:step:a3?agent=#fake");
            }
        });
        peer = camel.endpoint("direct:peer");

        // A misconfigured peer must not silently measure nothing.
        Object lc4j = langchain4jAgenticSequence();
        Object flujo = flujoPipeline();
        if (lc4j == null || flujo == null) {
            throw new IllegalStateException("a contender produced no output: langchain4j=" + lc4j + ", flujo=" + flujo);
        }
        String expected = Work.transform(Work.transform(Work.transform(INPUT)));
        if (!expected.equals(lc4j) || !expected.equals(flujo)) {
            throw new IllegalStateException(
                    "contenders did not do the same work: expected=" + expected
                                            + ", langchain4j=" + lc4j + ", flujo=" + flujo);
        }
    }

    @TearDown
    public void stop() {
        if (camel != null) {
            camel.close();
        }
    }

    @Benchmark
    public Object langchain4jAgenticSequence() {
        return sequence.invoke(LC4J_INPUT);
    }

    @Benchmark
    public Object flujoPipeline() {
        return camel.request(peer, INPUT);
    }
}
