package dev.flujo.camel.agent;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once per Camel context, when an HTTP client an agent route may use retries failed calls on its own: such
 * hidden retries multiply flujo's ({@code maxRetries}), ignore its backoff and budget, and can hold a call past the
 * step's time-out. Today that is camel-http (and https), whose Apache HttpClient retries a 429 or a 503 once, after its
 * Retry-After, unless {@code camel.component.http.automaticRetriesDisabled=true}. camel-vertx-http does not retry by
 * itself; a LangChain4j model client's {@code maxRetries} is its own and is documented, not detected.
 *
 * <p>
 * The check runs when a step with an endpoint agent starts: an agent is often a {@code direct:} route that calls
 * camel-http, so the component is looked at, not the agent's URI. Components are read reflectively: camel-http is not a
 * dependency of flujo.
 */
final class AgentOwnRetries {

    private static final Logger LOG = LoggerFactory.getLogger(AgentOwnRetries.class);
    private static final Map<CamelContext, Set<String>> WARNED = new WeakHashMap<>();

    private AgentOwnRetries() {
    }

    /** Logs each warning of {@link #check} once per context. */
    static void warnOnce(CamelContext context) {
        for (String warning : check(context)) {
            boolean first;
            synchronized (WARNED) {
                first = WARNED.computeIfAbsent(context, c -> new java.util.HashSet<>()).add(warning);
            }
            if (first) {
                LOG.warn(warning);
            }
        }
    }

    /** What retries on its own in this context, one sentence each naming the option that turns it off. */
    static List<String> check(CamelContext context) {
        List<String> warnings = new ArrayList<>(2);
        for (String scheme : List.of("http", "https")) {
            Component component = context.hasComponent(scheme);
            if (component != null && Boolean.FALSE.equals(read(component, "isAutomaticRetriesDisabled"))) {
                warnings.add("camel-" + scheme + " retries a 429 or 503 by itself (Apache HttpClient, after its"
                             + " Retry-After) before a flujo step sees the failure, multiplying the step's maxRetries and"
                             + " ignoring its retryDelay and time-out: set camel.component." + scheme
                             + ".automaticRetriesDisabled=true so that flujo's retries are the only ones");
            }
        }
        return warnings;
    }

    private static Object read(Object target, String getter) {
        try {
            Method m = target.getClass().getMethod(getter);
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
