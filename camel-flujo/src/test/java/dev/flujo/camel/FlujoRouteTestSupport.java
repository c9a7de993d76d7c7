package dev.flujo.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * The Camel set-up the flujo suites share: the agents and other beans a class binds by name (a field is declared with
 * {@code bind("name", agent)}), the routes every test starts with ({@link #routes(RouteBuilder)}), JMX and the dev
 * console for a class that reads them ({@link #jmxAndDevConsole()}), routes a test adds, an exchange sent with a body,
 * and the result headers read back. Fake agents come from {@link TestAgents}, assertions on exchanges and start
 * failures from {@link FlujoAssertions}.
 */
abstract class FlujoRouteTestSupport extends CamelTestSupport {

    /** The body {@link #run(String)} sends. */
    static final String QUESTION = "q";

    private final Map<String, Object> beans = new LinkedHashMap<>();

    /**
     * Binds {@code bean} (an agent or any other bean) under {@code name} in the registry of each test's context and
     * returns it, so that a field can hold it: {@code private final CountingAgent paid = bind("paid",
     * TestAgents.answering("out"));}. Lookups by type find it by any of its types: a {@code SimpleMeterRegistry} bound
     * as {@code metricsRegistry} is the MeterRegistry flujo's meters and camel-micrometer use.
     */
    protected final <T> T bind(String name, T bean) {
        beans.put(name, bean);
        return bean;
    }

    @Override
    protected final void bindToRegistry(Registry registry) {
        beans.forEach(registry::bind);
    }

    /**
     * Whether each test's context runs with JMX and the dev console, for a class that reads the endpoint and component
     * MBeans or the {@code flujo} dev console; neither by default.
     */
    protected boolean jmxAndDevConsole() {
        return false;
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        if (jmxAndDevConsole()) {
            configuration.withEnableJMX();
        }
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        if (jmxAndDevConsole()) {
            context.setDevConsole(true);
        }
        return context;
    }

    /** The routes every test of the class starts with, written on {@code r} as in a RouteBuilder; none by default. */
    protected void routes(RouteBuilder r) throws Exception {
    }

    @Override
    protected final RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() throws Exception {
                routes(this);
            }
        };
    }

    /** Adds a route from {@code from} to {@code to} (usually a flujo URI) to the started context. */
    protected final void addRoute(String from, String to) throws Exception {
        addRoutes(r -> r.from(from).to(to));
    }

    /** Adds the routes written on the builder to the started context. */
    protected final void addRoutes(LambdaRouteBuilder routes) throws Exception {
        RouteBuilder.addRoutes(context, routes);
    }

    /** Sends {@code body} to {@code uri} and returns the exchange that came back (failed or not). */
    protected final Exchange run(String uri, Object body) {
        return template.request(uri, e -> e.getMessage().setBody(body));
    }

    /** Sends {@link #QUESTION} to {@code uri} and returns the exchange that came back (failed or not). */
    protected final Exchange run(String uri) {
        return run(uri, QUESTION);
    }

    /** Sends {@link #QUESTION} to {@code uri} with the given exchange properties, which a step sees as its context. */
    protected final Exchange runWith(String uri, Map<String, Object> properties) {
        return template.request(uri, e -> {
            e.getMessage().setBody(QUESTION);
            properties.forEach(e::setProperty);
        });
    }

    /** A header of the exchange's message, e.g. one of the step's result headers ({@code FlujoConstants.ATTEMPTS}). */
    protected static Object resultHeader(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name);
    }

    /** A header of the exchange's message converted to {@code type}. */
    protected static <T> T resultHeader(Exchange exchange, String name, Class<T> type) {
        return exchange.getMessage().getHeader(name, type);
    }
}
