package dev.flujo.camel.branch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.flujo.camel.FlujoConfiguration;
import dev.flujo.camel.agent.EndpointProducers;
import dev.flujo.camel.option.BeanReferences;
import dev.flujo.core.FlujoConfigurationException;
import dev.flujo.core.flow.FlujoBranch;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;

/**
 * Resolves the branches and bodies of one composite endpoint when it starts: an endpoint URI becomes an
 * {@link EndpointBranch} with a started producer, a {@code #bean} a {@link FlujoBranch} bean. The producers are stopped
 * with it.
 */
public final class CamelBranches extends ServiceSupport {

    /**
     * {@code name=uri}: a name is a word (letters, digits, _ . -), so {@code direct:x?a=b} is never mistaken for one.
     */
    private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9_.\\-]+)=(.+)");

    private final CamelContext camelContext;
    private final String step;
    private final EndpointProducers producers;

    public CamelBranches(CamelContext camelContext, String step) {
        this.camelContext = camelContext;
        this.step = step;
        this.producers = new EndpointProducers(camelContext, step);
    }

    /**
     * Parses {@code a=direct:a,b=direct:b} or {@code direct:a,direct:b} (unnamed branches are named by their URI).
     *
     * @param keyed whether every entry must be named (a conditional step's keys)
     */
    public Map<String, FlujoBranch> branches(String option, String value, boolean keyed) {
        List<String> entries = FlujoConfiguration.splitList(value);
        if (entries.isEmpty()) {
            throw new FlujoConfigurationException(
                    "Step '" + step + "', option " + option + ": no branches given;"
                                                  + " expected e.g. " + option
                                                  + "=research=direct:research,critic=direct:critic");
        }
        Map<String, FlujoBranch> branches = new LinkedHashMap<>();
        for (String entry : entries) {
            Matcher named = NAMED.matcher(entry);
            String name;
            String ref;
            if (named.matches()) {
                name = named.group(1);
                ref = named.group(2).trim();
            } else if (keyed) {
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option " + option + ": expected key=uri,"
                                                      + " was " + URISupport.sanitizeUri(entry));
            } else {
                name = URISupport.sanitizeUri(entry);
                ref = entry;
            }
            if (branches.containsKey(name)) {
                throw new FlujoConfigurationException(
                        "Step '" + step + "', option " + option + ": branch '" + name
                                                      + "' is declared twice");
            }
            branches.put(name, branch(option, ref));
        }
        return branches;
    }

    public FlujoBranch branch(String option, String ref) {
        if (ref == null || ref.isBlank()) {
            throw new FlujoConfigurationException("Step '" + step + "', option " + option + ": no endpoint given");
        }
        if (BeanReferences.isBeanReference(ref)) {
            Object bean = BeanReferences.lookup(camelContext, step, option, ref);
            if (!(bean instanceof FlujoBranch branch)) {
                throw BeanReferences.problem(step, option, ref, "bean is a " + BeanReferences.typeName(bean)
                                                                + ", not a " + FlujoBranch.class.getName());
            }
            return branch;
        }
        return new EndpointBranch(camelContext, producers.start(option, ref, "branch"));
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(producers);
    }
}
