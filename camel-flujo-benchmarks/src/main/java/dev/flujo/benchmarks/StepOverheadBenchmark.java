package dev.flujo.benchmarks;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.flujo.core.agent.NamedAgent;
import dev.flujo.core.config.OptimizationConfig;
import dev.flujo.core.context.FlujoContext;
import dev.flujo.core.exec.ExecutorCore;
import dev.flujo.core.exec.StepPlan;
import dev.flujo.core.run.FlujoRun;
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
 * Scenarios 1-3: what a flujo step costs on top of the same work done by a plain {@code .process()}.
 *
 * <ul>
 * <li>1, step overhead: bare function vs plain processor route vs minimal flujo step route; and, to show where the
 * difference goes, the core alone ({@code ExecutorCore.execute}, no Camel) and a route calling a trivial endpoint with
 * {@code to()} (what any endpoint costs over an inline processor)</li>
 * <li>2, full-featured step: validator, output processor and usage limits on, vs the plain processor route</li>
 * <li>3, pipeline: five flujo steps vs five plain processors</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StepOverheadBenchmark {

    private static final String INPUT = "Summarize the customer's ticket about a duplicate charge";

    private CamelFixture camel;
    private ExecutorCore core;
    private ScheduledExecutorService timer;
    private StepPlan corePlan;
    private final FlujoContext emptyContext = FlujoContext.empty();
    private Endpoint plainToEndpoint;
    private Endpoint plain;
    private Endpoint flujo;
    private Endpoint flujoNoHeaders;
    private Endpoint flujoFull;
    private Endpoint plainPipeline;
    private Endpoint flujoPipeline;

    @Setup
    public void start() throws Exception {
        camel = new CamelFixture(
                Map.of(
                        "noop", Work.noopAgent(),
                        "notEmpty", Work.notEmpty(),
                        "trim", Work.trim()),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        getContext().addComponent("transform", new TransformComponent());
                        from("direct:plain").process(Work.plainProcessor());
                        from("direct:plainToEndpoint").to("transform:x");
                        from("direct:flujo").to("flujo:step:minimal?agent=#noop");
                        from("direct:flujoNoHeaders").to("flujo:step:quiet?agent=#noop&resultHeaders=false");
                        from("direct:flujoFull").to("flujo:step:full?agent=#noop&validators=#notEmpty"
                                                    + "&outputProcessors=#trim&costLimitUsd=1000&tokenLimit=1000000"
                                                    + "&expectedTokens=20&expectedCostUsd=0.0001");
                        from("direct:plainPipeline").process(Work.plainProcessor()).process(Work.plainProcessor())
                                .process(Work.plainProcessor()).process(Work.plainProcessor())
                                .process(Work.plainProcessor());
                        from("direct:flujoPipeline").to("flujo:step:p1?agent=#noop").to("flujo:step:p2?agent=#noop")
                                .to("flujo:step:p3?agent=#noop").to("flujo:step:p4?agent=#noop")
                                .to("flujo:step:p5?agent=#noop");
                    }
                });
        plain = camel.endpoint("direct:plain");
        plainToEndpoint = camel.endpoint("direct:plainToEndpoint");
        timer = Executors.newSingleThreadScheduledExecutor();
        core = new ExecutorCore(timer, Runnable::run);
        corePlan = StepPlan.builder("core", OptimizationConfig.defaults())
                .agent(new NamedAgent("#noop", Work.noopAgent())).build();
        flujo = camel.endpoint("direct:flujo");
        flujoNoHeaders = camel.endpoint("direct:flujoNoHeaders");
        flujoFull = camel.endpoint("direct:flujoFull");
        plainPipeline = camel.endpoint("direct:plainPipeline");
        flujoPipeline = camel.endpoint("direct:flujoPipeline");
    }

    @TearDown
    public void stop() {
        camel.close();
        timer.shutdownNow();
    }

    @Benchmark
    public Object bareFunction() {
        return Work.transform(INPUT);
    }

    @Benchmark
    public Object plainProcessorRoute() {
        return camel.request(plain, INPUT);
    }

    @Benchmark
    public Object plainToEndpointRoute() {
        return camel.request(plainToEndpoint, INPUT);
    }

    @Benchmark
    public Object coreExecuteOnly() {
        return core.execute(corePlan, INPUT, emptyContext, new FlujoRun("run")).join().output();
    }

    @Benchmark
    public Object flujoStepRoute() {
        return camel.request(flujo, INPUT);
    }

    @Benchmark
    public Object flujoStepRouteWithoutResultHeaders() {
        return camel.request(flujoNoHeaders, INPUT);
    }

    @Benchmark
    public Object flujoFullFeaturedStepRoute() {
        return camel.request(flujoFull, INPUT);
    }

    @Benchmark
    public Object plainFiveProcessorRoute() {
        return camel.request(plainPipeline, INPUT);
    }

    @Benchmark
    public Object flujoFiveStepRoute() {
        return camel.request(flujoPipeline, INPUT);
    }
}
