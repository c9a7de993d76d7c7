/**
 * The Camel adapter of camel-flujo: the {@code flujo:} component, laid out as camel-caffeine and
 * camel-langchain4j-agent are - the component, endpoint, producers, configuration and constants here, each concern in a
 * sub-package of its own:
 *
 * <ul>
 * <li>here - {@link dev.flujo.camel.FlujoComponent}, {@link dev.flujo.camel.FlujoEndpoint},
 * {@link dev.flujo.camel.FlujoProducer}, {@code FlujoResumeProducer}, {@link dev.flujo.camel.FlujoConfiguration} (every
 * option declared once: its {@code @UriParam} and {@link dev.flujo.camel.FlujoOption}),
 * {@link dev.flujo.camel.FlujoConstants} and {@link dev.flujo.camel.FlujoKind};</li>
 * <li>{@code option} - what is derived from the declarations (which kind takes which option, runtime options,
 * statistics, the mapping to the core's {@link dev.flujo.core.config.OptimizationConfig}), the checks of option text,
 * bean references and Simple expressions;</li>
 * <li>{@code plan} - the plans of each kind, built once when an endpoint starts;</li>
 * <li>{@code agent} - Camel endpoints and beans as agents, processors and validators;</li>
 * <li>{@code branch} - the branches, bodies and items of the composite kinds, as endpoints;</li>
 * <li>{@code context} - exchange properties as the step context;</li>
 * <li>{@code resilience} - breakers and bulkheads in camel-resilience4j's registries;</li>
 * <li>{@code telemetry} - statistics, Micrometer meters, the automatic optimizer, the {@code flujo} dev console;</li>
 * <li>{@code state} - the state stores of human and resume steps.</li>
 * </ul>
 *
 * <p>
 * It maps options, exchanges and endpoints onto the core and the core's results and typed exceptions back onto the
 * exchange. It knows nothing of retries or merging: that is the core's job.
 */
package dev.flujo.camel;
