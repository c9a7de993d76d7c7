package dev.flujo.camel.state;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.option.BeanReferences;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.state.InMemoryStateStore;
import dev.flujo.core.state.JdbcStateStore;
import dev.flujo.core.state.StateStore;
import org.apache.camel.CamelContext;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's state stores, one per distinct configuration, so that the human steps that pause runs and the
 * {@code flujo:resume} endpoints that continue them share one store (the in-memory one above all).
 */
public final class StateStores {

    private static final Logger LOG = LoggerFactory.getLogger(StateStores.class);

    public static final String DEFAULT_URL = "jdbc:sqlite:flujo-state.db";

    private final CamelContext camelContext;
    private final Map<String, StateStore> stores = new ConcurrentHashMap<>();
    /** Human step name -> its resumeUri as configured (secrets included), never stored. */
    private final Map<String, String> resumeUris = new ConcurrentHashMap<>();

    public StateStores(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /**
     * Remembers a human step's resumeUri and returns what is stored with its paused runs: the URI with secrets masked,
     * so a state database never holds an API key.
     */
    public String rememberResumeUri(String step, String resumeUri) {
        resumeUris.put(step, resumeUri);
        return URISupport.sanitizeUri(resumeUri);
    }

    /**
     * The URI to continue a paused run at: the live human step's own resumeUri when this context has that step and its
     * URI is the one stored (masked alike); else the stored URI, unless it was masked.
     *
     * @throws FlujoConfigurationException when the stored URI had a secret masked and no human step here knows it
     */
    public String resumeUriFor(String step, String stored) {
        String live = resumeUris.get(step);
        if (live != null && URISupport.sanitizeUri(live).equals(URISupport.sanitizeUri(stored))) {
            return live;
        }
        if (stored.contains("xxxxxx")) {
            throw new FlujoConfigurationException(
                    "The run paused at human step '" + step + "' continues at "
                                                  + URISupport.sanitizeUri(stored)
                                                  + ", whose secrets were not stored; no flujo:human:" + step
                                                  + " endpoint with that resumeUri is started in this Camel context");
        }
        return stored;
    }

    /** @throws FlujoConfigurationException naming the step and the option */
    public StateStore storeFor(String step, FlujoConfiguration options) {
        String kind = options.getStateStore() == null ? "jdbc" : options.getStateStore().trim();
        if (BeanReferences.isBeanReference(kind)) {
            Object bean = BeanReferences.lookup(camelContext, step, "stateStore", kind);
            if (!(bean instanceof StateStore store)) {
                throw BeanReferences.problem(step, "stateStore", kind, "bean is a " + BeanReferences.typeName(bean)
                                                                       + ", not a " + StateStore.class.getName());
            }
            return store;
        }
        switch (kind) {
            case "memory":
                return stores.computeIfAbsent("memory", k -> new InMemoryStateStore());
            case "jdbc":
                String dataSource = options.getStateDataSource();
                if (dataSource != null && !dataSource.isBlank()) {
                    Object bean = BeanReferences.lookup(camelContext, step, "stateDataSource", dataSource);
                    if (!(bean instanceof DataSource ds)) {
                        throw BeanReferences.problem(step, "stateDataSource", dataSource, "bean is a "
                                                                                          + BeanReferences.typeName(bean)
                                                                                          + ", not a javax.sql.DataSource");
                    }
                    return stores.computeIfAbsent("dataSource:" + dataSource.trim(), k -> new JdbcStateStore(ds));
                }
                String url = options.getStateUrl();
                if (url == null || !url.startsWith("jdbc:")) {
                    throw new FlujoConfigurationException(
                            "Step '" + step + "', option stateUrl: expected a JDBC URL"
                                                          + " (e.g. " + DEFAULT_URL + "), was " + url);
                }
                return stores.computeIfAbsent("url:" + url, k -> {
                    // the default is a file relative to the working directory: say where it is
                    LOG.info("flujo state store: {}{}", URISupport.sanitizeUri(url), url.startsWith("jdbc:sqlite:")
                            ? " (file " + Path.of(url.substring("jdbc:sqlite:".length())).toAbsolutePath() + ")" : "");
                    return new JdbcStateStore(url);
                });
            default:
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option stateStore: expected jdbc, memory or"
                                                      + " #bean, was " + kind);
        }
    }
}
