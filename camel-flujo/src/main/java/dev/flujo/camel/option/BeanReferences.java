package dev.flujo.camel.option;

import dev.flujo.core.FlujoConfigurationException;
import org.apache.camel.CamelContext;

/**
 * Looks up the beans named by options: {@code #name}, {@code #bean:name}, a plain {@code name}, {@code #type:fqcn} (the
 * single bean of that type) or {@code #class:fqcn} (a new instance). Every failure names the step, the option and the
 * reference.
 */
public final class BeanReferences {

    private BeanReferences() {
    }

    public static boolean isBeanReference(String ref) {
        return ref.startsWith("#");
    }

    public static Object lookup(CamelContext camelContext, String step, String option, String ref) {
        String r = ref.trim();
        try {
            if (r.startsWith("#type:")) {
                Class<?> type = camelContext.getClassResolver().resolveMandatoryClass(r.substring(6));
                var found = camelContext.getRegistry().findByType(type);
                if (found.size() != 1) {
                    throw problem(step, option, ref, "expected exactly one bean of that type, found " + found.size());
                }
                return found.iterator().next();
            }
            if (r.startsWith("#class:")) {
                Class<?> type = camelContext.getClassResolver().resolveMandatoryClass(r.substring(7));
                return camelContext.getInjector().newInstance(type);
            }
            String name = r.startsWith("#bean:") ? r.substring(6) : r.startsWith("#") ? r.substring(1) : r;
            Object bean = camelContext.getRegistry().lookupByName(name);
            if (bean == null) {
                throw problem(step, option, ref, "no bean of that name in the registry");
            }
            return bean;
        } catch (FlujoConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new FlujoConfigurationException(message(step, option, ref, e.getMessage()), e);
        }
    }

    public static FlujoConfigurationException problem(String step, String option, String ref, String why) {
        return new FlujoConfigurationException(message(step, option, ref, why));
    }

    private static String message(String step, String option, String ref, String why) {
        return "Step '" + step + "', option " + option + ": cannot use '" + ref + "': " + why;
    }

    public static String typeName(Object bean) {
        return bean == null ? "null" : bean.getClass().getName();
    }
}
